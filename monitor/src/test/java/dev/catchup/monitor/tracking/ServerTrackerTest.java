package dev.catchup.monitor.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.binlog.BinlogFeed;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.topology.Role;
import dev.catchup.testkit.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tracker's failure handling, against servers that are not there (no database involved): how
 * often it retries and what it logs.
 */
class ServerTrackerTest {
  private static final TrackerSettings FAST = new TrackerSettings(Duration.ofMillis(10),
      Duration.ofMillis(10), Duration.ofMillis(40), null);
  private static final Pattern ATTEMPT = Pattern.compile("\\(attempt (\\d+)\\)");

  @RegisterExtension
  final LogCapture trackerLog = LogCapture.of(ServerTracker.class, Level.DEBUG);
  @RegisterExtension
  final LogCapture feedLog = LogCapture.of(BinlogFeed.class, Level.DEBUG);

  @Test
  void tracker_persistentRuntimeError_logsStackTraceOnce_thenDebugLinesOnly() throws Exception {
    // Publishing a server the registry does not know throws on every round: a persistent bug.
    Registry registry = new Registry(Flavor.MYSQL, Clock.systemUTC(), Duration.ofSeconds(2),
        "primary", List.of());
    int port;
    try (ServerSocket refused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = refused.getLocalPort(); // closed again: connections to it are refused
    }
    ServerTracker t = new ServerTracker(new ServerEndpoint("ghost", "127.0.0.1", port, "u", "p"),
        Role.REPLICA, Flavor.MYSQL, registry, FAST);
    t.start();
    try {
      await(() -> trackerLog.messages().stream()
          .anyMatch(m -> m.contains("failed again (attempt 10)"))
          || trackerErrorWarnings().size() >= 10);
    } finally {
      t.close();
    }
    List<ILoggingEvent> warnings = trackerErrorWarnings();
    assertThat(warnings.stream().filter(e -> e.getThrowableProxy() != null).count())
        .as("warnings with the stack trace").isEqualTo(1);
    // Within the first minute of a streak (the reminder interval) only the first failure warns.
    assertThat(warnings).as("warnings by then: the first only").hasSize(1);
    assertThat(warnings.get(0).getThrowableProxy().getClassName())
        .isEqualTo(IllegalArgumentException.class.getName());
    assertThat(warnings.get(0).getFormattedMessage()).startsWith("ghost: tracker failed: ")
        .contains("unknown server 'ghost'").contains("(attempt 1)");
    List<ILoggingEvent> again = trackerLog.events(
        e -> e.getFormattedMessage().contains("tracker failed again"));
    assertThat(again).isNotEmpty().allMatch(e -> e.getLevel() == Level.DEBUG
        && e.getThrowableProxy() == null);
  }

  @Test
  void tracker_serverRefusesConnections_backsOff_warnsOncePerStreak_countsEveryAttemptAtDebug() throws Exception {
    Registry registry = new Registry(Flavor.MYSQL, Clock.systemUTC(), Duration.ofSeconds(2),
        "primary", List.of("flaky"));
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            accepted.incrementAndGet();
            s.close(); // at once: every login fails
          } catch (IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      ServerTracker t = new ServerTracker(
          new ServerEndpoint("flaky", "127.0.0.1", server.getLocalPort(), "u", "p"),
          Role.REPLICA, Flavor.MYSQL, registry, FAST);
      t.start();
      int logged;
      try {
        await(() -> maxAttempt(trackerLog).orElse(0) >= 6 || accepted.get() >= 200);
      } finally {
        t.close();
        logged = maxAttempt(trackerLog).orElse(0) + maxAttempt(feedLog).orElse(0);
      }
      assertThat(maxAttempt(trackerLog)).as("SQL reconnects say which attempt they are").isPresent();
      // Every connection the server saw was an attempt the logs counted (one in flight at most each).
      assertThat(accepted.get()).isLessThanOrEqualTo(logged + 2);
    }
    List<String> warned = trackerLog.messages(Level.WARN);
    assertThat(warned).as("one warning per failure streak").hasSize(1);
    assertThat(warned.get(0)).startsWith("flaky: reading the server failed: ")
        .contains("what it has applied is unknown").contains("(attempt 1)");
    ServerStatus status = registry.status("flaky").orElseThrow();
    assertThat(status.replication().threads()).isNull();
    assertThat(status.replication().threadsError()).startsWith("server not reachable: ");
  }

  private List<ILoggingEvent> trackerErrorWarnings() {
    return trackerLog.events(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().contains("tracker failed"));
  }

  private static OptionalInt maxAttempt(LogCapture log) {
    return log.messages().stream().map(ATTEMPT::matcher).filter(Matcher::find)
        .mapToInt(m -> Integer.parseInt(m.group(1))).max();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10); // polling a condition, not standing in for one
    }
  }
}
