package dev.catchup.sdk;

import static dev.catchup.sdk.FakeMonitor.event;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.LogCapture;
import dev.catchup.wire.StatusEvent;
import dev.catchup.wire.StreamFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SDK's stream client against a stand-in monitor: framing, bad events, flavor, schema version,
 * URL prefix, and the events the monitor's writer produces.
 */
class MonitorFeedTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String V = "b9b4712a-df64-11e3-b391-60672090eb04";

  @Test
  void streamUri_basePathWithOrWithoutTrailingSlash_keepsThePrefix() {
    assertThat(MonitorRoster.streamUri(URI.create("https://ops.example/catchup/")))
        .isEqualTo(URI.create("https://ops.example/catchup/stream"));
    assertThat(MonitorRoster.streamUri(URI.create("https://ops.example/catchup")))
        .isEqualTo(URI.create("https://ops.example/catchup/stream"));
    assertThat(MonitorRoster.streamUri(URI.create("http://monitor:9760")))
        .isEqualTo(URI.create("http://monitor:9760/stream"));
    assertThat(MonitorRoster.streamUri(URI.create("http://monitor:9760/")))
        .isEqualTo(URI.create("http://monitor:9760/stream"));
  }

  @Test
  void feed_monitorBehindAPathPrefix_isFollowed() throws Exception {
    try (FakeMonitor m = new FakeMonitor("/catchup/stream",
        event("replica1", "replica", "UP", U + ":1-5", 1));
         MonitorFeed feed = feed(m.baseUrl() + "/catchup/", Flavor.MYSQL)) {
      feed.start();
      await(() -> followed(feed, "replica1"));
      assertThat(feed.health().usable()).isTrue();
    }
  }

  @Test
  void health_silentForLongerThanMaxStaleness_isNotUsable_withoutSleeping() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    Duration maxStaleness = Duration.ofSeconds(3);
    // The stand-in sends one event and then nothing, behind a proxy that then stops forwarding
    // (a hung monitor): time alone makes the view stale, and the reconnect gets no answer.
    try (FakeMonitor m = new FakeMonitor("/stream", event("replica1", "replica", "UP", U + ":1-5", 1));
         FreezableProxy proxy = new FreezableProxy(m.port());
         MonitorFeed feed = new MonitorFeed(List.of(URI.create("http://127.0.0.1:" + proxy.port())),
             null, Flavor.MYSQL, maxStaleness, now::get)) {
      feed.start();
      await(() -> followed(feed, "replica1"));
      proxy.freeze(true);
      now.addAndGet(maxStaleness.toNanos());
      assertThat(feed.health())
          .isEqualTo(new MonitorFeed.Health(true, "following the monitor at 127.0.0.1:" + proxy.port()));
      // Past the bound: not usable, and the watchdog drops the silent stream.
      now.addAndGet(Duration.ofMillis(1).toNanos());
      assertThat(feed.health().usable()).isFalse();
      assertThat(feed.health().reason()).startsWith("no word from the monitor at 127.0.0.1:"
          + proxy.port() + " for 3001 ms");
      await(() -> feed.health().reason().endsWith("for 3001 ms; its stream was dropped"));
      assertThat(feed.health().usable()).isFalse();
    }
  }

  @Test
  void feed_eventSplitOverSeveralDataLines_isOneEvent() throws Exception {
    String split = "event: status\ndata: {\"name\":\"replica1\",\"role\":\"replica\",\n"
        + "data: \"state\":\"UP\",\"confirmed\":\"" + U + ":1-9\",\"version\":3}\n\n";
    try (FakeMonitor m = new FakeMonitor("/stream", split);
         MonitorFeed feed = feed(m.baseUrl(), Flavor.MYSQL)) {
      feed.start();
      await(() -> feed.view("replica1") != null);
      assertThat(feed.view("replica1").confirmed()).isEqualTo(GtidSet.parse(Flavor.MYSQL, U + ":1-9"));
      assertThat(m.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void feed_unreadableEvent_isSkipped_andTheStreamKeepsGoing() throws Exception {
    String body = event("replica1", "replica", "UP", U + ":1-5", 1)
        + "event: status\ndata: {not json\n\n"
        + event("replica2", "replica", "UP", U + ":1-garbage", 2)
        + event("replica2", "replica", "UP", U + ":1-7", 3);
    try (FakeMonitor m = new FakeMonitor("/stream", body);
         MonitorFeed feed = feed(m.baseUrl(), Flavor.MYSQL)) {
      feed.start();
      await(() -> feed.view("replica2") != null);
      assertThat(feed.view("replica2").confirmed()).isEqualTo(GtidSet.parse(Flavor.MYSQL, U + ":1-7"));
      assertThat(feed.health().usable()).isTrue();
      assertThat(m.requests.get()).as("one connection, never torn down").isEqualTo(1);
    }
  }

  @Test
  void feed_monitorOfTheOtherFlavor_isAConfigurationErrorReportedOnce_andNotRetried()
      throws Exception {
    try (FakeMonitor m = new FakeMonitor("/stream", event("primary", "primary", "UP", "0-1-100", 1)
        + event("replica1", "replica", "UP", "0-1-90", 2));
         MonitorFeed feed = feed(m.baseUrl(), Flavor.MYSQL)) {
      feed.start();
      await(() -> feed.health().reason().contains("flavor"));
      assertThat(feed.health().usable()).isFalse();
      assertThat(feed.health().reason())
          .contains("mariadb").contains("MYSQL").contains("127.0.0.1");
      await(feed::stopped); // its only monitor is misconfigured: nothing left to try
      assertThat(m.requests.get()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void feed_eventsAsTheMonitorWritesThem_areApplied(Flavor flavor) throws Exception {
    GtidSet primarySet = GtidSet.parse(flavor, flavor == Flavor.MYSQL
        ? U + ":1-42,\n" + V + ":1-3" : "0-1-42,1-2-3");
    GtidSet replicaSet = GtidSet.parse(flavor, flavor == Flavor.MYSQL ? U + ":1-40" : "0-1-40");
    String body = new String(new StatusEvent("primary", StatusEvent.PRIMARY, "UP", primarySet,
        "CONNECTED", Duration.ofMillis(3), null, 1).toSse(), StandardCharsets.UTF_8)
        + new String(new StatusEvent("replica1", StatusEvent.REPLICA, "UP", replicaSet, "CONNECTED",
        Duration.ZERO, 0.25, 2).toSse(), StandardCharsets.UTF_8)
        + new String(new StatusEvent("replica2", StatusEvent.REPLICA, "UNKNOWN", GtidSet.empty(flavor),
        "DISCONNECTED", null, null, 3).toSse(), StandardCharsets.UTF_8)
        + new String(StreamFormat.KEEPALIVE, StandardCharsets.UTF_8);
    try (FakeMonitor m = new FakeMonitor("/stream", body);
         MonitorFeed feed = feed(m.baseUrl(), flavor)) {
      feed.start();
      await(() -> feed.view("replica2") != null && feed.primaryConfirmed("primary") != null);
      assertThat(feed.primaryConfirmed("primary")).isEqualTo(primarySet);
      assertThat(feed.view("replica1"))
          .isEqualTo(new ReplicaViews.ReplicaView("replica1", true, replicaSet, 0.25, 2));
      assertThat(feed.view("replica2")).isEqualTo(
          new ReplicaViews.ReplicaView("replica2", false, GtidSet.empty(flavor), null, 3));
      assertThat(feed.health().usable()).isTrue();
    }
  }

  @Test
  void feed_monitorOfAnotherSchemaVersion_isAConfigurationErrorReportedOnce_andNotRetried()
      throws Exception {
    String newer = "event: status\ndata: {\"schema\":2,\"server\":{\"name\":\"replica1\"}}\n\n";
    try (FakeMonitor m = new FakeMonitor("/stream", newer);
         MonitorFeed feed = feed(m.baseUrl(), Flavor.MYSQL)) {
      feed.start();
      await(feed::stopped); // its only monitor is misconfigured: nothing left to try
      assertThat(feed.health().usable()).isFalse();
      assertThat(feed.health().reason()).startsWith("monitor 127.0.0.1:")
          .contains("writes /stream schema 2; this reader knows schema 1 only");
      assertThat(m.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void feed_primaryEvents_areKept() throws Exception {
    try (FakeMonitor m = new FakeMonitor("/stream", event("primary", "primary", "UP", U + ":1-42", 1));
         MonitorFeed feed = feed(m.baseUrl(), Flavor.MYSQL)) {
      feed.start();
      await(() -> feed.primaryConfirmed("primary") != null);
      assertThat(feed.primaryConfirmed("primary")).isEqualTo(GtidSet.parse(Flavor.MYSQL, U + ":1-42"));
    }
  }

  @Test
  void feed_monitorUnavailable_retriesWithTheSharedBackoff_warningOncePerStreak() throws Exception {
    // The stand-in answers 404 outside its path: every connection fails.
    try (LogCapture logs = capture();
         FakeMonitor m = new FakeMonitor("/stream", "");
         MonitorFeed feed = feed(m.baseUrl() + "/elsewhere/", Flavor.MYSQL)) {
      feed.start();
      List<ILoggingEvent> retries = logs.await(3, RETRY, WITHIN).subList(0, 3);
      for (int n = 1; n <= 3; n++) {
        String line = retries.get(n - 1).getFormattedMessage();
        assertThat(line).contains("HTTP 404")
            .contains("; reads ask the servers directly until a monitor answers; ");
        Matcher wait = WAIT.matcher(line);
        assertThat(wait.find()).as(line).isTrue();
        assertThat(Integer.parseInt(wait.group(2))).isEqualTo(n);
        // Capped exponential with jitter from 200 ms: half the step fixed, half random.
        long step = 200L << (n - 1);
        assertThat(Long.parseLong(wait.group(1))).isBetween(step / 2, step);
      }
      assertThat(retries.get(0).getFormattedMessage()).startsWith("Catchup's monitor feed failed: "
          + "monitor 127.0.0.1:" + m.port() + "/elsewhere unavailable: HTTP 404; ");
      // One warning per streak, the retries at DEBUG: a long outage does not flood the log.
      assertThat(retries).extracting(ILoggingEvent::getLevel)
          .containsExactly(Level.WARN, Level.DEBUG, Level.DEBUG);
    }
  }

  @Test
  void feed_monitorUnavailableForAMinuteOfTheTicker_remindsWithTheCount() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    try (LogCapture logs = capture();
         FakeMonitor m = new FakeMonitor("/stream", "");
         MonitorFeed feed = new MonitorFeed(List.of(URI.create(m.baseUrl() + "/elsewhere/")), null,
             Flavor.MYSQL, Duration.ofSeconds(3), now::get)) {
      feed.start();
      logs.await(2, RETRY, WITHIN);
      assertThat(logs.events(Level.WARN)).hasSize(1);
      // The streak's clock is the feed's ticker: a minute of it, and the next retry reminds.
      now.addAndGet(Duration.ofMinutes(1).toNanos());
      assertThat(logs.await(2, WARNING, WITHIN).get(1).getFormattedMessage())
          .startsWith("Catchup's monitor feed still failing: ").contains(" attempts since ")
          .contains("(1 min 0 s), last: monitor 127.0.0.1:" + m.port()
              + "/elsewhere unavailable: HTTP 404");
    }
  }

  /** A feed of the one monitor at {@code port}, started, on the ticker {@code now}. */
  private static MonitorFeed startedOn(int port, Duration bound, AtomicLong now) {
    MonitorFeed feed = new MonitorFeed(List.of(URI.create("http://127.0.0.1:" + port)), null,
        Flavor.MYSQL, bound, now::get);
    feed.start();
    return feed;
  }

  /** A monitor back at {@code port}, once {@code feed} has read its snapshot. */
  private static FakeMonitor monitorBackOn(int port, MonitorFeed feed) throws Exception {
    FakeMonitor back = new FakeMonitor(port, "/stream",
        event("replica1", "replica", "UP", U + ":1-5", 1));
    try {
      await(() -> feed.view("replica1") != null);
      return back;
    } catch (Exception | AssertionError e) {
      back.close();
      throw e;
    }
  }

  @Test
  void feed_monitorBackAndFollowedForTheBound_logsTheRecoveryOnce() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    Duration bound = Duration.ofSeconds(3);
    int port = portOfAMonitorGone();
    try (LogCapture logs = capture(); MonitorFeed feed = startedOn(port, bound, now)) {
      logs.await(WARNING, WITHIN);
      try (FakeMonitor back = monitorBackOn(port, feed)) {
        assertThat(logs.events(RECOVERY)).as("followed, but not yet for the bound").isEmpty();
        now.addAndGet(bound.toNanos());
        back.send(":\n"); // a keep-alive, read past the bound: the stream holds
        logs.await(RECOVERY, WITHIN);
        assertThat(logs.messages(RECOVERY)).singleElement().asString()
            .startsWith("Catchup's monitor feed recovered after ").endsWith(" in 3.0 s");
        assertThat(logs.events(Level.WARN)).hasSize(1);
      }
    }
  }

  @Test
  void feed_monitorBackThenSilentPastTheBound_isAFailedTry_notARecovery() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    Duration bound = Duration.ofSeconds(3);
    int port = portOfAMonitorGone();
    try (LogCapture logs = capture(); MonitorFeed feed = startedOn(port, bound, now)) {
      // At least one: the count grows by one per back-off (200 ms at first) while nothing answers.
      logs.await(RETRY, WITHIN);
      try (FakeMonitor back = monitorBackOn(port, feed)) {
        // The reader logs each retry before its next try: none more while this stream is read.
        int failedBefore = logs.events(RETRY).size();
        // Then nothing, past the bound: the watchdog drops a stream that never held (a monitor
        // whose keep-alive is longer than the bound, a proxy that stalls after the snapshot).
        now.addAndGet(bound.toNanos() + 1);
        List<ILoggingEvent> retries = logs.await(failedBefore + 1, RETRY, WITHIN);
        assertThat(logs.events(RECOVERY)).isEmpty();
        assertThat(retries.get(failedBefore).getLevel()).as("the streak goes on")
            .isEqualTo(Level.DEBUG);
      }
    }
  }

  @Test
  void health_monitorAtItsSubscriberLimit_saysItRefusedTheStream_namingTheSetting() throws Exception {
    // What the monitor answers past http.maxSubscribers.
    com.sun.net.httpserver.HttpServer full = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    full.createContext("/stream", x -> {
      byte[] b = ("{\"error\":\"too many stream subscribers (limit 1024, monitor setting "
          + "http.maxSubscribers)\"}").getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Retry-After", "1");
      x.sendResponseHeaders(503, b.length);
      x.getResponseBody().write(b);
      x.close();
    });
    full.start();
    String label = "127.0.0.1:" + full.getAddress().getPort();
    try (MonitorFeed feed = feed("http://" + label, Flavor.MYSQL)) {
      feed.start();
      await(() -> feed.health().reason().contains("refused"));

      assertThat(feed.health()).isEqualTo(new MonitorFeed.Health(false, "monitor " + label
          + " refused the stream: too many stream subscribers (limit 1024, monitor setting "
          + "http.maxSubscribers)"));
    } finally {
      full.stop(0);
    }
  }

  /** A port where a monitor was and is no more: the feed's first tries fail, then one comes back. */
  private static int portOfAMonitorGone() throws IOException {
    FakeMonitor gone = new FakeMonitor("/stream", "");
    int port = gone.port();
    gone.close();
    return port;
  }

  private static final Pattern WAIT =
      Pattern.compile("; trying the next monitor in (\\d+) ms \\(attempt (\\d+)\\)$");

  private static final Predicate<ILoggingEvent> RETRY =
      e -> WAIT.matcher(e.getFormattedMessage()).find();
  private static final Predicate<ILoggingEvent> WARNING = e -> e.getLevel() == Level.WARN;
  private static final Predicate<ILoggingEvent> RECOVERY =
      e -> e.getFormattedMessage().startsWith("Catchup's monitor feed recovered");
  /** How long a test waits for a line, as for any other condition. */
  private static final Duration WITHIN = Duration.ofSeconds(10);

  /** Captures the feed's logger, at DEBUG. */
  private static LogCapture capture() {
    return LogCapture.of(MonitorFeed.class, Level.DEBUG);
  }

  /**
   * Whether the feed follows the monitor, which has sent {@code name}'s status: the reader applies
   * the first event, then marks the monitor followed, so a view alone does not say the feed is
   * usable yet.
   */
  private static boolean followed(MonitorFeed feed, String name) {
    return feed.view(name) != null && feed.health().usable();
  }

  private static MonitorFeed feed(String url, Flavor flavor) {
    return new MonitorFeed(List.of(URI.create(url)), null, flavor, Duration.ofSeconds(3));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10); // polling a condition, not standing in for one
    }
  }
}
