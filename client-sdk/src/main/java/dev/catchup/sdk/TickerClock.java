package dev.catchup.sdk;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that moves with a {@link Ticker}: for the parts that take a clock (the failure
 * streaks of the feed's reconnects and of a replica's outage, whose reminders and lengths are
 * times) so that they keep the same time as the routing that shares the ticker, and move when a
 * test moves it. It stands at {@code origin} at the reading taken when it is made; only the
 * ticker's differences are added to it, so a wall-clock step (NTP) never shortens or stretches a
 * streak.
 */
final class TickerClock extends Clock {
  private final Ticker ticker;
  private final Instant origin;
  private final long originReading;

  /**
   * @param ticker the time source
   * @param origin what this clock reads now
   */
  TickerClock(Ticker ticker, Instant origin) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.originReading = ticker.read();
  }

  /** Standing at the system's time now: the streaks' "since" lines name a moment people know. */
  static TickerClock of(Ticker ticker) {
    return new TickerClock(ticker, Instant.now());
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(ticker.read() - originReading);
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
