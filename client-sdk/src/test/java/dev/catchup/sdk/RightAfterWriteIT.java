package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A read right after its write while the monitor is followed, on real replicas at delay 0, with a
 * stand-in monitor whose view never shows the write (as the real one does not for the few ms its
 * confirmation takes): the token is one the view cannot have, so what the read does is decided by
 * the rule for young tokens alone, not by a race with the monitor.
 */
class RightAfterWriteIT {
  private static final String TABLE = "right_after_write_rows";
  private static final int ROUNDS = 5;

  /**
   * Waiting policy: a brief server-side wait on the replica serves the read (the monitor would take
   * its confirmation's time); a brief wait that ends without the token goes on in the process,
   * never longer than maxWait, and never to a stale read.
   */
  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void waitingRead_rightAfterItsWrite_isServedByABriefServerWaitOnTheReplica(ServerKind kind)
      throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (FakeMonitor monitor = new FakeMonitor("/stream", views(t, 0.0));
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics).monitor(monitor.baseUrl())
             .monitorMaxStaleness(Duration.ofSeconds(60))
             .readPolicy(ReadPolicy.WAIT_THEN_FALLBACK).maxWait(Duration.ofMillis(300)).build()) {
      MonitorRoutingIT.await("following the monitor", () -> ds.routingHealth().followingMonitor());
      Session s = ds.newSession();
      ReplicaQueryLog.Counts sent;
      try (ReplicaQueryLog replicas = ReplicaQueryLog.start(t)) {
        for (int i = 0; i < ROUNDS; i++) {
          String id = UUID.randomUUID().toString();
          try (Connection c = s.getConnection()) {
            write(c, TABLE, id, i);
          }
          try (Connection c = s.getReadConnection()) {
            assertThat(read(c, TABLE, id)).as("never stale").isEqualTo(i);
          }
        }
        sent = replicas.counts();
      }
      long served = metrics.get("brief-reached");
      assertThat(served).as("reads a brief server wait served; routing: %s", metrics.counts)
          .isPositive();
      assertThat(metrics.get("wait-reached")).as("no full server wait while following the "
          + "monitor; routing: %s", metrics.counts).isZero();
      assertThat(metrics.get("REPLICA")).as("the view never had a token: each replica read was a"
          + " brief wait's; routing: %s", metrics.counts).isEqualTo(served);
      assertThat(sent).as("the replicas' logs: one wait per brief wait, no check; routing: %s",
          metrics.counts).isEqualTo(new ReplicaQueryLog.Counts(0,
              served + metrics.get("brief-timeout")));
      assertThat(metrics.get("monitor-wait-timeout") + metrics.get("monitor-wait-reached"))
          .as("a brief wait without the token went on in the process; routing: %s",
              metrics.counts).isEqualTo(metrics.get("brief-timeout"));
      assertThat(metrics.get("wait-timeout"))
          .as("a brief wait that missed is no wait timeout; routing: %s", metrics.counts).isZero();
      assertThat(metrics.get("PRIMARY")).isEqualTo(metrics.get("brief-timeout"));
    }
  }

  /**
   * Not waiting: a read whose token is younger than the view's trail checks the replicas before
   * going to the primary, also when the monitor shows them up to a second behind on MariaDB (its
   * lag comes from whole-second commit times: a current replica missing only the newest write
   * shows so). Each round makes sure the replicas have the write before the read, so a read that
   * starts while its token is young must be served by a replica.
   */
  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void fallbackRead_youngToken_checksTheReplicasBeforeThePrimary(ServerKind kind)
      throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    double lag = t.flavor() == Flavor.MARIADB ? 0.9 : 0.0;
    try (FakeMonitor monitor = new FakeMonitor("/stream", views(t, lag));
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics).monitor(monitor.baseUrl())
             .monitorMaxStaleness(Duration.ofSeconds(60))
             .readPolicy(ReadPolicy.FALLBACK_TO_PRIMARY).build()) {
      MonitorRoutingIT.await("following the monitor", () -> ds.routingHealth().followingMonitor());
      Session s = ds.newSession();
      int young = 0;
      for (int i = 0; i < 4 * ROUNDS && young < ROUNDS; i++) {
        String id = UUID.randomUUID().toString();
        long before = System.nanoTime(); // the token is no older than this
        try (Connection c = s.getConnection()) {
          write(c, TABLE, id, i);
        }
        awaitOnEveryReplica(t, id, i);
        long replicasBefore = metrics.get("REPLICA");
        long start = System.nanoTime();
        try (Connection c = s.getReadConnection()) {
          assertThat(read(c, TABLE, id)).as("never stale").isEqualTo(i);
        }
        if (start - before < RoutingDecision.MONITOR_TRAIL_NANOS * 9 / 10) {
          young++;
          assertThat(metrics.get("REPLICA")).as("a young token on replicas that have it; "
              + "routing: %s", metrics.counts).isEqualTo(replicasBefore + 1);
        }
      }
      assertThat(young).as("rounds whose read started while the token was young").isPositive();
      assertThat(metrics.get("extra")).as("the replicas were checked").isPositive();
    }
  }

  /**
   * Each replica UP in the view at what it has now (before the rounds' writes), {@code lag}
   * behind.
   */
  private static String views(Topology t, double lag) throws SQLException {
    StringBuilder body = new StringBuilder();
    int version = 1;
    for (Server r : t.replicas()) {
      String position;
      try (Connection c = t.connect(r); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(t.flavor() == Flavor.MARIADB
               ? "SELECT @@global.gtid_slave_pos" : "SELECT @@global.gtid_executed")) {
        rs.next();
        position = rs.getString(1).replace("\n", "");
      }
      body.append("event: status\ndata: {\"name\":\"").append(r.name())
          .append("\",\"role\":\"replica\",\"state\":\"UP\",\"confirmed\":\"").append(position)
          .append("\",\"feed\":\"CONNECTED\",\"secondsBehind\":").append(lag)
          .append(",\"version\":").append(version++).append("}\n\n");
    }
    return body.toString();
  }

  /** Waits (bounded) until every replica returns {@code v} for row {@code id}. */
  private static void awaitOnEveryReplica(Topology t, String id, long v) throws Exception {
    for (Server r : t.replicas()) {
      try (Connection c = t.connect(r)) {
        MonitorRoutingIT.await(r.name() + " has the write", () -> {
          try {
            return read(c, TABLE, id) == v;
          } catch (SQLException e) {
            throw new IllegalStateException(r.name() + " failed: " + e.getMessage(), e);
          }
        });
      }
    }
  }
}
