package dev.catchup.monitor.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.retry.Backoff;
import dev.catchup.testkit.TestClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The heartbeat writer's failures, against a primary that refuses connections (no database). */
class HeartbeatWriterTest {
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(HeartbeatWriter.class);

  @BeforeEach
  void capture() {
    logger.setLevel(Level.INFO);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
    logger.setLevel(null);
  }

  @Test
  void heartbeat_primaryRefusesConnections_logsItsStreakOnTheInjectedClock() throws Exception {
    int port;
    try (ServerSocket refused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = refused.getLocalPort(); // closed again: connections to it are refused
    }
    ServerEndpoint primary = new ServerEndpoint("p1", "127.0.0.1", port, "u", "p");
    TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
    HeartbeatWriter writer = new HeartbeatWriter(() -> primary, Duration.ofMillis(1),
        new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), clock);
    writer.start();
    Optional<String> first;
    Optional<String> reminder;
    try {
      first = await("heartbeat writes on p1 failed: ");
      // A minute on the writer's clock, not on the wall's: the reminder comes at the next failure.
      clock.advance(Duration.ofMinutes(2));
      reminder = await("heartbeat writes on p1 still failing: ");
    } finally {
      writer.close();
    }
    assertThat(first).hasValueSatisfying(line -> assertThat(line).contains("(attempt 1)"));
    assertThat(reminder).hasValueSatisfying(line -> assertThat(line)
        .contains(" attempts since 2026-12-05T10:00:00Z (2 min 0 s), last: "));
  }

  /** The first WARN line starting with {@code prefix}, waiting up to 20 s for it. */
  private Optional<String> await(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      List<String> warned;
      synchronized (logs) {
        warned = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage).toList();
      }
      Optional<String> line = warned.stream().filter(m -> m.startsWith(prefix)).findFirst();
      if (line.isPresent() || System.nanoTime() > deadline) {
        return line;
      }
      Thread.sleep(10); // polling a condition, not standing in for one
    }
  }
}
