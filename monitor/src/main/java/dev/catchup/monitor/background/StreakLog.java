package dev.catchup.monitor.background;

import dev.catchup.retry.FailureStreak;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Writes the lines a {@link FailureStreak} decides on to a logger: the streak (in the wire module,
 * shared with the SDK) depends on nothing but the JDK, so it words the lines and this writes them.
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
