package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.OTHER_SOURCE;
import static dev.catchup.monitor.http.ApiFixture.RUNNING;
import static dev.catchup.monitor.http.ApiFixture.SOURCE;
import static dev.catchup.monitor.http.ApiFixture.eventually;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.wire.StatusEvent;
import dev.catchup.wire.StreamFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /stream}: snapshot on connect, coalesced changes, keepalives, dropping subscribers. */
class StreamTest {
  private ApiFixture f = new ApiFixture(ApiFixture.fastLimits());

  @AfterEach
  void close() {
    f.close();
  }

  private SseClient open() throws Exception {
    HttpResponse<InputStream> r = f.http.send(f.request("/stream").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
    return new SseClient(r.body());
  }

  private static List<JsonNode> events(SseClient c, int n) {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SseClient.Item e = c.nextEvent();
      assertThat(e.type()).isEqualTo("status");
      out.add(e.data());
    }
    return out;
  }

  private void replaceWith(Limits limits) {
    f.close();
    f = new ApiFixture(limits);
  }

  private static Limits with(int maxSubscribers, int backlog, Duration pace) {
    Limits d = ApiFixture.fastLimits();
    return new Limits(d.dispatcherThreads(), d.dispatcherQueue(), d.maxConcurrentWaits(),
        maxSubscribers, backlog, d.writeTimeout(), d.keepAlive(), d.recheck(), pace, d.maxGtidLength());
  }

  private static Limits with(int backlog, Duration writeTimeout) {
    Limits d = ApiFixture.fastLimits();
    return new Limits(d.dispatcherThreads(), d.dispatcherQueue(), d.maxConcurrentWaits(),
        d.maxSubscribers(), backlog, writeTimeout, d.keepAlive(), d.recheck(), d.pace(), d.maxGtidLength());
  }

  @Test
  void stream_onConnect_sendsSnapshotOfEveryServer() throws Exception {
    f.allUp();
    f.publishUp("replica2", upTo(7));

    try (SseClient c = open()) {
      List<JsonNode> snapshot = events(c, 3);

      assertThat(snapshot).extracting(d -> d.path("name").asText())
          .containsExactly("primary", "replica1", "replica2");
      JsonNode primary = snapshot.get(0);
      assertThat(primary.path("role").asText()).isEqualTo("primary");
      assertThat(primary.path("state").asText()).isEqualTo("UP");
      assertThat(primary.path("confirmed").asText()).isEqualTo(SOURCE + ":1-10");
      assertThat(primary.path("feed").asText()).isEqualTo("CONNECTED");
      assertThat(primary.path("confirmationAgeMillis").asLong()).isZero();
      assertThat(primary.has("secondsBehind")).isFalse();
      assertThat(primary.path("version").asLong()).isPositive();
      assertThat(snapshot.get(1).path("secondsBehind").asDouble()).isZero();
      assertThat(snapshot.get(2).path("secondsBehind").isNull()).isTrue();
      assertThat(snapshot.get(2).path("confirmed").asText()).isEqualTo(SOURCE + ":1-7");
    }
  }

