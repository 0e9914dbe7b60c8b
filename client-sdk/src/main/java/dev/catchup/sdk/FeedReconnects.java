package dev.catchup.sdk;

import dev.catchup.background.Background;
import dev.catchup.background.RunLoop;
import dev.catchup.retry.Backoff;
import dev.catchup.retry.RetryStreak;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed's two threads, each a {@link RunLoop}: the reader, which tries the monitors in turn
 * ({@link FeedStream#tryMonitor}), waiting between failed tries as its {@link RetryStreak} says,
 * and the watchdog, which drops a silent stream. Also the switch's log lines: one per monitor
 * followed, none per retry. The retries log as every retry loop of Catchup does: one warning when
 * the feed starts failing, a count at most once a minute, one line once a monitor is followed
 * again for the staleness bound.
 */
final class FeedReconnects implements FeedStream.Switches {
  // The feed's one logger, whichever part writes: operators (and tests) filter on MonitorFeed.
  private static final Logger log = LoggerFactory.getLogger(MonitorFeed.class);
  /** 0.2 s doubling to 5 s, with jitter: between failed tries, and between failed rounds. */
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
  /** How long {@link #close()} waits for both threads. */
  private static final Duration CLOSE_BUDGET = Duration.ofSeconds(2);

  /** A followed monitor lost and not yet replaced (reader thread only): for the switch's line. */
  private record Loss(int index, String note, long atNanos) {}

  private final MonitorRoster roster;
  private final FeedStream stream;
  /**
   * Failed tries in a row (reader thread only). A try fails unless the monitor was followed for the
   * staleness bound: one that answers and drops its stream sooner is retried with back-off, or
   * such a monitor would be asked again and again without pause.
   */
  private final RetryStreak reconnects;
  private final Reader reader;
  private final Watchdog watchdog;
  /** Set once the reader has ended: closed, or every monitor is misconfigured. */
  private volatile boolean ended;
  /** Reader thread only. */
  private Loss loss;

  /**
   * @param clock the time of failed tries, for the retries' reminders and their length: the
   *     feed's ticker, as a clock ({@link TickerClock})
   */
  FeedReconnects(MonitorRoster roster, FeedStream stream, Duration maxStaleness, Clock clock) {
    this.roster = roster;
    this.stream = stream;
    this.reconnects = new RetryStreak("Catchup's monitor feed", clock, BACKOFF,
        "trying the next monitor in", log);
    this.reader = new Reader(clock);
    this.watchdog = new Watchdog(maxStaleness, clock);
  }

  void start() {
    reader.start();
    watchdog.start();
  }

  /** True once the reader thread has ended (closed, or every monitor is misconfigured). */
  boolean stopped() {
    return ended;
  }

  /** One try of the next monitor per round. */
  private final class Reader extends RunLoop {
    /** The monitor to try next (reader thread only). */
    private int next;

    Reader(Clock clock) {
      super("Catchup monitor feed", "catchup-monitor-feed", "reader", BACKOFF, clock, log);
    }

    @Override
    protected void work() throws InterruptedException {
      if (roster.allMisconfigured()) {
        requestStop(); // nothing left to try: the reader ends, and the watchdog with it
        return;
      }
      int i = next;
      next = (i + 1) % roster.size();
      if (roster.isMisconfigured(i)) {
        return;
      }
      FeedStream.Tried tried = stream.tryMonitor(i, FeedReconnects.this);
      if (!isRunning()) {
        return;
      }
      if (tried == FeedStream.Tried.LOST_AFTER_HEALTHY) {
        // A switch, not a retry: the next monitor at once.
        reconnects.recovered();
        return;
      }
      pause(reconnects.failed(roster.notes(-1),
          "reads ask the servers directly until a monitor answers"));
    }

    /** Ends the stream being read or connected to, which the interrupt that follows cannot. */
    @Override
    protected void onStopRequested() {
      stream.close();
    }

    @Override
    protected void afterStop() {
      ended = true;
      watchdog.requestStop(); // nothing left to watch
    }
  }

  /**
   * Polls the followed stream's silence at a tenth of the bound (10 to 100 ms), so the switch
   * starts at most that late after the view stops being used.
   */
  private final class Watchdog extends RunLoop {
    private final Duration tick;

    Watchdog(Duration maxStaleness, Clock clock) {
      super("Catchup monitor watchdog", "catchup-monitor-watchdog", "watchdog", BACKOFF, clock,
          log);
      this.tick = Duration.ofMillis(Math.max(10, Math.min(100, maxStaleness.toMillis() / 10)));
    }

    @Override
    protected void work() {
      if (pause(tick)) {
        stream.dropIfSilent();
      }
    }
  }

  /** Logs following monitor {@code i}: one line per switch, none per retry. */
  @Override
  public void followed(int i, long nowNanos) {
    String label = roster.label(i);
    Loss lost = loss;
    loss = null;
    if (lost == null) {
      log.info("Catchup reads follow the monitor at {}{}", label,
          roster.size() > 1 ? "; " + roster.notes(i) : "");
    } else if (lost.index() == i) {
      log.info("Catchup reads follow the monitor at {} again, {} ms after losing it ({})", label,
          (nowNanos - lost.atNanos()) / 1_000_000, lost.note());
    } else {
      log.info("Catchup reads switch to the monitor at {}, {} ms after losing the one at {} ({})",
          label, (nowNanos - lost.atNanos()) / 1_000_000, roster.label(lost.index()), lost.note());
    }
  }

  /** Ends the retries' streak, with its one line if tries had failed. */
  @Override
  public void steady(int i) {
    reconnects.recovered();
  }

  @Override
  public void lost(int i, String note, long nowNanos) {
    loss = new Loss(i, note, nowNanos);
  }

  /**
   * Ends both threads promptly (the reader's stream is closed, its connect or pause interrupted),
   * in parallel and within one budget: a closed data source leaves no thread of its own behind.
   */
  void close() {
    List<String> left = Background.stopAll(List.of(reader, watchdog), CLOSE_BUDGET);
    if (!left.isEmpty()) {
      log.warn("{} did not end within {} ms of closing", left, CLOSE_BUDGET.toMillis());
    }
    if (!left.contains(reader.name())) {
      ended = true; // also when it never started
    }
  }
}
