package dev.catchup.sdk;

/**
 * Caps reads that fall back to the primary, so that a stalled replica cannot turn every read into
 * primary load (a hung tracker once tripled a primary's read load in a ProxySQL deployment). A token
 * bucket: {@code perSecond} tokens a second, at most one second's worth saved up. A fallback that
 * finds the bucket empty is shed: the read fails with {@link ReplicaNotCaughtUpException} instead of
 * loading the primary, never served stale.
 */
final class FallbackLimiter {
  private final double perSecond;
  private final java.util.function.LongSupplier nanoTime;
  private double tokens;
  private long lastNanos;

  /** {@code perSecond <= 0} means unlimited. */
  FallbackLimiter(double perSecond) {
    this(perSecond, System::nanoTime);
  }

  FallbackLimiter(double perSecond, java.util.function.LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.tokens = perSecond;
    this.lastNanos = nanoTime.getAsLong();
  }

  boolean unlimited() {
    return perSecond <= 0;
  }

  double perSecond() {
    return perSecond;
  }

  /** Takes a token if one is left. */
  synchronized boolean tryAcquire() {
    if (unlimited()) {
      return true;
    }
    long now = nanoTime.getAsLong();
    tokens = Math.min(perSecond, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
