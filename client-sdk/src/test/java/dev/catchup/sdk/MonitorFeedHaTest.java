package dev.catchup.sdk;

import static dev.catchup.sdk.FakeMonitor.event;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.LogCapture;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Monitor high availability in the feed, against stand-in monitors and an injected ticker: a
 * silent (hung, partitioned) followed monitor is left for the other at the staleness bound, a
 * closed one at once, each switch is one log line, the health names the monitor followed and why
 * the others are not, waits end when the feed turns stale, and closing leaves no thread.
 */
class MonitorFeedHaTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final Duration BOUND = Duration.ofSeconds(3);
  private static final String STANDBY = "on standby (one monitor is followed at a time; the others "
      + "are tried when it fails)";

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  // The INFO lines are what some tests check: set here, not left to logback-test.xml or to
  // whichever test ran before.
  @RegisterExtension
  final LogCapture logs = LogCapture.of(MonitorFeed.class, Level.INFO);

  @Test
  void feed_followedMonitorSilentPastTheBound_switchesToTheOther() throws Exception {
    try (FakeMonitor a = new FakeMonitor("/stream", replica1(5));
         FreezableProxy hung = new FreezableProxy(a.port());
         FakeMonitor b = new FakeMonitor("/stream", replica1(9));
         MonitorFeed feed = feed("http://127.0.0.1:" + hung.port(), b.baseUrl())) {
      feed.start();
      await(() -> confirmed(feed, 5));
      assertThat(feed.health()).isEqualTo(new MonitorFeed.Health(true,
          "following the monitor at 127.0.0.1:" + hung.port() + "; monitor 127.0.0.1:" + b.port()
              + " " + STANDBY));

      hung.freeze(true); // SIGSTOP: the connection stays open, nothing more arrives
      now.addAndGet(BOUND.plusMillis(1).toNanos());
      // At the bound, not at twice it: the view stops being used and the stream is dropped at once.
      await(() -> confirmed(feed, 9));
      assertThat(feed.health()).isEqualTo(new MonitorFeed.Health(true,
          "following the monitor at 127.0.0.1:" + b.port() + "; no word from the monitor at "
              + "127.0.0.1:" + hung.port() + " for 3001 ms; its stream was dropped"));
      assertThat(b.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void feed_followedMonitorClosed_switchesToTheOther_inOneLogLine() throws Exception {
    try (FakeMonitor a = new FakeMonitor("/stream", replica1(5));
         FakeMonitor b = new FakeMonitor("/stream", replica1(9));
         MonitorFeed feed = feed(a.baseUrl(), b.baseUrl())) {
      feed.start();
      // The reader makes the feed usable, then logs that it follows: await the line as well, or
      // it could be counted among the lines of the switch.
      String follows = "Catchup reads follow the monitor at 127.0.0.1:" + a.port();
      await(() -> confirmed(feed, 5) && lines(Level.INFO).stream()
          .anyMatch(e -> e.getFormattedMessage().startsWith(follows)));
      now.addAndGet(BOUND.toNanos()); // followed for the bound, heard from just now: healthy
      int before = lines(Level.INFO).size();

      a.close();
      // Likewise the switch: usable on monitor b a moment before its line is logged.
      await(() -> confirmed(feed, 9) && lines(Level.INFO).size() > before);
      List<ILoggingEvent> lines = lines(Level.INFO);
      assertThat(lines.subList(before, lines.size())).extracting(ILoggingEvent::getFormattedMessage)
          .singleElement().asString()
          .startsWith("Catchup reads switch to the monitor at 127.0.0.1:" + b.port() + ", ")
          .contains(" ms after losing the one at 127.0.0.1:" + a.port() + " (monitor 127.0.0.1:"
              + a.port() + " unavailable: ");
      assertThat(feed.health().reason())
          .startsWith("following the monitor at 127.0.0.1:" + b.port() + "; monitor 127.0.0.1:"
              + a.port() + " unavailable: ");
    }
  }

  @Test
  void feed_bothMonitorsGone_saysWhyOfEach_thenFollowsOneThatComesBack() throws Exception {
    FakeMonitor b = new FakeMonitor("/stream", replica1(9));
    int bPort = b.port();
    try (FakeMonitor a = new FakeMonitor("/stream", replica1(5));
         MonitorFeed feed = feed(a.baseUrl(), b.baseUrl())) {
      feed.start();
      await(() -> confirmed(feed, 5));
      now.addAndGet(BOUND.toNanos());
      a.close();
      await(() -> confirmed(feed, 9));
      now.addAndGet(BOUND.toNanos());
      int before = lines(Level.WARN).size();

      b.close();
      await(() -> !feed.health().usable() && feed.health().reason().contains(":" + bPort + " "));
      assertThat(feed.health().reason())
          .contains("monitor 127.0.0.1:" + a.port() + " unavailable: ")
          .contains("monitor 127.0.0.1:" + bPort + " unavailable: ");
      assertThat(logs.await(before + 1, atLeast(Level.WARN), Duration.ofSeconds(10)).get(before)
          .getFormattedMessage())
          .startsWith("Catchup's monitor feed failed: monitor 127.0.0.1:")
          .contains("; reads ask the servers directly until a monitor answers; trying the next "
              + "monitor in ");

      try (FakeMonitor back = new FakeMonitor(bPort, "/stream", replica1(11))) {
        await(() -> confirmed(feed, 11));
        assertThat(feed.health().reason())
            .startsWith("following the monitor at 127.0.0.1:" + bPort + "; monitor 127.0.0.1:");
        assertThat(lines(Level.WARN)).as("one warning for the outage, none per retry")
            .hasSize(before + 1);
      }
    } finally {
      b.close();
    }
  }

  @Test
  void feed_monitorAnswersButSendsNoEvent_isNotFollowed_andIsDroppedAtTheBound() throws Exception {
    try (FakeMonitor mute = new FakeMonitor("/stream", ""); // a monitor shutting down, or hung
         MonitorFeed feed = feed(mute.baseUrl())) {
      feed.start();
      await(() -> feed.health().reason().endsWith("answered; no event from it yet"));
      assertThat(feed.health()).isEqualTo(new MonitorFeed.Health(false,
          "monitor 127.0.0.1:" + mute.port() + " answered; no event from it yet"));
      now.addAndGet(BOUND.plusMillis(1).toNanos());
      await(() -> mute.requests.get() >= 2); // dropped, then tried again after the back-off
      assertThat(lines(Level.INFO)).extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(m -> m.startsWith("Catchup reads follow"));
    }
  }

  @Test
  void await_followedMonitorTurnsStale_endsAtTheBound_notAtTheDeadline() throws Exception {
    try (FakeMonitor a = new FakeMonitor("/stream", replica1(5));
         FreezableProxy hung = new FreezableProxy(a.port());
         MonitorFeed feed = feed("http://127.0.0.1:" + hung.port())) {
      feed.start();
      await(() -> confirmed(feed, 5));
      hung.freeze(true);
      GtidSet beyond = GtidSet.parse(Flavor.MYSQL, U + ":1-6");
      long deadline = now.get() + Duration.ofHours(1).toNanos();
      // A thread of its own: the common pool has one thread on two cores, which other work of the
      // JVM may hold.
      ExecutorService reader = Executors.newSingleThreadExecutor();
      try {
        CompletableFuture<String> waited = CompletableFuture.supplyAsync(() -> {
          try {
            return feed.await(List.of("replica1"), beyond, deadline);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }, reader);
        now.addAndGet(BOUND.plusMillis(1).toNanos());
        // Nothing will satisfy it: it ends because the feed is no longer usable, and the read then
        // asks the servers for the rest of its wait. The deadline is an hour of the ticker, which
        // does not move again: 30 s of real time only guards against a hang.
        assertThat(waited.get(30, TimeUnit.SECONDS)).isNull();
      } finally {
        reader.shutdownNow();
      }
    }
  }

  @Test
  void usable_severalMonitorsFollowedThenStale_agreesWithHealth_andBuildsNoReason()
      throws Exception {
    FakeMonitor gone = new FakeMonitor("/stream", replica1(9));
    gone.close(); // the standby: refuses, so the stale state below lasts
    try (FakeMonitor a = new FakeMonitor("/stream", replica1(5));
         FreezableProxy hung = new FreezableProxy(a.port());
         MonitorFeed feed = feed("http://127.0.0.1:" + hung.port(), gone.baseUrl())) {
      feed.start();
      await(() -> confirmed(feed, 5));
      assertThat(feed.usable()).isEqualTo(feed.health().usable()).isTrue();
      // Every routed read asks: with several monitors the reason names each of them, which is
      // text to build per call; routing needs only the answer.
      assertThat(allocated(feed::usable, 10_000)).as("bytes for 10,000 calls while followed")
          .isLessThan(64 * 1024);

      hung.freeze(true);
      now.addAndGet(BOUND.plusMillis(1).toNanos());
      assertThat(feed.usable()).isEqualTo(feed.health().usable()).isFalse();
      assertThat(allocated(feed::usable, 10_000)).as("bytes for 10,000 calls while stale")
          .isLessThan(64 * 1024);
      assertThat(feed.health().reason()).contains("127.0.0.1:" + hung.port());
    }
  }

  /**
   * Bytes the calling thread allocates in {@code calls} calls of {@code call}: a count, not a
   * time, so the machine's load does not change it. A reason built per call costs hundreds of
   * bytes each.
   */
  private static long allocated(BooleanSupplier call, int calls) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int trues = call.getAsBoolean() ? 1 : 0;
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int k = 0; k < calls; k++) {
      trues += call.getAsBoolean() ? 1 : 0;
    }
    long bytes = mx.getCurrentThreadAllocatedBytes() - before;
    assertThat(trues).as("the answer does not change while measured").isIn(0, calls + 1);
    return bytes;
  }

  @Test
  void close_whileConnectingToAHungMonitor_leavesNoThreadOfTheFeed() throws Exception {
    long before = feedThreads();
    try (FakeMonitor a = new FakeMonitor("/stream", replica1(5));
         FreezableProxy hung = new FreezableProxy(a.port())) {
      hung.freeze(true); // accepts the connection and never answers: the reader waits in send()
      MonitorFeed feed = feed("http://127.0.0.1:" + hung.port());
      feed.start();
      await(() -> hung.connections() > 0);
      feed.close();
      assertThat(feed.stopped()).isTrue();
      assertThat(feedThreads()).isEqualTo(before);
    }
  }

  private static long feedThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("catchup-monitor-")).count();
  }

  private MonitorFeed feed(String... urls) {
    return new MonitorFeed(java.util.Arrays.stream(urls).map(URI::create).toList(), null,
        Flavor.MYSQL, BOUND, now::get);
  }

  private static String replica1(int upTo) {
    return event("replica1", "replica", "UP", U + ":1-" + upTo, 1);
  }

  private static boolean confirmed(MonitorFeed feed, int upTo) {
    ReplicaViews.ReplicaView v = feed.view("replica1");
    return v != null && v.confirmed().equals(GtidSet.parse(Flavor.MYSQL, U + ":1-" + upTo))
        && feed.health().usable();
  }

  /** What the feed logged at {@code level} or above, in order. */
  private List<ILoggingEvent> lines(Level level) {
    return logs.events(atLeast(level));
  }

  private static Predicate<ILoggingEvent> atLeast(Level level) {
    return e -> e.getLevel().isGreaterOrEqual(level);
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
