package dev.catchup.monitor.http;

import dev.catchup.retry.FailureStreak;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to log of the 500s (bugs): one failure streak per kind of error, the exception's class on
 * one endpoint, so that each new bug logs a WARN with its stack trace while a bug that repeats
 * logs a count at most once a minute. One streak for all would hide every later bug's trace behind
 * the first one's reminders, for as long as the monitor runs: a success of another request says
 * nothing of the failing one, so nothing would ever end that streak. A kind quiet for
 * {@link #QUIET} starts a new streak when it comes back, so its trace is in the recent log again.
 *
 * <p>Thread-safe: handlers fail on many threads (only failures take the lock).
 */
final class InternalErrors {
  /**
   * Kinds remembered; past it the least recently failing one is forgotten (its next failure logs a
   * trace again). Bugs are few: the bound only stops a flood of distinct ones from growing the map.
   */
  static final int MAX_KINDS = 64;

  /** How long a kind must stay quiet for its next failure to start a new streak. */
  static final Duration QUIET = Duration.ofHours(1);

  private final Clock clock;
  // Guarded by this; in access order, so that the eldest is the least recently failing kind.
  private final Map<String, Kind> kinds = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Kind> eldest) {
      return size() > MAX_KINDS;
    }
  };

  private static final class Kind {
    final FailureStreak streak;
    Instant last;

    Kind(FailureStreak streak) {
      this.streak = streak;
    }
  }

  InternalErrors(Clock clock) {
    this.clock = clock;
  }

  /**
   * The line to log for {@code e}, thrown answering {@code method} {@code path}.
   *
   * @param path the request's path; its first segment is the endpoint ({@code /status/db1} and
   *     {@code /status/db2} are one endpoint, so that server names cannot multiply the kinds)
   */
  synchronized FailureStreak.Line failed(RuntimeException e, String method, String path) {
    String name = e.getClass().getName() + " on " + endpoint(path);
    Instant now = clock.instant();
    Kind kind = kinds.get(name);
    if (kind == null || !now.isBefore(kind.last.plus(QUIET))) {
      kind = new Kind(new FailureStreak("HTTP request handling (" + name + ")", clock));
      kinds.put(name, kind);
    }
    kind.last = now;
    return kind.streak.failed(e, "answered " + method + " " + path + " with 500 internal error");
  }

  static String endpoint(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    int next = path.indexOf('/', 1);
    return next < 0 ? path : path.substring(0, next);
  }
}
