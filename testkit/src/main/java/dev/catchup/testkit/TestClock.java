package dev.catchup.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when a test says so, for code that takes an injected {@link Clock}
 * (failure streaks, the registry, the HTTP layer) or an injected ticker ({@link #nanoTime()}):
 * time-dependent behaviour tested without sleeping. Readable from any thread, so a loop's own
 * thread sees the test's moves.
 */
public final class TestClock extends Clock {
  private final Instant start;
  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public TestClock(Instant start) {
    this.start = start;
    this.now = start;
  }

  /**
   * The clock as a ticker, read like {@link System#nanoTime()}: nanoseconds since its start, moving
   * with {@link #advance}, so that code given both ({@code clock, clock::nanoTime}) sees one time.
   */
  public long nanoTime() {
    return Duration.between(start, now).toNanos();
  }

  /** Moves the clock forward by {@code d}. */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
