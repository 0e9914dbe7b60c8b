package dev.catchup.monitor.http;

import dev.catchup.retry.FailureStreak;
import dev.catchup.retry.StreakLog;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests refused with 503 for one fan-out limit ({@code http.maxSubscribers} or
 * {@code http.maxWaits}): counted for {@code /metrics}, and logged as every repeating failure is
 * ({@link FailureStreak}: a warning at the first refusal naming the setting, a count at most once a
 * minute while refusals go on, a line when one is accepted again with how many were refused
 * meanwhile), so that a fleet outgrowing the limit shows in the log without a line per request.
 *
 * <p>Thread-safe: handlers on many threads refuse and accept. Only refusals, and the first
 * acceptance after them, take the lock; other acceptances read one volatile count.
 */
final class Refusals {
  private static final Logger log = LoggerFactory.getLogger(Refusals.class);

  private final String reason;
  private final String next;
  private final AtomicLong total = new AtomicLong();
  /**
   * The current streak; guarded by this. Its count is changed only under the lock, so that ending
   * a streak reports exactly the refusals counted in it, never one of the next streak's.
   */
  private final FailureStreak streak;

  /**
   * @param setting the setting that bounds it, named in the log
   * @param what what is refused, plural ("stream subscribers")
   * @param limit the setting's value
   * @param clock the time of refusals, for the log's reminders and the streak's length
   */
  Refusals(String setting, String what, int limit, Clock clock) {
    this.streak = new FailureStreak("accepting " + what, clock);
    this.reason = limit + " are open (" + setting + " " + limit + ")";
    this.next = "refused with 503; raise " + setting + ", or spread the clients over more monitors";
  }

  /** Counts one refusal; the first of a streak is logged, then a count once a minute. */
  void refused() {
    total.incrementAndGet();
    synchronized (this) {
      StreakLog.write(log, streak.failed(reason, next));
    }
  }

  /** One was accepted: ends a streak of refusals, if any, with a line saying how many there were. */
  void accepted() {
    // A volatile read first: most requests are accepted outside any streak, and take no lock.
    if (streak.attempts() == 0) {
      return;
    }
    synchronized (this) {
      StreakLog.write(log, streak.recovered());
    }
  }

  /** Refusals since start. */
  long total() {
    return total.get();
  }
}
