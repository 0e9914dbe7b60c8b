package dev.catchup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogCaptureTest {
  private static final String NAME = "dev.catchup.testkit.LogCaptureTest.captured";
  private final Logger logger = (Logger) LoggerFactory.getLogger(NAME);

  @Test
  void close_afterLevelsWereSet_givesBackTheLevelTheLoggerHad() {
    logger.setLevel(Level.WARN);
    try {
      try (LogCapture logs = LogCapture.of(NAME, Level.DEBUG)) {
        assertThat(logger.getLevel()).isEqualTo(Level.DEBUG);
        logs.level(Level.TRACE);
        assertThat(logger.getLevel()).isEqualTo(Level.TRACE);
      }
      assertThat(logger.getLevel()).isEqualTo(Level.WARN);
    } finally {
      logger.setLevel(null);
    }
    try (LogCapture logs = LogCapture.of(NAME, Level.INFO)) {
      assertThat(logger.getLevel()).isEqualTo(Level.INFO);
    }
    assertThat(logger.getLevel()).as("inherits again").isNull();
  }

  @Test
  void of_withoutLevel_keepsTheLoggersLevel() {
    logger.setLevel(Level.WARN);
    try (LogCapture logs = LogCapture.of(NAME, null)) {
      logger.info("below the level");
      logger.warn("at the level");
      assertThat(logs.lines()).containsExactly("WARN at the level");
    } finally {
      logger.setLevel(null);
    }
  }

  @Test
  void close_detachesTheAppender_andClosingAgainDoesNothing() {
    LogCapture logs = LogCapture.of(NAME, Level.INFO);
    logger.info("while captured");
    logs.close();
    logger.info("after close");
    logs.close();

    assertThat(logs.messages()).containsExactly("while captured");
    assertThat(logger.iteratorForAppenders().hasNext()).isFalse();
  }

  @Test
  void events_byLevel_andAsLines_inTheOrderLogged() {
    try (LogCapture logs = LogCapture.of(NAME, Level.DEBUG)) {
      logs.logger().debug("one {}", 1);
      logs.logger().warn("two");
      logs.logger().debug("three");
      logger.trace("not at TRACE");

      assertThat(logs.lines()).containsExactly("DEBUG one 1", "WARN two", "DEBUG three");
      assertThat(logs.messages(Level.DEBUG)).containsExactly("one 1", "three");
      assertThat(logs.messages(e -> e.getLevel() != Level.DEBUG)).containsExactly("two");
      assertThat(logs.events(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("two");
      assertThat(logs.events(e -> e.getFormattedMessage().startsWith("t")))
          .extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.DEBUG);
    }
  }

  @Test
  void events_whileAnotherThreadLogs_areCopiesThatReadingNeverBreaks() throws Exception {
    int total = 20_000;
    logger.setAdditive(false); // the lines go to the capture only, not to the console too
    try (LogCapture logs = LogCapture.of(NAME, Level.INFO)) {
      CountDownLatch started = new CountDownLatch(1);
      Thread writer = new Thread(() -> {
        started.countDown();
        for (int i = 0; i < total; i++) {
          logger.info("line {}", i);
        }
      });
      writer.start();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      int seen = 0;
      for (int read = 0; read < 1_000 && writer.isAlive(); read++) {
        List<ILoggingEvent> snapshot = logs.events();
        int before = snapshot.size();
        // Iterating a copy while lines are added: no ConcurrentModificationException, no change.
        assertThat(snapshot.stream().filter(e -> e.getLevel() == Level.INFO).count())
            .isEqualTo(before);
        assertThat(snapshot).hasSize(before);
        assertThat(before).as("lines only ever grow").isGreaterThanOrEqualTo(seen);
        seen = before;
      }
      writer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(writer.isAlive()).isFalse();
      assertThat(logs.messages()).hasSize(total).startsWith("line 0").endsWith("line " + (total - 1));
    } finally {
      logger.setAdditive(true);
    }
  }

  @Test
  void await_lineLoggedLaterOnAnotherThread_returnsItOnceLogged() throws Exception {
    try (LogCapture logs = LogCapture.of(NAME, Level.INFO)) {
      Thread later = new Thread(() -> {
        for (int i = 1; i <= 3; i++) {
          logger.info("attempt {}", i);
        }
        logger.warn("gave up");
      });
      later.start();

      ILoggingEvent warning = logs.await(e -> e.getLevel() == Level.WARN, Duration.ofSeconds(10));
      List<ILoggingEvent> attempts = logs.await(3, e -> e.getLevel() == Level.INFO,
          Duration.ofSeconds(10));

      assertThat(warning.getFormattedMessage()).isEqualTo("gave up");
      assertThat(attempts).extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("attempt 1", "attempt 2", "attempt 3");
      later.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  @Test
  void await_tooFewMatchingLines_failsAtTheTimeoutNamingTheLoggerAndItsLines() {
    try (LogCapture logs = LogCapture.of(NAME, Level.INFO)) {
      logger.info("only this");
      long start = System.nanoTime();

      AssertionError e = assertThrows(AssertionError.class,
          () -> logs.await(2, m -> m.getLevel() == Level.INFO, Duration.ofMillis(200)));

      assertThat(e).hasMessage("waited PT0.2S for 2 matching line(s) of " + NAME
          + ", got 1; its lines: [INFO only this]");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited until the timeout")
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
  }
}
