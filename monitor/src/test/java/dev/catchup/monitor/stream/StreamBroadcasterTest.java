package dev.catchup.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.testkit.LogCapture;
import dev.catchup.wire.StreamFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broadcaster: what each subscriber is queued per cycle, its pacing by its injected ticker, and
 * its logging of a status it cannot send.
 */
class StreamBroadcasterTest {
  private static final StreamLimits LIMITS = new StreamLimits(4, 16, Duration.ofSeconds(5),
      Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMillis(1));
  private static final Clock FIXED = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"),
      ZoneOffset.UTC);
  private static final List<String> FIVE = List.of("p1", "r1", "r2", "r3", "r4");
  /** Events in the stream's framing, each naming its server. */
  private static final StatusEncoder BY_NAME = (s, state, behind, topology) -> event(s.name());

  @RegisterExtension
  final LogCapture lines = LogCapture.of(StreamBroadcaster.class, Level.DEBUG);

  /** Limits with {@code backlog}, and nothing due by time alone during a test. */
  private static StreamLimits backlogOf(int backlog) {
    return new StreamLimits(4, backlog, Duration.ofMinutes(5), Duration.ofHours(1),
        Duration.ofHours(1), Duration.ofMillis(1));
  }

  private static Registry fiveServers() {
    return new Registry(Flavor.MYSQL, FIXED, Duration.ofSeconds(3), "p1", FIVE.subList(1, 5));
  }

  /** The events of {@code names}, one after the other, as the stream carries them. */
  private static String eventsOf(List<String> names) {
    StringBuilder all = new StringBuilder();
    names.forEach(n -> all.append(new String(event(n), StandardCharsets.UTF_8)));
    return all.toString();
  }

  private static byte[] event(String name) {
    return StreamFormat.frame(StreamFormat.STATUS_EVENT, "{\"name\":\"" + name + "\"}");
  }

  @Test
  void join_moreServersThanTheBacklog_getsEveryStatusAsOneBroadcastAndStays() throws Exception {
    try (StreamBroadcaster b = StreamBroadcaster.start(fiveServers(), backlogOf(2), BY_NAME)) {
      FakeOut out = new FakeOut();
      assertThat(b.join(b.admit("10.0.0.1:5000", out))).isTrue();

      // The first write is left pending, as a slow socket leaves it: had the snapshot been queued
      // one entry per server, the four behind it would overflow a backlog of two.
      byte[] first = out.written.poll(10, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(eventsOf(FIVE));
      assertThat(out.aborted.get()).isNull();
      assertThat(b.dropped()).isZero();
      assertThat(b.subscribers()).isEqualTo(1);
      out.pending.get(0).succeeded(); // so that the close does not wait for it
    }
  }

  @Test
  void cycle_changesWithAKeepAliveDue_queueOneBroadcast() {
    StreamBroadcaster b = new StreamBroadcaster(fiveServers(), backlogOf(1), BY_NAME);
    FakeOut out = new FakeOut();
    Subscriber s = b.admit("10.0.0.1:5000", out);
    b.cycle(List.of(), List.of(s), false); // joins; nothing to send it yet
    s.offerOrDrop(new byte[] {':', '\n', '\n'}); // a write in flight: what follows is queued

    b.cycle(FIVE, List.of(), true); // every server is news to the stream, and a keep-alive is due

    assertThat(out.aborted.get()).isNull();
    assertThat(b.dropped()).isZero();
    out.pending.get(0).succeeded();
    assertThat(out.written).hasSize(2);
    byte[] second = out.written.stream().skip(1).findFirst().orElseThrow();
    assertThat(new String(second, StandardCharsets.UTF_8)).isEqualTo(eventsOf(FIVE)
        + new String(StreamFormat.KEEPALIVE, StandardCharsets.UTF_8));
  }

  @Test
  void cycle_statusFailsRepeatedlyThenWorks_warnsOnceThenLogsTheRecovery() throws Exception {
    Registry registry = new Registry(Flavor.MYSQL, FIXED, Duration.ofSeconds(3), "p1", List.of());
    AtomicBoolean broken = new AtomicBoolean(true);
    CountDownLatch failures = new CountDownLatch(3);
    StatusEncoder encoder = (s, state, behind, topology) -> {
      if (broken.get()) {
        failures.countDown();
        throw new IllegalStateException("cannot encode " + s.name());
      }
      return ("data: " + s.name() + "\n\n").getBytes(StandardCharsets.US_ASCII);
    };

    try (StreamBroadcaster b = StreamBroadcaster.start(registry, LIMITS, encoder)) {
      assertThat(failures.await(10, TimeUnit.SECONDS)).isTrue(); // retried at each recheck
      broken.set(false);
      // The recovery line, at INFO, ends the streak.
      lines.await(e -> e.getLevel() == Level.INFO, Duration.ofSeconds(10));
    }

    List<ILoggingEvent> warns = lines.events(Level.WARN);
    assertThat(warns).hasSize(1);
    assertThat(warns.get(0).getFormattedMessage()).startsWith("stream: sending the status of p1 "
        + "failed: java.lang.IllegalStateException: cannot encode p1; the other servers' statuses "
        + "still go out; retrying at the next recheck");
    assertThat(warns.get(0).getThrowableProxy().getMessage()).isEqualTo("cannot encode p1");
    assertThat(lines.messages(Level.INFO)).singleElement().asString()
        .matches("stream: sending the status of p1 recovered after \\d+ failed attempts in 0 ms");
  }

  @Test
  void work_keepAliveAndWriteTimeoutDueOnTheTicker_sendTheKeepAliveThenDropTheStalledSubscriber()
      throws Exception {
    AtomicLong ticker = new AtomicLong();
    Duration keepAlive = Duration.ofMinutes(1);
    Duration writeTimeout = Duration.ofMinutes(5);
    StreamLimits limits = new StreamLimits(4, 16, writeTimeout, keepAlive, Duration.ofHours(1),
        Duration.ofMillis(1));
    StreamBroadcaster b = new StreamBroadcaster(fiveServers(), limits, BY_NAME, ticker::get);
    b.beforeStart();
    FakeOut out = new FakeOut();
    assertThat(b.join(b.admit("10.0.0.1:5000", out))).isTrue();
    b.work(); // the first recheck is due at start: the joiner's snapshot
    assertThat(out.written).hasSize(1);
    out.pending.get(0).succeeded();

    // A round waits on the ticker, not on real time: one not due would wait for the keep-alive.
    ticker.addAndGet(keepAlive.toNanos());
    assertTimeoutPreemptively(Duration.ofSeconds(10), b::work);
    assertThat(out.written).hasSize(2);
    assertThat(out.written.stream().skip(1).findFirst().orElseThrow())
        .isEqualTo(StreamFormat.KEEPALIVE);

    // That write is left pending: once it has been pending longer than the write timeout on the
    // ticker, the next round drops the subscriber.
    ticker.addAndGet(writeTimeout.toNanos() + 1);
    assertTimeoutPreemptively(Duration.ofSeconds(10), b::work);
    assertThat(out.aborted.get()).isNotNull();
    assertThat(b.dropped()).isEqualTo(1);
  }
}
