package dev.catchup.sdk;

import dev.catchup.retry.Backoff;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The feed's two threads: the reader, which tries the monitors in turn ({@link FeedStream#tryMonitor})
 * with the shared {@link Backoff} between failed tries, and the watchdog, which drops a silent
 * stream. Also the switch's log lines: one per monitor followed or lost, none per retry. Kept apart
 * from the stream so that this loop is the feed's only lifecycle code, the part that would move onto
 * a shared run-loop template.
 */
final class FeedReconnects implements FeedStream.Switches {
  // The feed's one logger, whichever part writes: operators (and tests) filter on MonitorFeed.
  private static final Logger log = LoggerFactory.getLogger(MonitorFeed.class);

  /** A followed monitor lost and not yet replaced (reader thread only): for the switch's log line. */
  private record Loss(int index, String note, long atNanos, boolean announced) {}

  private final MonitorRoster roster;
  private final FeedStream stream;
  private final Duration maxStaleness;
  /** Between failed tries (reader thread only); reset by the loss of a stream that was healthy. */
  private final Backoff reconnects = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
  private final Thread reader;
  private final Thread watchdog;
  private volatile boolean running = true;
  /** Reader thread only. */
  private Loss loss;

  FeedReconnects(MonitorRoster roster, FeedStream stream, Duration maxStaleness) {
    this.roster = roster;
    this.stream = stream;
    this.maxStaleness = maxStaleness;
    this.reader = new Thread(this::run, "catchup-monitor-feed");
    reader.setDaemon(true);
    this.watchdog = new Thread(this::watch, "catchup-monitor-watchdog");
    watchdog.setDaemon(true);
  }

  void start() {
    reader.start();
    watchdog.start();
  }

  /** True once the reader thread has ended (closed, or every monitor is misconfigured). */
  boolean stopped() {
    return !reader.isAlive();
  }

  private void run() {
    int i = 0;
    while (running && !roster.allMisconfigured()) {
      if (roster.isMisconfigured(i)) {
        i = (i + 1) % roster.size();
        continue;
      }
      FeedStream.Tried tried;
      try {
        tried = stream.tryMonitor(i, this);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      i = (i + 1) % roster.size();
      if (!running) {
        return;
      }
      if (tried == FeedStream.Tried.LOST_AFTER_HEALTHY) {
        // A switch, not a retry: the next monitor at once. A monitor that drops its streams
        // sooner than a healthy one would is a failed try, so this cannot spin.
        reconnects.reset();
        continue;
      }
      if (loss != null && !loss.announced()) {
        // One line for losing the followed monitor with no other to switch to; none per retry.
        loss = new Loss(loss.index(), loss.note(), loss.atNanos(), true);
        log.warn("Catchup follows no monitor; reads ask the servers directly until one answers: {}",
            roster.notes(-1));
      }
      Duration wait = reconnects.next();
      // INFO on attempts 1, 2, 4, 8...: a monitor down for hours is neither silent nor log spam.
      int attempt = reconnects.attempt();
      log.atLevel(Integer.bitCount(attempt) == 1 ? Level.INFO : Level.DEBUG).log("Catchup tries the "
          + "next monitor in {} ms (attempt {}): {}", wait.toMillis(), attempt, roster.notes(-1));
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Polls the followed stream's silence at a tenth of the bound (10 to 100 ms), so the switch
   * starts at most that late after the view stops being used.
   */
  private void watch() {
    long tick = Math.max(10, Math.min(100, maxStaleness.toMillis() / 10));
    while (running) {
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!reader.isAlive()) {
        return; // the reader gave up (every monitor misconfigured): nothing to watch
      }
      stream.dropIfSilent();
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

  @Override
  public void lost(int i, String note, long nowNanos) {
    loss = new Loss(i, note, nowNanos, false);
  }

  /**
   * Ends both threads promptly (the reader's stream is closed, its connect or sleep interrupted):
   * a closed data source leaves no thread of its own behind.
   */
  void close() {
    running = false;
    reader.interrupt();
    watchdog.interrupt();
    stream.close();
    try {
      reader.join(Duration.ofSeconds(2).toMillis());
      watchdog.join(Duration.ofSeconds(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reader.isAlive()) {
      log.warn("the monitor feed's reader did not end within 2 s of closing");
    }
  }
}
