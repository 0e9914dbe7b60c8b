package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The monitor run as a user the server refuses something: what it can read is still read, and
 * {@code /check} gives the real reason instead of "replication threads not read yet".
 */
class TrackerErrorsIT {
  private static final String USER = "catchup_limited";
  private static final String PASSWORD = "limited-pass";
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void heartbeatRowUnreadable_threadsStillRead_andCheckPasses(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    Server replica = t.replica(1);
    createHeartbeatTable(t);
    // Everything the monitor needs in heartbeat mode; SELECT on the heartbeat table is taken away
    // once it runs (the start-time grant check refuses to start without it).
    String grants = flavor == Flavor.MYSQL ? "REPLICATION SLAVE, REPLICATION CLIENT"
        : "REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR";
    createUser(t, List.of("GRANT " + grants + " ON *.* TO '" + USER + "'@'%'",
        "GRANT CREATE, INSERT, UPDATE, SELECT ON catchup_monitor.* TO '" + USER + "'@'%'"));
    try (Monitor m = Monitor.start(limitedConfig(t, Duration.ofMillis(100)))) {
      Registry r = m.registry();
      await("replication threads read",
          () -> status(r, replica).replication().threads() != null);
      revokeAndReconnect(t, "REVOKE SELECT ON catchup_monitor.* FROM '" + USER + "'@'%'");
      await("the heartbeat refusal reported", () -> status(r, replica).lastError() != null
          && status(r, replica).lastError().startsWith("heartbeat lag unreadable"));
      assertThat(status(r, replica).replication().threads().running()).isTrue();
      await("/check passes", () -> check(m, replica).path("status").asInt() == 200);
    } finally {
      dropUser(t);
    }
  }

  /** MariaDB 10.11 shows replication threads only with SLAVE MONITOR. */
  @Test
  void replicationThreadsUnreadable_checkNamesTheRefusal() throws Exception {
    Topology t = Topologies.shared(Flavor.MARIADB);
    Server replica = t.replica(1);
    createUser(t, List.of("GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO '"
        + USER + "'@'%'"));
    try (Monitor m = Monitor.start(limitedConfig(t, null))) {
      Registry r = m.registry();
      await("replication threads read",
          () -> status(r, replica).replication().threads() != null);
      // Taken away once it runs: the start-time grant check refuses to start without it.
      revokeAndReconnect(t, "REVOKE SLAVE MONITOR ON *.* FROM '" + USER + "'@'%'");
      await("threads refused", () -> status(r, replica).replication().threadsError() != null
          && status(r, replica).replication().threadsError()
              .startsWith("replication threads unreadable"));
      await("/check says so", () -> check(m, replica).path("reason").asText()
          .startsWith("replication threads unreadable (SHOW SLAVE STATUS)"));
      JsonNode verdict = check(m, replica);
      assertThat(verdict.path("status").asInt()).isEqualTo(503);
      assertThat(verdict.path("reason").asText()).contains("SLAVE MONITOR");
    } finally {
      dropUser(t);
    }
  }

  private static MonitorConfig limitedConfig(Topology t, Duration heartbeat) {
    MonitorConfig base = MonitorFixtures.config(t, Duration.ofSeconds(2));
    return new MonitorConfig(base.flavor(), USER, PASSWORD, base.primary(), base.replicas(),
        base.staleAfter(), base.tracker().withHeartbeat(heartbeat), base.http());
  }

  private JsonNode check(Monitor m, Server replica) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + m.httpPort() + "/check/" + replica.name())).build(),
          HttpResponse.BodyHandlers.ofString());
      return json.readTree(r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ServerStatus status(Registry r, Server s) {
    return r.status(s.name()).orElseThrow();
  }

  private static void createHeartbeatTable(Topology t) throws SQLException {
    try (Connection p = t.connect(t.primary()); Statement s = p.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS catchup_monitor");
      s.execute("CREATE TABLE IF NOT EXISTS catchup_monitor.heartbeat "
          + "(id INT PRIMARY KEY, ts DATETIME(6) NOT NULL)");
    }
    for (Server replica : t.replicas()) {
      t.awaitCaughtUp(replica, Duration.ofSeconds(30));
    }
  }

  /** The user on every server, outside the binlog (as the topology creates its own). */
  private static void createUser(Topology t, List<String> grants) throws SQLException {
    t.createUser(USER, PASSWORD, grants);
  }

  /**
   * Revokes a grant on every server (outside the binlog) and kills the monitor's connections, so
   * its trackers reconnect under the reduced grants (a server applies some privilege changes only
   * to new connections).
   */
  private static void revokeAndReconnect(Topology t, String revoke) throws SQLException {
    for (Server server : servers(t)) {
      try (Connection c = t.connect(server); Statement s = c.createStatement()) {
        s.execute("SET SESSION sql_log_bin = 0");
        s.execute(revoke);
        List<Long> ids = new ArrayList<>();
        try (java.sql.ResultSet rs = s.executeQuery(
            "SELECT id FROM information_schema.processlist WHERE user = '" + USER + "'")) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
        for (long id : ids) {
          try {
            s.execute("KILL " + id);
          } catch (SQLException gone) {
            // the connection ended on its own meanwhile
          }
        }
      }
    }
  }

  private static void dropUser(Topology t) throws SQLException {
    for (Server server : servers(t)) {
      try (Connection c = t.connect(server); Statement s = c.createStatement()) {
        s.execute("SET SESSION sql_log_bin = 0");
        s.execute("DROP USER IF EXISTS '" + USER + "'@'%'");
      }
    }
  }

  private static List<Server> servers(Topology t) {
    List<Server> all = new ArrayList<>();
    all.add(t.primary());
    all.addAll(t.replicas());
    return all;
  }
}
