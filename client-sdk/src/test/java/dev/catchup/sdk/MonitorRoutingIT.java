package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.MonitorConfig;
import dev.catchup.monitor.grants.MonitorGrants;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK following a real monitor: reads covered by the monitor's confirmed sets run with no extra
 * query; uncovered ones wait in the process for the monitor's push; with two replicas at different
 * delays reads go to the caught-up one; with the monitor down or cut off, reads ask the servers
 * directly and stay correct, and follow the monitor again when it is back.
 */
class MonitorRoutingIT {
  private static final Logger log = LoggerFactory.getLogger(MonitorRoutingIT.class);
  private static final String TABLE = "monitor_routing_rows";

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  /** The monitor in-process, as a user with exactly its documented grants (monitor/README.md). */
  static Monitor startMonitor(Topology t, int port) {
    Flavor flavor = t.flavor();
    String user = "catchup_monitor";
    String password = "monitor-secret";
    try {
      t.createUser(user, password,
          MonitorGrants.statements(flavor, false, MonitorGrants.account(user, "%")));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the monitor's user: " + e.getMessage(), e);
    }
    return Monitor.start(new MonitorConfig(flavor, user, password,
        new MonitorConfig.Server("primary", t.primary().host(), t.primary().port()),
        t.replicas().stream().map(r -> new MonitorConfig.Server(r.name(), r.host(), r.port())).toList(),
        Duration.ofSeconds(2),
        new TrackerSettings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(2), null),
        new HttpSettings("127.0.0.1", port, null, Duration.ofSeconds(1), Duration.ofSeconds(30))));
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void coveredReads_needNoExtraQuery_andUncoveredOnesWaitInProcess(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (Monitor m = startMonitor(t, 0);
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
             .monitor("http://127.0.0.1:" + m.httpPort())
             .readPolicy(ReadPolicy.WAIT).maxWait(Duration.ofSeconds(20)).build()) {
      await("following the monitor", () -> ds.routingHealth().followingMonitor());
      Session s = ds.newSession();
      List<String> outputs = logOutputs(t);
      try (ReplicaQueryLog replicas = ReplicaQueryLog.start(t)) {
        int stale = loop(t, s, 100);
        assertThat(stale).isZero();
        assertEquals(100, metrics.get("REPLICA"));
        // Right after its write a read may wait server-side briefly (the monitor's confirmation
        // trails the apply); that is routing's only query of its own, at most one per read.
        assertOnlyBriefWaits(replicas, metrics);
        assertThat(metrics.get("extra")).isLessThanOrEqualTo(100);
        log.info("{} delay 0: 100 reads, brief waits {}, in-process waits {}", kind,
            briefWaits(metrics), metrics.get("monitor-wait-reached"));

        // With a 1 s delay every read waits, in the process, for the monitor's push.
        t.replicas().forEach(r -> t.setDelay(r, Duration.ofSeconds(1)));
        stale = loop(t, s, 3);
        assertThat(stale).isZero();
        assertOnlyBriefWaits(replicas, metrics);
        assertThat(metrics.get("monitor-wait-reached")).isGreaterThanOrEqualTo(3);
      }
      // The topology is shared: the query log gives the servers' log output back as it found it.
      assertThat(logOutputs(t)).isEqualTo(outputs);
    }
  }

  private static List<String> logOutputs(Topology t) throws SQLException {
    List<String> outputs = new ArrayList<>();
    for (Server r : t.replicas()) {
      try (Connection c = t.connect(r); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT @@global.log_output")) {
        rs.next();
        outputs.add(rs.getString(1));
      }
    }
    return outputs;
  }

