package dev.catchup.retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * What to log about one repeating activity that fails (a reconnect, a query, a write retried with
 * back-off): the first failure of a streak is a WARN line, with the stack trace only when the
 * failure is unexpected (a bug, not a server that is down: see {@link #expected}); the following
 * failures are DEBUG lines, except one WARN "still failing" line with the count at most once per
 * reminder interval; the first success after failures is one INFO line saying how many attempts
 * and how long it took. A server down for a day thus logs one line per interval, not one per
 * attempt, and never repeats a stack trace.
 *
 * <p>It decides and words the lines; {@link StreakLog#write} writes them to the caller's logger
 * (and a {@link RetryStreak} does both, for an activity retried with back-off). Time comes from the
 * injected clock. Not thread-safe, except {@link #attempts()}: each loop owns its own, or a caller
 * shared by threads locks around it.
 */
public final class FailureStreak {
  /** How often a streak that goes on is reported, unless a caller chooses otherwise. */
  public static final Duration DEFAULT_REMINDER = Duration.ofMinutes(1);

  /** The level of a line, as SLF4J names them. */
  public enum Level { WARN, INFO, DEBUG }

  /**
   * One line to log.
   *
   * @param trace the exception whose stack trace goes with the line, or null for none
   */
  public record Line(Level level, String text, Throwable trace) {
    public Line {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(text, "text");
    }
  }

  private final String what;
  private final Clock clock;
  private final Duration reminderEvery;
  /** Volatile so that a fast path on another thread can read it without the owner's lock. */
  private volatile int attempts;
  private Instant since;
  private Instant lastWarned;

  /**
   * @param what the activity, starting each line ("r1: binlog feed", "heartbeat writes on p1")
   * @param clock the time of failures and recoveries
   * @param reminderEvery the least time between two lines at WARN of one streak
   * @throws IllegalArgumentException if reminderEvery is not positive
   */
  public FailureStreak(String what, Clock clock, Duration reminderEvery) {
    this.what = Objects.requireNonNull(what, "what");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (reminderEvery == null || reminderEvery.isNegative() || reminderEvery.isZero()) {
      throw new IllegalArgumentException("reminderEvery must be positive, was " + reminderEvery);
    }
    this.reminderEvery = reminderEvery;
  }

  /** With {@link #DEFAULT_REMINDER}. */
  public FailureStreak(String what, Clock clock) {
    this(what, clock, DEFAULT_REMINDER);
  }

  /**
   * One more failure.
   *
   * @param cause what failed; its stack trace goes with the first line of the streak only when it
   *     is not {@link #expected}
   * @param next what happens next, ending the line ("retrying in 400 ms (attempt 3)"), or null
   */
  public Line failed(Throwable cause, String next) {
    Objects.requireNonNull(cause, "cause");
    boolean trace = !expected(cause);
    return failed(trace ? cause.toString() : describe(cause), next, trace ? cause : null);
  }

  /** One more failure that has no exception (a stream the server closed): never a stack trace. */
  public Line failed(String reason, String next) {
    return failed(Objects.requireNonNull(reason, "reason"), next, null);
  }

  private Line failed(String reason, String next, Throwable trace) {
    Instant now = clock.instant();
    attempts++;
    String then = next == null || next.isEmpty() ? "" : "; " + next;
    if (attempts == 1) {
      since = now;
      lastWarned = now;
      return new Line(Level.WARN, what + " failed: " + reason + then
          + (trace == null ? "" : " (the stack trace is logged once per failure streak)"), trace);
    }
    if (!now.isBefore(lastWarned.plus(reminderEvery))) {
      lastWarned = now;
      return new Line(Level.WARN, what + " still failing: " + attempts + " attempts since "
          + since.truncatedTo(ChronoUnit.SECONDS) + " (" + human(Duration.between(since, now))
          + "), last: " + reason + then, null);
    }
    return new Line(Level.DEBUG, what + " failed again (attempt " + attempts + "): " + reason
        + then, null);
  }

  /**
   * {@code times} more failures counted by the caller and not logged one by one (the monitor's
   * refusals, counted without a lock while no line is due): they count in the next line's
   * attempts. Nothing outside a streak, whose first failure is logged by {@link #failed}.
   */
  public void alsoFailed(int times) {
    if (attempts > 0 && times > 0) {
      attempts += times;
    }
  }

  /** When a failure is next due a WARN line (a reminder), or null outside a streak. */
  public Instant nextReminder() {
    return lastWarned == null ? null : lastWarned.plus(reminderEvery);
  }

  /**
   * A success: ends the streak.
   *
   * @return the INFO line saying how many attempts failed and for how long, or null when nothing
   *     was failing
   */
  public Line recovered() {
    if (attempts == 0) {
      return null;
    }
    Line line = new Line(Level.INFO, what + " recovered after " + attempts + " failed attempt"
        + (attempts == 1 ? "" : "s") + " in " + human(Duration.between(since, clock.instant())),
        null);
    attempts = 0;
    since = null;
    lastWarned = null;
    return line;
  }

  /** Failures in the current streak; 0 when the last attempt worked. Safe from any thread. */
  public int attempts() {
    return attempts;
  }

  /**
   * Whether {@code e} is a condition a daemon meets in normal operation (a server down, refused,
   * timed out, a query the server rejected), worth its message but not its stack trace: SQL and
   * I/O errors and timeouts. Anything else (a {@code NullPointerException}, an
   * {@code IllegalStateException}) says the code is wrong, and its trace is what fixes it.
   */
  public static boolean expected(Throwable e) {
    return e instanceof SQLException || e instanceof IOException
        || e instanceof UncheckedIOException || e instanceof TimeoutException;
  }

  /**
   * An expected failure in one line: the first line of its message (or its class when it has
   * none), and its root cause's when that says more ("Communications link failure (Connection
   * refused)": the driver's message alone runs over three lines and hides the reason).
   */
  public static String describe(Throwable e) {
    String line = firstLine(e);
    Throwable root = e;
    for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
      root = root.getCause();
    }
    String rootLine = root == e || root.getMessage() == null ? null : firstLine(root);
    return rootLine == null || line.contains(rootLine) ? line : line + " (" + rootLine + ")";
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    m = m.strip();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }

  /** 850 ms, 12.3 s, 4 min 5 s, 3 h 20 min: a streak's length as a person reads it. */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return (ms / 100) / 10.0 + " s";
    }
    long s = ms / 1000;
    if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3600 + " h " + (s % 3600) / 60 + " min";
  }
}
