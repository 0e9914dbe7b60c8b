package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import dev.catchup.wire.StatusEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotions on real topologies of their own (each test breaks its topology). A planned
 * switchover: replica1 is promoted (replication stopped and reset, made writable), the old primary
 * made read-only and re-pointed to it, replica2 re-pointed too. An unplanned failover: the primary
 * killed, replica1 promoted. The monitor, never restarted, sees the new primary within two
 * reconcile intervals, announces it in /status, /stream and /metrics with a higher generation, and
 * computes lag, writes the heartbeat row and answers waits against the new primary afterwards.
 */
class PromotionIT {
  private static final Logger log = LoggerFactory.getLogger(PromotionIT.class);
  private static final Duration RECONCILE = Duration.ofSeconds(1);
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void switchover_newPrimaryFollowedEverywhere_withoutRestart(Flavor flavor) throws Exception {
    try (Topology t = Topology.start(flavor, 2, Duration.ZERO)) {
      MonitorConfig base = MonitorFixtures.config(t, RECONCILE.multipliedBy(3));
      MonitorConfig config = new MonitorConfig(base.flavor(), base.user(), base.password(),
          base.primary(), base.replicas(), base.staleAfter(),
          new dev.catchup.monitor.tracking.TrackerSettings(RECONCILE, Duration.ofMillis(100),
              Duration.ofSeconds(1), null), base.http());
      Server old = t.primary();
      Server promoted = t.replica(1);
      Server other = t.replica(2);
      try (Monitor m = Monitor.start(config)) {
        Registry r = m.registry();
        MonitorFixtures.awaitAllUp(m, t);
        await("topology read", () -> r.topology().members().stream()
            .allMatch(x -> x.readOnly() != null));
        ReplicationTopology before = r.topology();
        assertThat(before.primary()).isEqualTo("primary");
        assertThat(before.member("replica2").source()).isEqualTo("primary");
        long changesBefore = r.topologyChanges();
        CompletableFuture<StatusEvent> announced = streamUntilPrimary(m, promoted.name());

        // The switchover, as a failover tool runs it.
        sql(t, old, "SET GLOBAL read_only = 1");
        assertThat(t.awaitCaughtUp(promoted, Duration.ofSeconds(30))).isTrue();
        sql(t, promoted, flavor == Flavor.MYSQL ? "STOP REPLICA" : "STOP SLAVE");
        sql(t, promoted, flavor == Flavor.MYSQL ? "RESET REPLICA ALL" : "RESET SLAVE ALL");
        sql(t, promoted, "SET GLOBAL read_only = 0");
        long promotedAt = System.nanoTime();
        await("new primary seen", () -> promoted.name().equals(r.topology().primary()));
        Duration detection = Duration.ofNanos(System.nanoTime() - promotedAt);
        log.info("{}: promotion seen after {} ms", flavor, detection.toMillis());
        assertThat(detection).isLessThanOrEqualTo(RECONCILE.multipliedBy(2));
        repoint(t, old, promoted, true);
        repoint(t, other, promoted, false);
        await("old primary and replica2 replicate from the new primary", () -> {
          ReplicationTopology now = r.topology();
          return now.member("primary").role() == Role.REPLICA
              && promoted.name().equals(now.member("primary").source())
              && promoted.name().equals(now.member("replica2").source());
        });
        ReplicationTopology after = r.topology();
        assertThat(after.generation()).isGreaterThan(before.generation());
        assertThat(after.conflict()).isNull();
        assertThat(after.member("primary").readOnly()).isTrue();
        assertThat(r.topologyChanges()).isGreaterThan(changesBefore);
        assertThat(r.primary().name()).isEqualTo(promoted.name());

        // Announced: /status, /stream, /metrics.
        JsonNode status = json.readTree(get(m, "/status"));
        assertThat(status.path("primary").path("name").asText()).isEqualTo(promoted.name());
        assertThat(status.path("topology").path("primary").asText()).isEqualTo(promoted.name());
        assertThat(status.path("topology").path("generation").asLong()).isEqualTo(after.generation());
        StatusEvent event = announced.get(30, TimeUnit.SECONDS);
        assertThat(event.topology().primary()).isEqualTo(promoted.name());
        assertThat(event.topology().generation()).isGreaterThan(before.generation());
        assertThat(get(m, "/metrics")).contains("catchup_topology_changes_total "
            + r.topologyChanges() + "\n", "catchup_topology_has_primary 1\n");

        // Lag and waits against the new primary: replica2 stops applying, the new primary writes.
        sql(t, other, flavor == Flavor.MYSQL ? "STOP REPLICA SQL_THREAD" : "STOP SLAVE SQL_THREAD");
        GtidSet written;
        try (Connection c = t.connect(promoted); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS promoted (id INT PRIMARY KEY)");
          s.execute("INSERT INTO promoted VALUES (1)");
          s.execute("INSERT INTO promoted VALUES (2)");
          written = MonitorFixtures.executed(t, c, true);
        }
        await("replica2 lags the new primary by 3", () -> lagOf(r, "replica2") == 3L);
        CompletableFuture<String> wait = r.awaitConfirmed(written, "replica2", Duration.ofSeconds(30));
        sql(t, other, flavor == Flavor.MYSQL ? "START REPLICA SQL_THREAD" : "START SLAVE SQL_THREAD");
        assertThat(wait.get(30, TimeUnit.SECONDS)).isEqualTo("replica2");
        await("replica2 and the old primary caught up with the new primary",
            () -> lagOf(r, "replica2") == 0L && lagOf(r, "primary") == 0L);
        assertThat(r.primary().confirmed().contains(written)).isTrue();
      }
    }
  }