  /**
   * Following the monitor, routing's only queries of its own are brief waits right after a write:
   * the replicas' general logs (not the router's counting) show exactly the brief waits the router
   * reported and no check, the router's count of its queries agrees, and no full wait ran.
   */
  private static void assertOnlyBriefWaits(ReplicaQueryLog replicas,
      SdkFixtures.CountingMetrics metrics) throws SQLException {
    ReplicaQueryLog.Counts sent = replicas.counts();
    assertThat(sent).as("checks and waits in the replicas' logs; routing: %s", metrics.counts)
        .isEqualTo(new ReplicaQueryLog.Counts(0, briefWaits(metrics)));
    assertEquals(sent.waits(), metrics.get("extra"), () -> "routing: " + metrics.counts);
    assertEquals(0, metrics.get("wait-reached") + metrics.get("wait-timeout"),
        () -> "full waits; routing: " + metrics.counts);
  }

  private static long briefWaits(SdkFixtures.CountingMetrics metrics) {
    return metrics.get("brief-reached") + metrics.get("brief-timeout");
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void nonWaitingPolicies_checkAReplicaTheMonitorShowsJustBehind_butNotOneFarBehind(
      ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (Monitor m = startMonitor(t, 0);
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
             .monitor("http://127.0.0.1:" + m.httpPort())
             .readPolicy(ReadPolicy.FALLBACK_TO_PRIMARY).build()) {
      await("following the monitor", () -> ds.routingHealth().followingMonitor());
      // No delay: a read right after its write usually beats the monitor's confirmation, but the
      // replicas are caught up but for that write, so they are asked rather than skipped.
      assertThat(loop(t, ds.newSession(), 30)).isZero();
      long checks = metrics.get("extra:replica1") + metrics.get("extra:replica2");
      assertThat(checks).as("checks on replicas; routing: %s", metrics.counts).isPositive();
      assertThat(metrics.get("REPLICA")).as("reads a check found on a replica; routing: %s",
          metrics.counts).isPositive();

      // A write older than the view's trail that the view does not cover is on no replica:
      // straight to the primary, no replica asked.
      t.replicas().forEach(r -> t.setDelay(r, Duration.ofSeconds(3)));
      Session s = ds.newSession();
      String id = UUID.randomUUID().toString();
      try (Connection c = s.getConnection()) {
        write(c, TABLE, id, 7);
      }
      long written = System.nanoTime();
      await("the write is older than the view's trail and on no replica", () ->
          System.nanoTime() - written > RoutingDecision.MONITOR_TRAIL_NANOS * 4
          && t.replicas().stream().allMatch(r -> {
            Double behind = m.registry().lag(m.registry().status(r.name()).orElseThrow())
                .secondsBehind();
            return behind != null && behind > 0.1;
          }));
      long before = metrics.get("extra");
      long primaryBefore = metrics.get("PRIMARY");
      try (Connection c = s.getReadConnection()) {
        assertThat(read(c, TABLE, id)).isEqualTo(7);
      }
      assertThat(metrics.get("PRIMARY") - primaryBefore).isEqualTo(1);
      assertEquals(before, metrics.get("extra"), () -> "routing: " + metrics.counts);
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void twoReplicasAtDifferentDelays_readsGoToTheCaughtUpOne(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    t.setDelay(t.replica(2), Duration.ofSeconds(3));
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (Monitor m = startMonitor(t, 0);
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
             .monitor("http://127.0.0.1:" + m.httpPort())
             .readPolicy(ReadPolicy.WAIT).maxWait(Duration.ofSeconds(20)).build()) {
      await("following the monitor", () -> ds.routingHealth().followingMonitor());
      try (ReplicaQueryLog replicas = ReplicaQueryLog.start(t)) {
        int stale = loop(t, ds.newSession(), 20);
        assertThat(stale).isZero();
        assertEquals(20, metrics.get("replica:replica1"), () -> "routing: " + metrics.counts);
        assertEquals(0, metrics.get("replica:replica2"), () -> "routing: " + metrics.counts);
        assertOnlyBriefWaits(replicas, metrics);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void monitorDownOrCutOff_readsAskServers_thenFollowItAgain(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    Monitor m = startMonitor(t, 0);
    int port = m.httpPort();
    try (FreezableProxy proxy = new FreezableProxy(port);
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
             .monitor("http://127.0.0.1:" + proxy.port())
             .monitorMaxStaleness(Duration.ofSeconds(1))
             .readPolicy(ReadPolicy.WAIT).maxWait(Duration.ofSeconds(20)).build()) {
      Session s = ds.newSession();
      await("following the monitor", () -> ds.routingHealth().followingMonitor());

      // Cut off: the connection stays open but nothing arrives.
      proxy.freeze(true);
      await("partition noticed", () -> !ds.routingHealth().followingMonitor());
      assertThat(ds.routingHealth().reason()).contains("no word from the monitor");
      long before = metrics.get("extra");
      assertThat(loop(t, s, 10)).isZero();
      assertThat(metrics.get("extra")).as("direct mode asks the servers").isGreaterThan(before);
      proxy.freeze(false);
      await("back after the partition", () -> ds.routingHealth().followingMonitor());

      // Down: reads still correct; a monitor on the same address brings routing back.
      m.close();
      await("monitor down noticed", () -> !ds.routingHealth().followingMonitor());
      assertThat(loop(t, s, 10)).isZero();
      m = startMonitor(t, port);
      await("following the restarted monitor", () -> ds.routingHealth().followingMonitor());
      // Once the monitor is back, routing's only queries are brief waits right after a write.
      metrics.counts.clear();
      try (ReplicaQueryLog replicas = ReplicaQueryLog.start(t)) {
        assertThat(loop(t, s, 10)).isZero();
        assertOnlyBriefWaits(replicas, metrics);
      }
    } finally {
      m.close();
    }
  }

  /**
   * One replica current, the other UP but further behind than the read may wait. A current replica
   * often reports no lag (the commit time of the one transaction it lacks is not known yet); that
   * used to leave the far one's lag as the least, so reads went to the primary without waiting
   * although the current replica would have had the token in milliseconds.
   */
  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void oneReplicaFarBehind_waitThenFallback_waitsForTheCurrentOne(ServerKind kind)
      throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (Monitor m = startMonitor(t, 0);
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
             .monitor("http://127.0.0.1:" + m.httpPort()).build()) { // WAIT_THEN_FALLBACK, 5 s
      t.setDelay(t.replica(2), Duration.ofSeconds(30));
      Session warm = ds.newSession();
      await("following the monitor, replica2 UP and further behind than the wait", () -> {
        try {
          loop(t, warm, 1); // keeps the primary moving so replica2 falls behind
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
        var v = ds.router().feedView("replica2");
        return ds.routingHealth().followingMonitor() && v != null && v.up()
            && v.secondsBehind() != null && v.secondsBehind() > 6;
      });
      metrics.counts.clear();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        java.util.List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          runs.add(pool.submit(() -> loop(t, ds.newSession(), 60)));
        }
        int stale = 0;
        for (var f : runs) {
          stale += f.get();
        }
        assertThat(stale).isZero();
      } finally {
        pool.shutdownNow();
      }
      log.info("{} one replica far behind: routed {}", kind, metrics.counts);
      assertThat(metrics.get("fallback:NOT_CAUGHT_UP")).as("reads sent to the primary; routing: %s",
          metrics.counts).isZero();
      assertThat(metrics.get("replica:replica1")).isEqualTo(480);
    }
  }

  /** Server-side waits the router reported, reached or not, brief ones included. */
  static long serverWaits(SdkFixtures.CountingMetrics metrics) {
    return metrics.get("wait-reached") + metrics.get("wait-timeout") + briefWaits(metrics);
  }

  /** Write-then-read {@code n} times; returns reads that missed their own write. */
  private static int loop(Topology t, Session s, int n) throws SQLException {
    int stale = 0;
    for (int i = 1; i <= n; i++) {
      String id = UUID.randomUUID().toString();
      try (Connection c = s.getConnection()) {
        write(c, TABLE, id, i);
      }
      try (Connection c = s.getReadConnection()) {
        if (read(c, TABLE, id) != i) {
          stale++;
        }
      }
    }
    return stale;
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20); // polling a condition, not standing in for one
    }
  }
}
