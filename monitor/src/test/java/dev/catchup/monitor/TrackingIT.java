package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The monitor against real topologies: tracking, visibility, lag, tags, failures. */
class TrackingIT {
  private static final Logger log = LoggerFactory.getLogger(TrackingIT.class);

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void burstOfWrites_trackedSetsMatchServers(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    try (Monitor m = MonitorFixtures.start(t); Connection p = t.connect(t.primary());
         Statement s = p.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS mon_burst (id INT PRIMARY KEY AUTO_INCREMENT, v INT)");
      for (int i = 0; i < 300; i++) {
        s.execute("INSERT INTO mon_burst (v) VALUES (" + i + ")");
      }
      GtidSet primarySet = MonitorFixtures.executed(t, p, true);
      Registry r = m.registry();
      await("primary tracked", () -> r.primary().confirmed().equals(primarySet));
      for (Server replica : t.replicas()) {
        // UP too: under load reconciliation can confirm the set before the binlog feed connects.
        await(replica.name() + " tracked", () -> {
          ServerStatus st = r.status(replica.name()).orElseThrow();
          return st.confirmed().contains(primarySet) && r.state(st) == ServerState.UP;
        });
        try (Connection c = t.connect(replica)) {
          GtidSet own = MonitorFixtures.executed(t, c, false);
          ServerStatus st = r.status(replica.name()).orElseThrow();
          assertThat(st.confirmed()).isEqualTo(own);
          assertThat(st.confirmation().seen().contains(st.confirmed())).isTrue();
          assertThat(r.state(st)).isEqualTo(ServerState.UP);
          assertThat(r.lag(st).missingTransactions()).isZero();
          assertThat(st.replication().threads().running()).isTrue();
        }
      }
      assertThat(r.primary().binlog().transactionsPerSecond()).isGreaterThanOrEqualTo(0);
    }
  }

  /**
   * The confirmed set is visible: after the monitor confirms a write on a replica, a new read there
   * always finds it. Thousands of cycles with no delay, where visibility races are most likely.
   */
  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void confirmedGtids_areVisibleToNewReads(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    Server replica = t.replica(1);
    int cycles = 2000;
    int invisible = 0;
    try (Monitor m = MonitorFixtures.start(t); Connection p = t.connect(t.primary());
         Connection reader = t.connect(replica);
         Statement ddl = p.createStatement()) {
      ddl.execute("CREATE TABLE IF NOT EXISTS mon_visible (id INT PRIMARY KEY)");
      ddl.execute("DELETE FROM mon_visible");
      await("monitor up", () -> m.registry().state(m.registry().status(replica.name()).orElseThrow())
          == ServerState.UP);
      try (PreparedStatement insert = p.prepareStatement("INSERT INTO mon_visible VALUES (?)");
           PreparedStatement select = reader.prepareStatement("SELECT 1 FROM mon_visible WHERE id = ?")) {
        for (int i = 0; i < cycles; i++) {
          insert.setInt(1, i);
          insert.executeUpdate();
          GtidSet written = MonitorFixtures.executed(t, p, true);
          String name = m.registry().awaitConfirmed(written, replica.name(), Duration.ofSeconds(30))
              .get(30, TimeUnit.SECONDS);
          assertThat(name).isEqualTo(replica.name());
          select.setInt(1, i);
          try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
              invisible++;
            }
          }
        }
      }
    }
    log.info("{}: {} write/confirm/read cycles, {} invisible", kind, cycles, invisible);
    assertThat(invisible).isZero();
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void killedReplica_goesUnknown_thenRecovers(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    Server victim = t.replica(2);
    try (Monitor m = MonitorFixtures.start(t)) {
      Registry r = m.registry();
      await("up", () -> r.state(r.status(victim.name()).orElseThrow()) == ServerState.UP);
      t.kill(victim);
      try {
        await("unknown after kill", () -> r.state(r.status(victim.name()).orElseThrow())
            == ServerState.UNKNOWN);
        assertThat(r.lag(r.status(victim.name()).orElseThrow()).state()).isEqualTo(ServerState.UNKNOWN);
        assertThat(r.replicasHaving(GtidSet.empty(r.flavor()))).doesNotContain(victim.name());
        // Its last replication-thread values (io=Yes sql=Yes) are no longer shown as current.
        await("threads dropped",
            () -> r.status(victim.name()).orElseThrow().replication().threads() == null);
        assertThat(r.status(victim.name()).orElseThrow().replication().threadsError())
            .startsWith("server not reachable: ");
      } finally {
        t.restart(victim);
      }
      try (Connection p = t.connect(t.primary()); Statement s = p.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS mon_restart (id INT PRIMARY KEY AUTO_INCREMENT)");
        s.execute("INSERT INTO mon_restart VALUES ()");
        GtidSet primarySet = MonitorFixtures.executed(t, p, true);
        await("recovered and caught up", () -> {
          ServerStatus st = r.status(victim.name()).orElseThrow();
          return r.state(st) == ServerState.UP && st.confirmed().contains(primarySet);
        });
        assertThat(r.status(victim.name()).orElseThrow().binlog().reconnects()).isPositive();
      }
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20); // polling a condition, not standing in for one
    }
  }

  static long scalarLong(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