  /**
   * An unplanned failover: the primary is killed, replica1 promoted, replica2 re-pointed. The old
   * primary turns {@code unknown} (and UNKNOWN), the heartbeat row is written on the new primary,
   * and lag is counted against it.
   */
  @ParameterizedTest
  @EnumSource(Flavor.class)
  void failover_primaryKilled_replicaPromoted_heartbeatAndLagFollow(Flavor flavor) throws Exception {
    try (Topology t = Topology.start(flavor, 2, Duration.ZERO)) {
      MonitorConfig base = MonitorFixtures.config(t, RECONCILE.multipliedBy(3), Duration.ofMillis(200));
      MonitorConfig config = new MonitorConfig(base.flavor(), base.user(), base.password(),
          base.primary(), base.replicas(), base.staleAfter(),
          new dev.catchup.monitor.tracking.TrackerSettings(RECONCILE, Duration.ofMillis(100),
              Duration.ofSeconds(1), Duration.ofMillis(200)), base.http());
      Server old = t.primary();
      Server promoted = t.replica(1);
      Server other = t.replica(2);
      try (Monitor m = Monitor.start(config)) {
        Registry r = m.registry();
        MonitorFixtures.awaitAllUp(m, t);
        await("topology read", () -> r.topology().members().stream()
            .allMatch(x -> x.readOnly() != null));
        long generation = r.topology().generation();

        t.kill(old);
        await("old primary unreachable", () -> r.status("primary").orElseThrow().facts() != null
            && !r.status("primary").orElseThrow().facts().reachable());
        sql(t, promoted, flavor == Flavor.MYSQL ? "STOP REPLICA" : "STOP SLAVE");
        sql(t, promoted, flavor == Flavor.MYSQL ? "RESET REPLICA ALL" : "RESET SLAVE ALL");
        sql(t, promoted, "SET GLOBAL read_only = 0");
        long promotedAt = System.nanoTime();
        await("new primary seen", () -> promoted.name().equals(r.topology().primary()));
        Duration detection = Duration.ofNanos(System.nanoTime() - promotedAt);
        log.info("{}: unplanned promotion seen after {} ms", flavor, detection.toMillis());
        assertThat(detection).isLessThanOrEqualTo(RECONCILE.multipliedBy(2));
        ReplicationTopology after = r.topology();
        assertThat(after.generation()).isGreaterThan(generation);
        assertThat(after.member("primary").role()).isEqualTo(Role.UNKNOWN);
        assertThat(r.state(r.status("primary").orElseThrow()))
            .isEqualTo(dev.catchup.monitor.tracking.ServerState.UNKNOWN);

        // The heartbeat writer moved: the row on the new primary advances (nothing else writes it).
        String first = heartbeat(t, promoted);
        await("heartbeat written on the new primary", () -> {
          try {
            return heartbeat(t, promoted).compareTo(first) > 0;
          } catch (SQLException e) {
            return false;
          }
        });

        repoint(t, other, promoted, false);
        await("replica2 replicates from the new primary",
            () -> promoted.name().equals(r.topology().member("replica2").source()));
        GtidSet written;
        try (Connection c = t.connect(promoted); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS after_failover (id INT PRIMARY KEY)");
          s.execute("INSERT INTO after_failover VALUES (1)");
          written = MonitorFixtures.executed(t, c, true);
        }
        await("replica2 has the new primary's writes, lag 0 against it", () -> {
          ServerStatus s = r.status("replica2").orElseThrow();
          return s.confirmed().contains(written) && lagOf(r, "replica2") == 0L;
        });
        await("replica2's heartbeat lag read from the new primary's row",
            () -> r.lag(r.status("replica2").orElseThrow()).heartbeatLagSeconds() != null);
        assertThat(get(m, "/metrics")).contains("catchup_topology_has_primary 1\n");
      }
    }
  }

