package dev.catchup.retry;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Writes the lines a {@link FailureStreak} decides on to a logger, the one way every repeating
 * failure of the monitor and the SDK is logged: the streak words the lines, this writes them.
 */
public final class StreakLog {
  private StreakLog() {}

  /** Logs {@code line} at its level, with its stack trace if it has one; nothing when null. */
  public static void write(Logger log, FailureStreak.Line line) {
    if (line != null) {
      log.atLevel(Level.valueOf(line.level().name())).setCause(line.trace()).log("{}", line.text());
    }
  }
}
