package dev.catchup.monitor.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.retry.Backoff;
import dev.catchup.testkit.LogCapture;
import dev.catchup.testkit.TestClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The heartbeat writer's failures, against a primary that refuses connections (no database). */
class HeartbeatWriterTest {
  @RegisterExtension
  final LogCapture logs = LogCapture.of(HeartbeatWriter.class, Level.INFO);

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
    String first;
    String reminder;
    try {
      first = await("heartbeat writes on p1 failed: ");
      // A minute on the writer's clock, not on the wall's: the reminder comes at the next failure.
      clock.advance(Duration.ofMinutes(2));
      reminder = await("heartbeat writes on p1 still failing: ");
    } finally {
      writer.close();
    }
    assertThat(first).contains("(attempt 1)");
    assertThat(reminder).contains(" attempts since 2026-12-05T10:00:00Z (2 min 0 s), last: ");
  }

  /** The first WARN line starting with {@code prefix}, waiting up to 20 s for it. */
  private String await(String prefix) throws InterruptedException {
    return logs.await(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith(prefix),
        Duration.ofSeconds(20)).getFormattedMessage();
  }
}