  /** The heartbeat row's time on {@code server}, as text that sorts as time. */
  private static String heartbeat(Topology t, Server server) throws SQLException {
    try (Connection c = t.connect(server); Statement s = c.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT DATE_FORMAT(ts, '%Y%m%d%H%i%s%f') FROM "
             + "catchup_monitor.heartbeat WHERE id = 1")) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  private static Long lagOf(Registry r, String name) {
    ServerStatus s = r.status(name).orElseThrow();
    return s.role() == Role.REPLICA ? r.lag(s).missingTransactions() : null;
  }

  /** Points {@code replica} at {@code source} with GTID auto-positioning and starts it. */
  private static void repoint(Topology t, Server replica, Server source, boolean wasPrimary)
      throws SQLException {
    if (t.flavor() == Flavor.MYSQL) {
      if (!wasPrimary) {
        sql(t, replica, "STOP REPLICA");
      }
      sql(t, replica, "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT="
          + source.port() + ", SOURCE_USER='" + t.user() + "', SOURCE_PASSWORD='" + t.password()
          + "', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1");
      sql(t, replica, "START REPLICA");
    } else {
      if (!wasPrimary) {
        sql(t, replica, "STOP SLAVE");
      }
      // A former primary has its own writes in gtid_binlog_pos, not gtid_slave_pos: current_pos.
      sql(t, replica, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + source.port()
          + ", MASTER_USER='" + t.user() + "', MASTER_PASSWORD='" + t.password()
          + "', MASTER_USE_GTID=" + (wasPrimary ? "current_pos" : "slave_pos")
          + ", MASTER_CONNECT_RETRY=1");
      sql(t, replica, "START SLAVE");
    }
  }

  private static void sql(Topology t, Server server, String statement) throws SQLException {
    try (Connection c = t.connect(server); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private String get(Monitor m, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * Subscribes to /stream now and completes with the first event whose topology names
   * {@code primary}; reads at most 10,000 lines.
   */
  private CompletableFuture<StatusEvent> streamUntilPrimary(Monitor m, String primary)
      throws Exception {
    HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + m.httpPort() + "/stream")).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    return CompletableFuture.supplyAsync(() -> {
      try (Stream<String> lines = r.body()) {
        Iterator<String> it = lines.iterator();
        for (int i = 0; i < 10_000 && it.hasNext(); i++) {
          String line = it.next();
          if (line.startsWith("data: ")) {
            StatusEvent e = StatusEvent.parse(m.registry().flavor(), line.substring(6));
            if (e.topology() != null && primary.equals(e.topology().primary())) {
              return e;
            }
          }
        }
        throw new AssertionError("no event named " + primary + " the primary");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
