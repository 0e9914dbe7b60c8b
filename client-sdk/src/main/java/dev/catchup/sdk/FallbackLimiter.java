package dev.catchup.sdk;

/**
 * Caps reads that fall back to the primary, so that a stalled replica cannot turn every read into
 * primary load (a hung tracker once tripled a primary's read load in a ProxySQL deployment). A token
 * bucket: {@code perSecond} tokens a second, at most one second's worth saved up but never less than
 * one token (a rate below one a second would otherwise never fill a whole token and shed every
 * fallback forever: at 0.5 a second, one fallback every 2 s). A fallback that finds the bucket empty
 * is shed: the read fails with {@link ReplicaNotCaughtUpException} instead of
 * loading the primary, never served stale.
 */
final class FallbackLimiter {
  private final double perSecond;
  private final double capacity;
  private final Ticker ticker;
  private double tokens;
  private long lastNanos;

  /** {@code perSecond <= 0} means unlimited. */
  FallbackLimiter(double perSecond) {
    this(perSecond, Ticker.system());
  }

  FallbackLimiter(double perSecond, Ticker ticker) {
    this.perSecond = perSecond;
    this.ticker = ticker;
    this.capacity = Math.max(1, perSecond);
    this.tokens = capacity;
    this.lastNanos = ticker.read();
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
    long now = ticker.read();
    tokens = Math.min(capacity, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
