package dev.catchup.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The lines one logger logs while a test runs, for tests that check what the code logs.
 *
 * <p>{@link #of} attaches an appender to the logger and, if given, sets its level; {@link #close}
 * detaches it and gives the level back, so that later tests in the JVM log as configured. Use it
 * in a try-with-resources block, or as a field registered with JUnit, which closes it after each
 * test:
 *
 * <pre>{@code
 * @RegisterExtension
 * final LogCapture logs = LogCapture.of(Replica.class, Level.DEBUG);
 * }</pre>
 *
 * <p>Lines may be logged on any thread: every read is a copy taken under the capture's lock, and
 * {@link #await} waits for lines that a background thread has yet to log, without polling.
 */
public final class LogCapture implements AutoCloseable, AfterEachCallback {
  private final Logger logger;
  private final Level previous;
  private final Object lock = new Object();
  private final List<ILoggingEvent> events = new ArrayList<>(); // guarded by lock
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      e.prepareForDeferredProcessing(); // the message as it was when logged, read on any thread
      synchronized (lock) {
        events.add(e);
        lock.notifyAll();
      }
    }
  };

  private LogCapture(Logger logger, Level level) {
    this.logger = logger;
    this.previous = logger.getLevel();
    appender.setContext(logger.getLoggerContext());
    appender.start();
    if (level != null) {
      logger.setLevel(level);
    }
    logger.addAppender(appender);
  }

  /** Captures the logger of {@code type} at {@code level}. */
  public static LogCapture of(Class<?> type, Level level) {
    return of(type.getName(), Objects.requireNonNull(level, "level"));
  }

  /** Captures the logger of {@code type} at the level it has (configured or inherited). */
  public static LogCapture of(Class<?> type) {
    return of(type.getName(), null);
  }

  /** Captures the logger named {@code name}; at {@code level}, or at the one it has if null. */
  public static LogCapture of(String name, Level level) {
    return new LogCapture((Logger) LoggerFactory.getLogger(name), level);
  }

  /** The captured logger, for code under test that is given the logger to log to. */
  public org.slf4j.Logger logger() {
    return logger;
  }

  /** Sets the logger's level for the rest of the test; {@link #close} still restores the first. */
  public void level(Level level) {
    logger.setLevel(Objects.requireNonNull(level, "level"));
  }

  /** Every line so far, in order: a copy, which lines logged later do not change. */
  public List<ILoggingEvent> events() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }

  /** The lines so far that {@code which} accepts, in order. */
  public List<ILoggingEvent> events(Predicate<? super ILoggingEvent> which) {
    return events().stream().filter(which).toList();
  }

  /** The lines so far at exactly {@code level}, in order. */
  public List<ILoggingEvent> events(Level level) {
    return events(e -> e.getLevel() == level);
  }

  /** The formatted messages so far, in order. */
  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** The formatted messages so far at exactly {@code level}, in order. */
  public List<String> messages(Level level) {
    return events(level).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** The formatted messages so far of the lines that {@code which} accepts, in order. */
  public List<String> messages(Predicate<? super ILoggingEvent> which) {
    return events(which).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** The lines so far as {@code "LEVEL message"}, in order. */
  public List<String> lines() {
    return events().stream().map(LogCapture::line).toList();
  }

  /**
   * Waits up to {@code timeout} for a line that {@code which} accepts, and returns the first.
   *
   * @throws AssertionError if none is logged in time, listing the lines that were
   */
  public ILoggingEvent await(Predicate<? super ILoggingEvent> which, Duration timeout)
      throws InterruptedException {
    return await(1, which, timeout).get(0);
  }

  /**
   * Waits up to {@code timeout} until at least {@code count} lines that {@code which} accepts are
   * logged, and returns all those so far, in order.
   *
   * @throws AssertionError if fewer are logged in time, listing the lines that were
   */
  public List<ILoggingEvent> await(int count, Predicate<? super ILoggingEvent> which,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        List<ILoggingEvent> matching = events.stream().filter(which).toList();
        long left = deadline - System.nanoTime();
        if (matching.size() >= count) {
          return matching;
        }
        if (left <= 0) {
          throw new AssertionError("waited " + timeout + " for " + count + " matching line(s) of "
              + logger.getName() + ", got " + matching.size() + "; its lines: "
              + events.stream().map(LogCapture::line).toList());
        }
        // Woken by each line logged; the deadline bounds the wait.
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Detaches from the logger and gives it back the level it had; closing again does nothing. */
  @Override
  public void close() {
    if (appender.isStarted()) {
      logger.detachAppender(appender);
      appender.stop();
      logger.setLevel(previous);
    }
  }

  /** Closes the capture after each test, when it is a field registered as a JUnit extension. */
  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  private static String line(ILoggingEvent e) {
    return e.getLevel() + " " + e.getFormattedMessage();
  }
}
