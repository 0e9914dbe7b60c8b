package dev.catchup.retry;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * "Back off, then log the streak": an activity retried after each failure (a reconnect, a read, a
 * write, a failed round of a run loop), waiting as its {@link Backoff} says and logging as a
 * {@link FailureStreak} says (one warning per streak, a count at most once a minute, one line on
 * recovery), with one attempt counter, the streak's: the wait after the n-th failure in a row is
 * {@link Backoff#delay(int) delay(n)}, and the line says "attempt n".
 *
 * <p>It decides and logs; the caller waits (so that it can wait on its own terms: a run loop's
 * {@code pause}, which a stop ends, or a deadline it keeps). Not thread-safe, except
 * {@link #attempts()}: each loop owns its own, or a caller shared by threads locks around it.
 */
public final class RetryStreak {
  /** How the wait is announced unless a caller chooses otherwise: "retrying in 400 ms". */
  public static final String RETRYING = "retrying in";

  private final FailureStreak streak;
  private final Backoff backoff;
  private final String waiting;
  private final Logger log;

  /**
   * @param what the activity, starting each line ("r1: binlog feed", "heartbeat writes on p1")
   * @param clock the time of failures and recoveries, for the streak's reminders and its length
   * @param backoff how long to wait after each failure in a row (only its {@link Backoff#delay}
   *     is used, so one back-off may serve several streaks)
   * @param waiting how the wait is announced, before its length ("reconnecting in", "skipping it
   *     for"): the line ends "{@code <waiting> 400 ms (attempt 3)}"
   * @param log where the lines go (the caller's logger, so that they carry its name)
   */
  public RetryStreak(String what, Clock clock, Backoff backoff, String waiting, Logger log) {
    this.streak = new FailureStreak(what, clock);
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.waiting = Objects.requireNonNull(waiting, "waiting");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Announcing the wait as {@link #RETRYING}. */
  public RetryStreak(String what, Clock clock, Backoff backoff, Logger log) {
    this(what, clock, backoff, RETRYING, log);
  }

  /**
   * One more failure: logs it (its stack trace only when {@link FailureStreak#expected unexpected},
   * once per streak) and returns how long to wait before the next attempt.
   *
   * @param cause what failed
   * @param context what the failure means, said before the wait ("what it has applied is
   *     unknown"), or null
   */
  public Duration failed(Throwable cause, String context) {
    Objects.requireNonNull(cause, "cause");
    Duration wait = nextWait();
    StreakLog.write(log, streak.failed(cause, next(context, wait)));
    return wait;
  }

  /** One more failure that has no exception ("binlog connection closed"): never a stack trace. */
  public Duration failed(String reason, String context) {
    Objects.requireNonNull(reason, "reason");
    Duration wait = nextWait();
    StreakLog.write(log, streak.failed(reason, next(context, wait)));
    return wait;
  }

  /** A success: ends the streak with one INFO line if it was failing; the next wait is the first. */
  public void recovered() {
    StreakLog.write(log, streak.recovered());
  }

  /** Failures in the current streak; 0 when the last attempt worked. Safe from any thread. */
  public int attempts() {
    return streak.attempts();
  }

  private Duration nextWait() {
    return backoff.delay(streak.attempts() + 1);
  }

  private String next(String context, Duration wait) {
    String then = waiting + " " + wait.toMillis() + " ms (attempt " + (streak.attempts() + 1) + ")";
    return context == null || context.isEmpty() ? then : context + "; " + then;
  }
}
