package dev.catchup.sdk;

import java.time.Duration;

/**
 * Whether the {@link MonitorFeed}'s view may be used: a monitor is followed and was heard from
 * within {@code maxStaleness}. The reader thread records each time it hears from the followed
 * monitor; routing, the waiters and the watchdog ask. Kept apart from the stream so that every
 * part judges freshness by the same reading and the same bound.
 */
final class FeedHealth {
  private final MonitorRoster roster;
  private final Ticker ticker;
  private final long maxStalenessNanos;
  /** When the followed monitor (or the one being connected to) last sent anything. */
  private volatile long heardNanos;

  FeedHealth(MonitorRoster roster, Ticker ticker, Duration maxStaleness) {
    this.roster = roster;
    this.ticker = ticker;
    this.maxStalenessNanos = maxStaleness.toNanos();
  }

  /** The reader heard from the monitor at {@code nanos} (a ticker reading). */
  void heard(long nanos) {
    heardNanos = nanos;
  }

  /** How long the monitor has been silent at {@code nowNanos}. */
  long silentNanos(long nowNanos) {
    return nowNanos - heardNanos;
  }

  /** Whether a silence of {@code silentNanos} is past the bound: the view is no longer used. */
  boolean tooSilent(long silentNanos) {
    return silentNanos > maxStalenessNanos;
  }

  /** When the view turns stale unless the monitor says something first (a ticker reading). */
  long staleAtNanos() {
    return heardNanos + maxStalenessNanos + 1;
  }

  /** Whether the view may be used, as {@link #health()} says, with no reason built. */
  boolean usable() {
    return usable(ticker.read());
  }

  /** {@link #usable()} at {@code nowNanos}, a ticker reading the caller already has. */
  boolean usable(long nowNanos) {
    return roster.followed() >= 0 && !tooSilent(silentNanos(nowNanos));
  }

  /**
   * Usable when following a monitor heard from within {@code maxStaleness}. The reason names the
   * monitor followed and says of each other one why it is not (on standby, or its last try).
   */
  MonitorFeed.Health health() {
    int f = roster.followed();
    if (f < 0) {
      return new MonitorFeed.Health(false, roster.notes(-1));
    }
    long silent = silentNanos(ticker.read());
    String others = roster.size() > 1 ? "; " + roster.notes(f) : "";
    if (tooSilent(silent)) {
      return new MonitorFeed.Health(false, "no word from the monitor at " + roster.label(f) + " for "
          + silent / 1_000_000 + " ms" + others);
    }
    return new MonitorFeed.Health(true, "following the monitor at " + roster.label(f) + others);
  }
}
