package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as an operator runs it: a separate process, configured by environment
 * variables alone, stopped with SIGTERM. The exit code and the version are what a supervisor
 * (systemd, Kubernetes, a container engine) sees.
 */
class ProcessIT {
  private static final Path FAT_JAR = Path.of(System.getProperty("catchup.monitor.fatJar"));
  private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/");

  @TempDir
  Path dir;

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        FAT_JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("monitor.log").toFile());
    // Only this test's settings: none that the test JVM's environment might hold.
    pb.environment().keySet().removeIf(k -> k.startsWith(EnvironmentSettings.PREFIX));
    pb.environment().putAll(env);
    return pb.start();
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("monitor.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void version_printsTheJarsVersion_exits0() throws Exception {
    Process p = start(Map.of(), "--version");
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(log().strip()).isEqualTo("catchup-monitor " + System.getProperty("catchup.version"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void sigterm_stopsGracefully_exits0(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    Path password = Files.writeString(dir.resolve("db-password"), MonitorFixtures.PASSWORD + "\n");
    Map<String, String> env = new HashMap<>();
    env.put("CATCHUP_MONITOR_FLAVOR", Topology.cliName(flavor));
    env.put("CATCHUP_MONITOR_USER", MonitorFixtures.monitorUser(t, false));
    env.put("CATCHUP_MONITOR_PASSWORD_FILE", password.toString());
    env.put("CATCHUP_MONITOR_PRIMARY", "primary=" + t.primary().host() + ":" + t.primary().port());
    env.put("CATCHUP_MONITOR_REPLICAS", t.replicas().stream()
        .map(r -> r.name() + "=" + r.host() + ":" + r.port()).collect(Collectors.joining(",")));
    env.put("CATCHUP_MONITOR_HTTP_PORT", "0");
    Process p = start(env);
    try {
      await("the monitor serving", () -> SERVING.matcher(log()).find() || !p.isAlive());
      Matcher m = SERVING.matcher(log());
      assertThat(m.find()).as("serving line in:\n" + log()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1)
          + "/health")).timeout(Duration.ofSeconds(5)).build();
      // Busy, not idle: trackers connected and streaming when the signal comes.
      await("the primary UP", () -> {
        try {
          return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      });

      p.destroy(); // SIGTERM

      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(p.exitValue()).as("exit code; log:\n" + log()).isZero();
      assertThat(log()).contains("SIGTERM received, stopping").contains("Catchup monitor stopped");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void logFormatJson_everyLineIsAJsonObject_withLevelLoggerAndMessage() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort(); // closed again: the servers refuse, so the feeds log failures
    }
    Map<String, String> env = new HashMap<>();
    env.put("CATCHUP_MONITOR_FLAVOR", "mysql");
    env.put("CATCHUP_MONITOR_USER", "catchup_monitor");
    env.put("CATCHUP_MONITOR_PRIMARY", "p=127.0.0.1:" + closed);
    env.put("CATCHUP_MONITOR_REPLICAS", "r=127.0.0.1:" + closed);
    env.put("CATCHUP_MONITOR_HTTP_PORT", "0");
    env.put("CATCHUP_MONITOR_LOG_FORMAT", "json");
    Process p = start(env);
    try {
      // JSON escapes the slashes of the serving line's URL: look for its words only.
      await("the monitor serving, and a feed failing", () -> !p.isAlive()
          || (log().contains("Catchup monitor serving") && log().contains("binlog feed failed")));
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(p.exitValue()).as("exit code; log:\n" + log()).isZero();
    } finally {
      p.destroyForcibly();
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : log().split("\n")) {
      if (!line.isBlank()) {
        lines.add(json.readTree(line)); // throws on a line that is not JSON
      }
    }
    assertThat(lines).isNotEmpty().allSatisfy(n -> {
      assertThat(n.path("level").asText()).isIn("ERROR", "WARN", "INFO");
      assertThat(n.path("loggerName").asText()).startsWith("dev.catchup.");
      assertThat(n.path("formattedMessage").asText()).isNotBlank();
    });
    assertThat(lines).anySatisfy(n -> {
      assertThat(n.path("level").asText()).isEqualTo("WARN");
      assertThat(n.path("loggerName").asText()).isEqualTo("dev.catchup.monitor.binlog.BinlogFeed");
      // An expected condition: the cause's message, no stack trace.
      assertThat(n.path("formattedMessage").asText()).startsWith("p: binlog feed failed: ");
      assertThat(n.path("throwable").isNull()).as("throwable: " + n.path("throwable")).isTrue();
      assertThat(n.path("formattedMessage").asText()).doesNotContain("\n");
    });
    assertThat(lines).anySatisfy(n -> assertThat(n.path("formattedMessage").asText())
        .isEqualTo("SIGTERM received, stopping"));
  }
}
