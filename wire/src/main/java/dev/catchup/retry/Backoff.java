package dev.catchup.retry;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Capped exponential back-off with jitter, counting attempts: the one back-off of every retry loop
 * in the monitor (binlog reconnects, SQL reconnects, heartbeat writes, failed rounds of any run
 * loop) and in the SDK (reconnecting to the monitors' event stream). Not thread-safe: each loop
 * owns its own. Depends on nothing but the JDK, since the SDK embeds it in users' services.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  /** Given n, a uniformly random number in [0, n]; injected so tests can pin the jitter. */
  private final LongUnaryOperator random;
  private int attempt;

  /**
   * @param min the first wait (before jitter)
   * @param max the cap
   * @param random given n, a uniformly random number in [0, n]
   * @throws IllegalArgumentException if min is not positive or max is below it
   */
  public Backoff(Duration min, Duration max, LongUnaryOperator random) {
    if (min == null || min.isNegative() || min.isZero() || max == null || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("back-off must have 0 < min <= max, was min " + min
          + ", max " + max);
    }
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** With uniform random jitter. */
  public Backoff(Duration min, Duration max) {
    this(min, max, n -> java.util.concurrent.ThreadLocalRandom.current().nextLong(n + 1));
  }

  /** Counts one more failed attempt and returns how long to wait before the next. */
  public Duration next() {
    attempt++;
    long base = Math.min(maxMillis, minMillis << Math.min(20, attempt - 1));
    // Half fixed, half random: spreads reconnects of many monitors without ever waiting near zero.
    return Duration.ofMillis(base / 2 + random.applyAsLong(base / 2));
  }

  /** Failed attempts since the last {@link #reset()}. */
  public int attempt() {
    return attempt;
  }

  /** Success: the next failure starts from the minimum again. */
  public void reset() {
    attempt = 0;
  }
}
