package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.tracking.LagReport;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor keeps telling the truth when things break: stopped replication, a primary that goes
 * away and comes back; and heartbeat mode measures sub-second lag on both flavors.
 */
class FaultsIT {
  private static final Logger log = LoggerFactory.getLogger(FaultsIT.class);

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void heartbeatMode_measuresLag_onEveryFlavor(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    Server replica = t.replica(1);
    MonitorConfig withHeartbeat = MonitorFixtures.config(t, Duration.ofSeconds(2),
        Duration.ofMillis(100));
    try (Monitor m = Monitor.start(withHeartbeat)) {
      Registry r = m.registry();
      await("heartbeat lag reported", () -> lag(r, replica).heartbeatLagSeconds() != null);
      await("small without delay", () -> lag(r, replica).heartbeatLagSeconds() < 0.5);
      t.setDelay(replica, Duration.ofSeconds(1));
      await("about a second with a 1 s delay", () -> lag(r, replica).heartbeatLagSeconds() > 0.9);
      log.info("{}: heartbeat lag with SOURCE_DELAY=1: {} s", flavor, lag(r, replica).heartbeatLagSeconds());
      t.setDelay(replica, Duration.ZERO);
      await("small again", () -> lag(r, replica).heartbeatLagSeconds() < 0.5);
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void stoppedReplication_isReported_andClearsWhenRestarted(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    Server replica = t.replica(2);
    String stop = flavor == Flavor.MYSQL ? "STOP REPLICA SQL_THREAD" : "STOP SLAVE SQL_THREAD";
    String start = flavor == Flavor.MYSQL ? "START REPLICA SQL_THREAD" : "START SLAVE SQL_THREAD";
    try (Monitor m = MonitorFixtures.start(t); Connection c = t.connect(replica);
         Statement s = c.createStatement()) {
      Registry r = m.registry();
      await("running", () -> threadsRunning(r, replica));
      s.execute(stop);
      try {
        await("reported stopped", () -> {
          ServerStatus st = r.status(replica.name()).orElseThrow();
          ReplicationThreads threads = st.replication().threads();
          return threads != null && "No".equalsIgnoreCase(threads.sqlRunning());
        });
        // The server still answers, so the monitor itself stays UP: it is replication that stopped.
        assertThat(r.state(r.status(replica.name()).orElseThrow())).isEqualTo(ServerState.UP);
      } finally {
        s.execute(start);
      }
      await("running again", () -> threadsRunning(r, replica));
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void primaryDown_goesUnknown_andRecovers(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    try (Monitor m = MonitorFixtures.start(t)) {
      Registry r = m.registry();
      await("primary up", () -> r.state(r.primary()) == ServerState.UP);
      t.kill(t.primary());
      try {
        await("primary unknown", () -> r.state(r.primary()) == ServerState.UNKNOWN);
        // Lag against an unknown primary cannot be trusted either.
        assertThat(r.lag(r.replicas().get(0)).state()).isEqualTo(ServerState.UNKNOWN);
      } finally {
        t.restart(t.primary());
      }
      await("primary up again", () -> r.state(r.primary()) == ServerState.UP);
      try (Connection p = t.connect(t.primary()); Statement s = p.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS mon_primary_down (id INT PRIMARY KEY AUTO_INCREMENT)");
        s.execute("INSERT INTO mon_primary_down VALUES ()");
        GtidSet written = MonitorFixtures.executed(t, p, true);
        for (Server replica : t.replicas()) {
          await(replica.name() + " confirms writes after the primary returns",
              () -> r.status(replica.name()).orElseThrow().confirmed().contains(written));
        }
      }
    }
  }

  private static LagReport lag(Registry r, Server replica) {
    return r.lag(r.status(replica.name()).orElseThrow());
  }

  private static boolean threadsRunning(Registry r, Server replica) {
    ServerStatus st = r.status(replica.name()).orElseThrow();
    ReplicationThreads t = st.replication().threads();
    return t != null && t.running();
  }
}
