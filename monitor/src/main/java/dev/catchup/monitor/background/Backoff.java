package dev.catchup.monitor.background;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Capped exponential back-off with jitter, counting attempts: the one back-off of every retry loop
 * in the trackers (binlog reconnects, SQL reconnects, tracker errors). Not thread-safe: each loop
 * owns its own.
 */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  /** Given n, a uniformly random number in [0, n]; injected so tests can pin the jitter. */
  private final LongUnaryOperator random;
  private int attempt;

  Backoff(Duration min, Duration max, LongUnaryOperator random) {
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  Backoff(Duration min, Duration max) {
    this(min, max, n -> java.util.concurrent.ThreadLocalRandom.current().nextLong(n + 1));
  }

  /** Counts one more failed attempt and returns how long to wait before the next. */
  Duration next() {
    attempt++;
    long base = Math.min(maxMillis, minMillis << Math.min(20, attempt - 1));
    // Half fixed, half random: spreads reconnects of many monitors without ever waiting near zero.
    return Duration.ofMillis(base / 2 + random.applyAsLong(base / 2));
  }

  /** Failed attempts since the last {@link #reset()}. */
  int attempt() {
    return attempt;
  }

  /** Success: the next failure starts from the minimum again. */
  void reset() {
    attempt = 0;
  }
}
