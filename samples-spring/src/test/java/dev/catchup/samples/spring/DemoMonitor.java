package dev.catchup.samples.spring;

import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Catchup monitor as {@code scripts/demo.sh --spring} runs it: the monitor's jar in a process
 * of its own, with the compose stack's config ({@code docker/monitor.<flavor>.yaml}) pointed at the
 * local primary and one replica, as the user {@code docker/<flavor>/monitor-user.sql} creates with
 * exactly its grants (unlogged on each server, as the demo does, so no replica has to catch up).
 */
final class DemoMonitor implements AutoCloseable {
  /** The name the demo's monitor config gives its one replica; the services must use it too. */
  static final String REPLICA = "replica";
  private static final Pattern CREATE_USER =
      Pattern.compile("CREATE USER '([^']+)'@'%' IDENTIFIED BY '([^']+)';");
  private static final Duration START = Duration.ofSeconds(60);

  private final Process process;
  private final int port;

  private DemoMonitor(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the monitor over {@code t}'s primary and {@code replica}; returns once it is healthy. */
  static DemoMonitor start(Topology t, Server replica, Path logs) throws Exception {
    Path root = projectRoot();
    String flavor = Topology.cliName(t.flavor());
    createUser(t, Files.readString(root.resolve("docker/" + flavor + "/monitor-user.sql")));
    Path config = logs.resolve("monitor.yaml");
    Files.writeString(config, localConfig(Files.readString(
        root.resolve("docker/monitor." + flavor + ".yaml")), t.primary(), replica));
    Path jar = root.resolve("monitor/target/catchup-monitor.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the monitor first "
          + "(mvn -pl samples-spring -am verify builds it)");
    }
    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
        "--config", config.toString(), "--http-port", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(logs.resolve("monitor.log").toFile());
    // The file says everything; a CATCHUP_MONITOR_* variable of the build's would override it.
    pb.environment().keySet().removeIf(k -> k.startsWith("CATCHUP_"));
    DemoMonitor m = new DemoMonitor(pb.start(), port);
    try {
      m.awaitHealthy(logs.resolve("monitor.log"));
    } catch (Exception | AssertionError e) {
      m.close();
      throw e;
    }
    return m;
  }

  /** The URL the services subscribe to ({@code catchup.monitors}). */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The demo's monitor user on every server, from the stack's own script. */
  private static void createUser(Topology t, String script) throws SQLException {
    Matcher user = CREATE_USER.matcher(script);
    if (!user.find()) {
      throw new IllegalStateException("no " + CREATE_USER + " in monitor-user.sql");
    }
    List<String> grants = script.lines().filter(l -> l.startsWith("GRANT "))
        .map(l -> l.substring(0, l.length() - (l.endsWith(";") ? 1 : 0))).toList();
    t.createUser(user.group(1), user.group(2), grants);
  }

  /** The stack's config with its container host names replaced, as demo.sh's sed does. */
  static String localConfig(String composeConfig, Server primary, Server replica) {
    String local = replaceOnce(composeConfig, "host: primary, port: 3306",
        "host: " + primary.host() + ", port: " + primary.port());
    return replaceOnce(local, "host: " + REPLICA + ", port: 3306",
        "host: " + replica.host() + ", port: " + replica.port());
  }

  private static String replaceOnce(String text, String from, String to) {
    if (!text.contains(from)) {
      throw new IllegalStateException("the monitor config no longer says '" + from
          + "', which demo.sh and this test replace");
    }
    return text.replace(from, to);
  }

  private void awaitHealthy(Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the monitor exited with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // keep polling
      }
      Thread.sleep(50); // polling a condition, not standing in for one
    }
    throw new AssertionError("the monitor was not healthy within " + START + ":\n"
        + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** The build's {@code catchup.projectRoot}, else the nearest parent holding {@code docker/}. */
  static Path projectRoot() {
    String configured = System.getProperty("catchup.projectRoot");
    Path start = (configured != null ? Path.of(configured) : Path.of("")).toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("scripts/demo.sh"))) {
        return p.normalize();
      }
    }
    throw new IllegalStateException("no scripts/demo.sh above " + start
        + "; set -Dcatchup.projectRoot to the repository root");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
