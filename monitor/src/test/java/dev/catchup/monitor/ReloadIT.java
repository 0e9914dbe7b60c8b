package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reload a SIGHUP runs ({@link Main#reload}), on a running monitor over real servers: a
 * replica added to the file is tracked and takes its place in the topology, one removed is
 * untracked, an invalid file is refused with the running configuration kept. Both flavors: a
 * server added by a reload is read with its flavor's SQL from its first tracking round.
 */
class ReloadIT {
  @TempDir
  Path dir;

  private static String yaml(Topology t, List<Server> replicas, String extra) {
    StringBuilder b = new StringBuilder("flavor: " + Topology.cliName(t.flavor()) + "\nuser: " + MonitorFixtures.USER
        + "\npassword: " + MonitorFixtures.PASSWORD + "\nstaleAfter: 2s\nreconcileInterval: 200ms\n"
        + "primary: {name: primary, host: 127.0.0.1, port: " + t.primary().port() + "}\nreplicas:\n");
    for (Server r : replicas) {
      b.append("  - {name: ").append(r.name()).append(", host: localhost, port: ").append(r.port())
          .append("}\n");
    }
    return b.append("http: {port: 0}\n").append(extra).toString();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void reload_addsAndRemovesServers_refusesAnInvalidFile(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    Server replica1 = t.replica(1);
    Server replica2 = t.replica(2);
    MonitorFixtures.monitorUser(t, false);
    Path file = dir.resolve("monitor.yaml");
    Files.writeString(file, yaml(t, List.of(replica1), ""));
    MonitorConfig started = ConfigLoader.load(file, Map.of(), Map.of());
    try (Monitor m = Monitor.start(started)) {
      Registry r = m.registry();
      await("replica1 UP", () -> r.state(r.status("replica1").orElseThrow()) == ServerState.UP);
      assertThat(r.status("replica2")).isEmpty();
      long generation = r.topology().generation();

      Files.writeString(file, yaml(t, List.of(replica1, replica2), ""));
      assertThat(Main.reload(m, file, Map.of(), Map.of())).isEqualTo(
          "configuration reloaded: tracking replica2 (localhost:" + replica2.port() + ")");
      await("replica2 tracked, UP and a replica of the primary", () -> {
        ReplicationTopology.Member member = r.topology().member("replica2");
        return member != null && member.role() == Role.REPLICA && "primary".equals(member.source())
            && r.state(r.status("replica2").orElseThrow()) == ServerState.UP;
      });
      assertThat(r.topology().generation()).isGreaterThan(generation);
      assertThat(r.replicasHaving(r.primary().confirmed())).contains("replica2");

      Files.writeString(file, yaml(t, List.of(replica2), "unknownSetting: 1\n"));
      String refused = Main.reload(m, file, Map.of(), Map.of());
      assertThat(refused).startsWith("configuration reload refused, the running configuration is "
          + "kept: unknown setting 'unknownSetting'");
      assertThat(r.status("replica1")).isPresent();

      Files.writeString(file, yaml(t, List.of(replica2), "").replace("http: {port: 0}",
          "http: {port: 1}"));
      assertThat(Main.reload(m, file, Map.of(), Map.of())).isEqualTo("configuration reloaded: "
          + "untracking replica1; changed but applied only after a restart (running values kept): "
          + "http.port");
      assertThat(r.status("replica1")).isEmpty();
      assertThat(r.topology().member("replica1")).isNull();
      assertThat(r.replicas()).extracting(s -> s.name()).containsExactly("replica2");
    }
  }

  /**
   * The whole path once: the monitor's own command line in a process of its own, a real SIGHUP,
   * and the added replica in its /status.
   */
  @ParameterizedTest
  @EnumSource(Flavor.class)
  void sighup_reloadsTheFile_inARunningMonitorProcess(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    Server replica2 = t.replica(2);
    MonitorFixtures.monitorUser(t, false);
    Path file = dir.resolve("monitor.yaml");
    Files.writeString(file, yaml(t, List.of(t.replica(1)), ""));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config",
        file.toString()).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        lines.add("(output ended: " + e.getMessage() + ")");
      }
    }, "monitor-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int port = Integer.parseInt(awaitLine(lines,
          Pattern.compile("Catchup monitor serving http://127\\.0\\.0\\.1:(\\d+)/")).group(1));
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
          .timeout(Duration.ofSeconds(5)).build();
      assertThat(http.send(status, HttpResponse.BodyHandlers.ofString()).body())
          .doesNotContain("\"replica2\"");

      Files.writeString(file, yaml(t, List.of(t.replica(1), replica2), ""));
      Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
      assertThat(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0).isTrue();
      awaitLine(lines, Pattern.compile("configuration reloaded: tracking replica2"));
      await("replica2 a replica in the process's /status", () -> {
        try {
          String body = http.send(status, HttpResponse.BodyHandlers.ofString()).body();
          return body.contains("{\"name\":\"replica2\",\"role\":\"replica\",\"source\":\"primary\"");
        } catch (Exception e) {
          return false;
        }
      });
    } finally {
      p.destroy(); // SIGTERM: the monitor stops gracefully
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The first output line matching {@code pattern}, within 60 s. */
  private static Matcher awaitLine(BlockingQueue<String> lines, Pattern pattern)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no output line matching " + pattern + " within 60 s");
      }
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
  }
}
