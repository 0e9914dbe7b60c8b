package dev.catchup.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catchup.gtid.Flavor;
import dev.catchup.samples.driver.DemoDriver;
import dev.catchup.samples.driver.Strategy;
import dev.catchup.samples.driver.Tally;
import dev.catchup.samples.driver.Tally.Check;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compose stack without Docker: each compose file's monitor config and service environment,
 * host names mapped to the shared local topology (replica 1 applying one second late), run as the
 * images run them (the monitor's and the samples' jars, in their own processes). The demo driver
 * then shows stale reads through naive splitting and none through Catchup.
 */
class SamplesStackIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    Topologies.resetDelays();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void composeStack_onLocalServers_naiveSplitIsStale_catchupIsNot(Flavor flavor)
      throws Exception {
    String name = flavor.name().toLowerCase(Locale.ROOT);
    ComposeFile compose = ComposeFile.of(name);
    Topology t = Topologies.shared(flavor);
    Server replica = t.replica(1);
    createMonitorUser(compose, t);
    t.setDelay(replica, Duration.ofSeconds(1));
    Path logs = Files.createDirectories(ComposeFile.projectRoot()
        .resolve("samples/target/stack-it/" + name));

    int monitorPort = freePort();
    int billingPort = freePort();
    int ordersPort = freePort();
    Map<String, String> hosts = Map.of(
        "primary:3306", address(t.primary()),
        "replica:3306", address(replica),
        "http://monitor:9760", "http://127.0.0.1:" + monitorPort,
        "http://billing:8080", "http://127.0.0.1:" + billingPort);

    Path monitorConfig = localMonitorConfig(
        compose.mountedFile("monitor", "/etc/catchup/monitor.yaml"), t, replica, logs);
    start("monitor", logs, Map.of(), "-jar",
        ComposeFile.projectRoot().resolve("monitor/target/catchup-monitor.jar").toString(),
        "--config", monitorConfig.toString(), "--http-port", String.valueOf(monitorPort));
    awaitHealthy("monitor", monitorPort, logs);
    start("billing", logs, env(compose, "billing", hosts, billingPort), "-cp", samplesJar(),
        "dev.catchup.samples.shop.ShopService");
    awaitHealthy("billing", billingPort, logs);
    start("orders", logs, env(compose, "orders", hosts, ordersPort), "-cp", samplesJar(),
        "dev.catchup.samples.shop.ShopService");
    awaitHealthy("orders", ordersPort, logs);

    URI orders = URI.create("http://127.0.0.1:" + ordersPort);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<Tally> tallies = new DemoDriver(orders, 4, 1).run(
        List.of(Strategy.NAIVE, Strategy.CATCHUP, Strategy.CATCHUP_PRIMARY),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    Tally naive = tallies.get(0);
    Tally waiting = tallies.get(1);
    Tally primaryFallback = tallies.get(2);

    // The problem is real here: reads right after a write miss it, across services too.
    assertThat(naive.stale(Check.OWN_ORDER)).as("naive own-order reads stale").isPositive();
    assertThat(naive.stale(Check.INVOICE)).as("naive billing reads stale").isPositive();
    // The cure: none stale, every check done, nothing failed.
    for (Tally c : List.of(waiting, primaryFallback)) {
      assertThat(c.staleTotal()).as(c.name() + " stale reads").isZero();
      assertThat(c.checkedTotal()).as(c.name() + " checked reads").isEqualTo(naive.checkedTotal());
      assertThat(c.failures()).as(c.name() + " failures").isZero();
    }
    // Waiting keeps reads on the replica; the fallback sends the not-yet-replicated ones to the
    // primary, and still reads old rows on the replica.
    assertThat(waiting.primary()).as("reads on the primary while waiting is allowed").isZero();
    assertThat(waiting.replicaAfterWait()).isPositive();
    assertThat(primaryFallback.primary()).isPositive();
    assertThat(primaryFallback.replicaAtOnce()).isPositive();

    // Bad input is refused before any SQL, with a message that says what is wrong.
    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(orders.resolve("/orders/1"))
        .header("Catchup-Token", "mysql/not-a-gtid-set").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).containsIgnoringCase("token");
    HttpResponse<String> badPolicy = HTTP.send(HttpRequest.newBuilder(orders.resolve("/orders/1"))
        .header("Catchup-Read-Policy", "SOMETIMES").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(badPolicy.statusCode()).isEqualTo(400);
    assertThat(badPolicy.body()).contains("Catchup-Read-Policy");
  }

  /**
   * The stack's monitor user, made as its image makes it: the primary runs the compose stack's
   * init script, binlogged, and the replicas get the user by replication.
   */
  private static void createMonitorUser(ComposeFile compose, Topology t) throws Exception {
    Path script = compose.mountedFile("primary", "/docker-entrypoint-initdb.d/monitor-user.sql");
    JsonNode config = ComposeFile.YAML.readTree(
        Files.readString(compose.mountedFile("monitor", "/etc/catchup/monitor.yaml")));
    try (Connection c = t.connect(t.primary()); Statement s = c.createStatement()) {
      // The script runs once per data directory; the shared topology may have run it already.
      s.execute("DROP USER IF EXISTS '" + config.path("user").asText() + "'@'%'");
      for (String sql : ComposeFile.sqlStatements(script)) {
        s.execute(sql);
      }
    }
    for (Server r : t.replicas()) {
      assertThat(t.awaitCaughtUp(r, Duration.ofSeconds(60))).as("%s has the monitor user", r.name())
          .isTrue();
    }
  }

  /** The compose file's monitor config with its host names replaced by the local servers. */
  private static Path localMonitorConfig(Path composeConfig, Topology t, Server replica, Path dir)
      throws IOException {
    ObjectNode config = (ObjectNode) ComposeFile.YAML.readTree(Files.readString(composeConfig));
    point((ObjectNode) config.get("primary"), t.primary());
    JsonNode replicas = config.get("replicas");
    assertThat(replicas).as("the compose stack has one replica").hasSize(1);
    point((ObjectNode) replicas.get(0), replica);
    Path out = dir.resolve("monitor.yaml");
    ComposeFile.YAML.writeValue(out.toFile(), config);
    return out;
  }

  private static void point(ObjectNode server, Server local) {
    server.put("host", local.host());
    server.put("port", local.port());
  }

  /** A service's compose environment with host names replaced, listening on {@code port}. */
  private static Map<String, String> env(ComposeFile compose, String service,
      Map<String, String> hosts, int port) {
    Map<String, String> env = new LinkedHashMap<>();
    compose.environment(service).forEach((k, v) -> {
      String value = v;
      for (Map.Entry<String, String> h : hosts.entrySet()) {
        value = value.replace(h.getKey(), h.getValue());
      }
      assertThat(value).as("%s=%s still names a container host", k, value)
          .doesNotContain("primary:", "replica:", "monitor:", "billing:");
      env.put(k, value);
    });
    env.put("CATCHUP_SAMPLE_PORT", String.valueOf(port)); // the image sets 8080
    return env;
  }

  private void start(String name, Path logs, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CATCHUP_"));
    pb.environment().putAll(env);
    processes.add(pb.start());
  }

  private void awaitHealthy(String name, int port, Path logs) throws Exception {
    Process p = processes.get(processes.size() - 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError(name + " exited with " + p.exitValue() + ":\n"
            + Files.readString(logs.resolve(name + ".log")));
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // keep polling
      }
      Thread.sleep(50); // polling a condition, not standing in for one
    }
    throw new AssertionError(name + " not healthy within 60 s:\n"
        + Files.readString(logs.resolve(name + ".log")));
  }

  private static String samplesJar() {
    return ComposeFile.projectRoot().resolve("samples/target/catchup-samples.jar").toString();
  }

  private static String address(Server s) {
    return s.host() + ":" + s.port();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
