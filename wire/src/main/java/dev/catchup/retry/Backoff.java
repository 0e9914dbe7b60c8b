package dev.catchup.retry;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Capped exponential back-off with jitter: the one back-off of every retry loop in the monitor
 * (binlog reconnects, SQL reconnects, heartbeat writes, failed rounds of any run loop) and in the
 * SDK (reconnecting to the monitors' event stream, backing off a replica). It keeps no state: the
 * caller counts the failures in a row (a {@link RetryStreak} counts them in its streak) and asks
 * {@link #delay(int)}, so one back-off may serve several loops and threads. Depends on nothing but
 * the JDK.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  /** Given n, a uniformly random number in [0, n]; injected so tests can pin the jitter. */
  private final LongUnaryOperator random;

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

  /**
   * How long to wait after the {@code attempt}-th failure in a row.
   *
   * @param attempt 1 for the first failure
   * @throws IllegalArgumentException if attempt is below 1
   */
  public Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
    }
    long base = Math.min(maxMillis, minMillis << Math.min(20, attempt - 1));
    // Half fixed, half random: spreads reconnects of many monitors without ever waiting near zero.
    return Duration.ofMillis(base / 2 + random.applyAsLong(base / 2));
  }
}
