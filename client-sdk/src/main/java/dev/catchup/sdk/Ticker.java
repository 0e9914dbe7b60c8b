package dev.catchup.sdk;

/**
 * A source of time in nanoseconds, read like {@link System#nanoTime()}: only differences between
 * readings mean anything. Injected wherever time matters (routing's age rule and wait budgets, the
 * monitor's staleness, the last write of a session, the fallback cap) so that tests move time
 * instead of sleeping. Components that compare each other's readings (a session's last write and
 * the router's now, a wait deadline and the monitor feed) must share one ticker.
 */
@FunctionalInterface
interface Ticker {

  /** The current reading, in nanoseconds. */
  long read();

  /** The system's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