  @Test
  void stream_everyEvent_readsBackWithTheSdksReader() throws Exception {
    f.allUp();
    f.publishUp("replica2", upTo(7));
    MysqlGtidSet two = MysqlGtidSet.builder().add(SOURCE, "", 1, 5).add(OTHER_SOURCE, "", 1, 3).build();

    try (SseClient c = open()) {
      List<StatusEvent> read = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        SseClient.Item e = c.nextEvent();
        assertThat(e.type()).isEqualTo(StreamFormat.STATUS_EVENT);
        assertThat(e.data().path("schema").asInt()).isEqualTo(StreamFormat.SCHEMA_VERSION);
        read.add(StatusEvent.parse(Flavor.MYSQL, e.text()));
      }
      long version = f.publishUp("primary", two).version();
      SseClient.Item changed = c.nextEvent();

      assertThat(read).extracting(StatusEvent::name).containsExactly("primary", "replica1", "replica2");
      assertThat(read).extracting(StatusEvent::role).containsExactly("primary", "replica", "replica");
      assertThat(read).allSatisfy(e -> {
        assertThat(e.isUp()).isTrue();
        assertThat(e.feed()).isEqualTo("CONNECTED");
        assertThat(e.confirmationAge()).isEqualTo(Duration.ZERO);
        assertThat(e.version()).isPositive();
      });
      assertThat(read.get(0).secondsBehind()).isNull();
      assertThat(read.get(1).secondsBehind()).isZero();
      assertThat(read.get(2).secondsBehind()).isNull();
      assertThat(read.get(2).confirmed()).isEqualTo(upTo(7));
      StatusEvent primary = StatusEvent.parse(Flavor.MYSQL, changed.text());
      assertThat(primary.confirmed()).isEqualTo(two); // the multi-source set survives the one-line form
      assertThat(primary.version()).isEqualTo(version);
    }
  }

  @Test
  void stream_confirmedChange_sendsEvent() throws Exception {
    f.allUp();
    try (SseClient c = open()) {
      events(c, 3);

      long version = f.publishUp("replica1", upTo(11)).version();

      JsonNode e = c.nextEvent().data();
      assertThat(e.path("name").asText()).isEqualTo("replica1");
      assertThat(e.path("confirmed").asText()).isEqualTo(SOURCE + ":1-11");
      assertThat(e.path("version").asLong()).isEqualTo(version);
    }
  }

  @Test
  void stream_publishWithoutChange_sendsNothing() throws Exception {
    f.allUp();
    try (SseClient c = open()) {
      events(c, 3);

      f.publishUp("replica1", upTo(10)); // same set, state and feed: not news
      f.publishUp("replica2", upTo(11));

      assertThat(c.nextEvent().data().path("name").asText()).isEqualTo("replica2");
    }
  }

  @Test
  void stream_replicaFallingBehindWithoutApplying_sendsEvent() throws Exception {
    f.allUp();
    try (SseClient c = open()) {
      events(c, 3);

      // The primary moves on; replica1 applies nothing: same set, state and feed, but its lag
      // left "none" (commit times unknown here, so it is reported as unknown).
      f.publishUp("primary", upTo(13));
      assertThat(c.nextEvent().data().path("name").asText()).isEqualTo("primary");
      f.publishUp("replica1", upTo(10));

      JsonNode e = c.nextEvent().data();
      assertThat(e.path("name").asText()).isEqualTo("replica1");
      assertThat(e.path("confirmed").asText()).isEqualTo(SOURCE + ":1-10");
      assertThat(e.path("secondsBehind").isNull()).isTrue();
    }
  }

  @Test
  void stream_feedDisconnects_sendsUnknown() throws Exception {
    f.allUp();
    try (SseClient c = open()) {
      events(c, 3);

      f.registry.publish(f.status("replica2", upTo(10), FeedState.DISCONNECTED, f.clock.instant(), RUNNING));

      JsonNode e = c.nextEvent().data();
      assertThat(e.path("name").asText()).isEqualTo("replica2");
      assertThat(e.path("feed").asText()).isEqualTo("DISCONNECTED");
      assertThat(e.path("state").asText()).isEqualTo("UNKNOWN");
    }
  }

  @Test
  void stream_serversTurnStale_announcedWithoutAnyPublish() throws Exception {
    f.allUp();
    try (SseClient c = open()) {
      events(c, 3);

      f.clock.advance(ApiFixture.STALE_AFTER.plusSeconds(1));

      Set<String> unknown = new HashSet<>();
      for (JsonNode e : events(c, 3)) {
        assertThat(e.path("state").asText()).isEqualTo("UNKNOWN");
        unknown.add(e.path("name").asText());
      }
      assertThat(unknown).containsExactlyInAnyOrder("primary", "replica1", "replica2");
    }
  }

  @Test
  void stream_serverThatCannotBeSerialised_doesNotStopTheOthers() throws Exception {
    f.allUp();
    // A status of the wrong flavor makes lag computation throw: a bug, contained to that server.
    f.registry.publish(f.status("replica1", MariaDbGtidSet.of(0, 1, 5), FeedState.CONNECTED,
        f.clock.instant(), RUNNING));

    try (SseClient c = open()) {
      assertThat(events(c, 2)).extracting(d -> d.path("name").asText()).containsExactly("primary", "replica2");
      f.publishUp("replica2", upTo(11));
      assertThat(c.nextEvent().data().path("confirmed").asText()).isEqualTo(SOURCE + ":1-11");
    }
  }

  @Test
  void stream_multiSourceSet_isSentOnOneLine() throws Exception {
    MysqlGtidSet two = MysqlGtidSet.builder().add(SOURCE, "", 1, 5).add(OTHER_SOURCE, "", 1, 3).build();
    f.publishUp("primary", two);

    try (SseClient c = open()) {
      assertThat(events(c, 3).get(0).path("confirmed").asText())
          .isEqualTo(SOURCE + ":1-5," + OTHER_SOURCE + ":1-3");
    }
  }

  @Test
  void stream_burstOf1000Changes_isCoalesced() throws Exception {
    Duration pace = Duration.ofMillis(20);
    // Rechecks and keep-alives a second apart, not 20 and 50 ms: the pace alone spaces the
    // broadcast cycles of the burst.
    Duration slow = Duration.ofSeconds(1);
    Limits d = ApiFixture.fastLimits();
    replaceWith(new Limits(d.dispatcherThreads(), d.dispatcherQueue(), d.maxConcurrentWaits(), 64,
        256, d.writeTimeout(), slow, slow, pace, d.maxGtidLength()));
    f.allUp();
    try (SseClient c = open()) {
      events(c, 3);

      long start = System.nanoTime();
      for (int i = 11; i <= 1010; i++) {
        f.publishUp("replica1", upTo(i));
      }
      long burst = System.nanoTime() - start;

      int received = 0;
      JsonNode last;
      do {
        last = c.nextEvent().data();
        assertThat(last.path("name").asText()).isEqualTo("replica1");
        received++;
      } while (!last.path("confirmed").asText().equals(SOURCE + ":1-1010"));
      // At most one event of a server per broadcast cycle: the cycles the pace allows while the
      // burst lasts, those the recheck and the keep-alive add, one begun just before it and the
      // one that sends its end. Counted from the burst's own length, so that a slow or loaded
      // machine (a longer burst) does not fail it; one event per change would be 1000.
      long cycles = burst / pace.toNanos() + 2 * (burst / slow.toNanos()) + 5;
      assertThat(received).as("events for 1000 changes published in %d ms", burst / 1_000_000)
          .isPositive().isLessThanOrEqualTo((int) cycles).isLessThan(1000);
      assertThat(last.path("state").asText()).isEqualTo("UP");
    }
  }

  @Test
  void stream_idle_sendsKeepaliveComments() throws Exception {
    try (SseClient c = open()) {
      events(c, 3);

      SseClient.Item i = c.next(Duration.ofSeconds(10));

      assertThat(i.comment()).isEqualTo("keepalive");
    }
  }

  @Test
  void stream_subscriberGone_isRemoved() throws Exception {
    SseClient c = open();
    events(c, 3);
    assertThat(f.get("/metrics").body()).contains("catchup_stream_subscribers 1\n");

    c.close();

    // Noticed on the next write, a keepalive at the latest.
    eventually("the subscriber to be removed",
        () -> f.get("/metrics").body().contains("catchup_stream_subscribers 0\n"));
  }

  @Test
  void stream_tooManySubscribers_returns503() throws Exception {
    replaceWith(with(1, 256, Duration.ofMillis(1)));
    try (SseClient c = open()) {
      events(c, 3);

      assertThat(f.error(f.get("/stream"), 503)).isEqualTo("too many stream subscribers (limit 1, monitor setting http.maxSubscribers)");
      assertThat(f.get("/metrics").body()).contains("catchup_stream_refused_subscribers_total 1\n");
    }
  }

  @Test
  void stream_subscriberThatStopsReading_isDroppedForBacklog_othersKeepReceiving() throws Exception {
    replaceWith(with(4, Duration.ofSeconds(30)));
    stalledSubscriberIsDropped();
  }

  @Test
  void stream_subscriberWhoseWriteBlocks_isDroppedAfterWriteTimeout() throws Exception {
    // A backlog this deep cannot overflow here: only the write timeout can drop it.
    replaceWith(with(100_000, Duration.ofMillis(100)));
    stalledSubscriberIsDropped();
  }

  /** A raw client that never reads: once the socket buffers are full it must be dropped. */
  private void stalledSubscriberIsDropped() throws Exception {
    f.allUp();
    try (SseClient healthy = open(); Socket stalled = new Socket()) {
      events(healthy, 3);
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", f.api.port()));
      stalled.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      eventually("the stalled subscriber to join",
          () -> f.get("/metrics").body().contains("catchup_stream_subscribers 2\n"));

      // Large events (a set of 3000 intervals, ~30 KB of text) fill the socket buffers quickly.
      MysqlGtidSet.Builder b = MysqlGtidSet.builder();
      for (int k = 1; k <= 3000; k++) {
        b.add(SOURCE, "", 2L * k, 2L * k);
      }
      MysqlGtidSet big = b.build();
      // One event at a time, each read by the healthy subscriber before the next: a subscriber that
      // keeps up must never be dropped, however slow the machine (bursts could overflow a small
      // backlog of a healthy but descheduled reader, which would be dropped by design).
      long n = 0;
      while (!f.get("/metrics").body().contains("catchup_stream_dropped_subscribers_total 1\n")) {
        String sent = f.publishUp("replica1",
            big.union(MysqlGtidSet.of(SOURCE, "", 100_000 + n, 100_000 + n))).confirmed().toString()
            .replace("\n", "");
        n++;
        while (!healthy.nextEvent().data().path("confirmed").asText().equals(sent)) {
          // older events of the same server: skip
        }
        assertThat(n).as("publishes before the stalled subscriber was dropped").isLessThan(100_000);
      }

      String finalSet = f.publishUp("replica1", upTo(10)).confirmed().toString();
      JsonNode last;
      do {
        last = healthy.nextEvent().data();
      } while (!last.path("confirmed").asText().equals(finalSet));
      assertThat(f.get("/metrics").body()).contains("catchup_stream_subscribers 1\n");
      assertThat(drainUntilClosed(stalled)).isTrue();
    }
  }

  /** True when the server closed the connection (end of stream or reset), false on a timeout. */
  private static boolean drainUntilClosed(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    byte[] buf = new byte[1 << 16];
    try {
      InputStream in = s.getInputStream();
      while (in.read(buf) >= 0) {
        // discard what was buffered before the server gave up
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void close_endsEveryStream() throws Exception {
    SseClient c = open();
    events(c, 3);

    f.api.close();

    c.awaitEnd();
  }
}
