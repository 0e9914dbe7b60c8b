package dev.catchup.monitor.http;

import dev.catchup.retry.FailureStreak;
import dev.catchup.retry.StreakLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests refused with 503 for one fan-out limit ({@code http.maxSubscribers} or
 * {@code http.maxWaits}): counted for {@code /metrics}, and logged as every repeating failure is
 * ({@link FailureStreak}: a warning at the first refusal naming the setting, a count at most once a
 * minute while refusals go on, a line when one is accepted after a second without refusals, with
 * how many were refused meanwhile), so that a fleet outgrowing the limit shows in the log without a line per request.
 *
 * <p>Thread-safe: handlers on many threads refuse and accept, most when the monitor is overloaded.
 * Only the refusal that opens a streak, one a minute that is due a reminder, and the acceptance
 * that ends a streak take the lock; the others count with one atomic step.
 */
final class Refusals {
  private static final Logger log = LoggerFactory.getLogger(Refusals.class);

  private final String reason;
  private final String next;
  private final Clock clock;
  private final AtomicLong total = new AtomicLong();
  /** The current streak; guarded by this. */
  private final FailureStreak streak;
  /**
   * Refusals of the open streak counted without the lock and not yet given to the streak; -1 when
   * none is open. One number, changed by compare-and-set, so that a refusal either counts in the
   * streak an acceptance ends (which takes it to -1 under the lock) or opens the next one.
   */
  private final AtomicInteger uncounted = new AtomicInteger(-1);
  /** When the open streak is next due a reminder: until then refusals take no lock. */
  private volatile Instant remindAt = Instant.MIN;
  /** The latest refusal: an acceptance ends the streak only after {@link #QUIET} without one. */
  private volatile Instant lastRefused = Instant.MIN;

  /**
   * How long refusals must stop before an acceptance ends their streak. At the limit every request
   * that finishes frees a slot the next arrival takes, so acceptances interleave with refusals;
   * ending the streak on each would log a warning and a recovery per refusal, under the lock,
   * exactly when the monitor is overloaded.
   */
  static final Duration QUIET = Duration.ofSeconds(1);

  /**
   * @param setting the setting that bounds it, named in the log
   * @param what what is refused, plural ("stream subscribers")
   * @param limit the setting's value
   * @param clock the time of refusals, for the log's reminders and the streak's length
   */
  Refusals(String setting, String what, int limit, Clock clock) {
    this.streak = new FailureStreak("accepting " + what, clock);
    this.clock = clock;
    this.reason = limit + " are open (" + setting + " " + limit + ")";
    this.next = "refused with 503; raise " + setting + ", or spread the clients over more monitors";
  }

  /** Counts one refusal; the first of a streak is logged, then a count once a minute. */
  void refused() {
    total.incrementAndGet();
    Instant now = clock.instant();
    lastRefused = now;
    for (int n = uncounted.get(); n >= 0 && now.isBefore(remindAt);
        n = uncounted.get()) {
      if (uncounted.compareAndSet(n, n + 1)) {
        return;
      }
    }
    synchronized (this) {
      streak.alsoFailed(uncounted.getAndSet(0)); // -1 (none open) adds nothing: this opens one
      StreakLog.write(log, streak.failed(reason, next));
      remindAt = streak.nextReminder();
    }
  }

  /**
   * One was accepted: ends a streak of refusals, if any and if none came in the last {@link #QUIET},
   * with a line saying how many there were.
   */
  void accepted() {
    // Volatile reads first: most requests are accepted outside any streak, and take no lock.
    if (uncounted.get() < 0 || clock.instant().isBefore(lastRefused.plus(QUIET))) {
      return;
    }
    synchronized (this) {
      if (uncounted.get() < 0) {
        return; // another acceptance ended it meanwhile
      }
      streak.alsoFailed(uncounted.getAndSet(-1));
      StreakLog.write(log, streak.recovered());
    }
  }

  /** Refusals since start. */
  long total() {
    return total.get();
  }
}
