package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.MonitorConfig;
import dev.catchup.monitor.grants.MonitorGrants;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.sdk.workload.CheckedWorkload;
import dev.catchup.testkit.LogCapture;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover with the monitor, on real servers of both flavors: the SDK follows the topology the
 * monitor announces. One topology per flavor, owned by the test (it is broken on purpose), two
 * in-process monitors (reconcile every 200 ms), and in turn:
 *
 * <ol>
 *   <li>A planned switchover under a read-your-writes workload, the followed monitor killed as it
 *       starts: the SDK switches to the other monitor and follows its topology; writes resume on
 *       the new primary with neither the SDK nor the monitor restarted; no read is stale.
 *   <li>An unplanned failover with lost writes: the replicas delayed, a session writes, the
 *       primary killed and the demoted old primary (now a replica) promoted without what it had not
 *       applied. That session's read fails with {@link LostWritesException} within
 *       {@link #LOST_BOUND} of the promotion (never after {@code maxWait}); other sessions write
 *       and read.
 *   <li>A replica added (the monitor reloaded with it) and one removed (killed, the monitor
 *       reloaded without it): a data source configured with the new one (built after it was
 *       added: the SDK's server list is fixed at build) reads from it; none reads from the removed
 *       one.
 * </ol>
 * Times from promotion to the first write and the first read-your-writes read are logged.
 */
class FailoverIT {
  private static final Logger log = LoggerFactory.getLogger(FailoverIT.class);
  private static final Duration MAX_WAIT = Duration.ofSeconds(10);
  private static final Duration MAX_STALENESS = Duration.ofSeconds(2);
  /**
   * From a promotion to a read of lost writes failing: the monitor sees a promotion within two
   * reconcile intervals (400 ms here), the event reaches the SDK at once, the SDK reads the new
   * primary's fence (one query), and a read waiting in the process is woken by the change. The
   * rest is margin for a loaded 2-core machine; well under {@link #MAX_WAIT}.
   */
  private static final Duration LOST_BOUND = Duration.ofSeconds(5);
  private static final String MONITOR_USER = "catchup_monitor";
  private static final String MONITOR_PASSWORD = "monitor-secret";

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void switchoverFailoverAndReplicasComingAndGoing_followedThroughTheMonitor(Flavor flavor)
      throws Exception {
    try (Topology t = Topology.start(flavor, 2, Duration.ZERO)) {
      String table = "failover_mon_" + flavor.name().toLowerCase();
      SdkFixtures.createTable(t, table);
      // An application's account: read_only binds it (an account with every privilege may write
      // on a read-only MariaDB server), and it may read replication status, as the fence needs.
      t.createUser("app", "app-pass", SdkFixtures.appGrants(flavor));
      t.createUser(MONITOR_USER, MONITOR_PASSWORD, monitorGrants(flavor));
      Monitor a = Monitor.start(config(t, t.primary(), t.replicas()));
      Monitor b = Monitor.start(config(t, t.primary(), t.replicas()));
      SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
      try (CatchupDataSource ds = builder(t, metrics, a, b).build()) {
        MonitorRoutingIT.await("following the first monitor", () -> ds.routingHealth().reason()
            .startsWith("following the monitor at 127.0.0.1:" + a.httpPort()));
        switchover(t, ds, table, a, b);
        failoverWithLostWrites(t, ds, table);
        replicasAddedAndRemoved(t, ds, table, b);
      } finally {
        a.close();
        b.close();
      }
    }
  }

  private static List<String> monitorGrants(Flavor flavor) {
    return MonitorGrants.statements(flavor, false, MonitorGrants.account(MONITOR_USER, "%"));
  }

  private static CatchupDataSourceBuilder builder(Topology t, CatchupMetrics metrics,
      Monitor... monitors) {
    CatchupDataSourceBuilder b = SdkFixtures.builder(t)
        .credentials("app", "app-pass")
        .metrics(metrics)
        .connectTimeout(Duration.ofSeconds(1))
        // Off in effect: changes come from the monitor, or from a write the old primary refused.
        .topologyCheckInterval(Duration.ofHours(1))
        .monitorMaxStaleness(MAX_STALENESS)
        .readOptions(ReadOptions.DEFAULTS.withPolicy(ReadPolicy.WAIT_THEN_FALLBACK)
            .withMaxWait(MAX_WAIT));
    for (Monitor m : monitors) {
      b.monitor("http://127.0.0.1:" + m.httpPort());
    }
    return b;
  }

  /** A monitor of {@code seed} and {@code replicas}, reconciling every 200 ms. */
  private static MonitorConfig config(Topology t, Server seed, List<Server> replicas) {
    return new MonitorConfig(t.flavor(), MONITOR_USER, MONITOR_PASSWORD,
        new MonitorConfig.Server(seed.name(), seed.host(), seed.port()),
        replicas.stream().map(r -> new MonitorConfig.Server(r.name(), r.host(), r.port())).toList(),
        Duration.ofSeconds(2),
        new TrackerSettings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(2),
            null),
        new HttpSettings("127.0.0.1", 0, null, Duration.ofSeconds(1), Duration.ofSeconds(30)));
  }

  private static void switchover(Topology t, CatchupDataSource ds, String table, Monitor followed,
      Monitor other) throws Exception {
    Server old = t.primary();
    Server candidate = t.replica(1);
    try (CheckedWorkload w = new CheckedWorkload(ds, table, 0, Duration.ZERO,
        CheckedWorkload::byClass).start(3, "planned")) {
      assertThat(w.awaitProgress(20, Duration.ofSeconds(30))).as(w.toString()).isTrue();
      // Topology.switchover's steps, so that the mark is the promotion itself: the old primary
      // read-only (writes fail from here on), the candidate caught up, the followed monitor killed
      // in the middle of it all, then the promotion and the re-pointing.
      t.setReadOnly(old, true);
      assertThat(t.awaitCaughtUp(candidate, Duration.ofSeconds(30))).isTrue();
      followed.close();
      long mark = System.nanoTime();
      t.promote(candidate);
      t.repoint(t.replica(2), candidate);
      t.repoint(old, candidate);
      assertThat(w.awaitProgress(30, Duration.ofSeconds(30)))
          .as("writes and reads resume on the new primary: " + w).isTrue();
      log.info("switchover ({}, with the monitor, the followed one killed): first write after {} "
          + "ms, first read-your-writes read after {} ms; {}", t.flavor(),
          w.firstWriteAfter(mark).toMillis(), w.firstReadAfter(mark).toMillis(), w);
      assertThat(w.stale()).as(w.toString()).isZero();
      assertThat(w.unexpected()).isEmpty();
    }
    assertThat(ds.primaryName()).isEqualTo(candidate.name());
    assertThat(ds.routingHealth().reason())
        .startsWith("following the monitor at 127.0.0.1:" + other.httpPort());
    // The demoted primary replicates from the new one: the monitor's topology puts it in rotation.
    MonitorRoutingIT.await("the demoted primary in rotation: " + ds.replicaNames(),
        () -> ds.replicaNames().equals(List.of(old.name(), "replica2")));
  }

  private static void failoverWithLostWrites(Topology t, CatchupDataSource ds, String table)
      throws Exception {
    Server dying = t.primary();
    Server candidate = t.server("primary"); // the demoted server, now a replica
    Server other = t.replica(2);
    Session unlucky = ds.newSession();
    try (Connection c = unlucky.getConnection()) {
      SdkFixtures.write(c, table, "before-delay", 1);
    }
    for (Server r : t.replicas()) {
      assertThat(t.awaitCaughtUp(r, Duration.ofSeconds(30))).isTrue();
      t.setDelay(r, Duration.ofSeconds(60)); // nothing written from now on reaches them in time
    }
    try (Connection c = unlucky.getConnection()) {
      SdkFixtures.write(c, table, "lost", 2);
    }
    t.kill(dying);
    try (LogCapture changes = LogCapture.of(Servers.class);
         CheckedWorkload w = new CheckedWorkload(ds, table,
             100 * CheckedWorkload.IDS_PER_SESSION, Duration.ZERO, CheckedWorkload::byClass)) {
      t.failover(candidate);
      long promoted = System.nanoTime();
      t.setDelay(other, Duration.ZERO);

      // Reads of the unlucky session, from the promotion on, until one fails as lost. Nothing
      // writes meanwhile, and the periodic check is off: only the monitor can tell the SDK.
      LostWritesException lost = null;
      for (int attempt = 1; lost == null; attempt++) {
        try (Connection c = unlucky.getReadConnection()) {
          long v = SdkFixtures.read(c, table, "lost");
          assertThat(v).as("a read of a lost write is never served (attempt %d)", attempt)
              .isEqualTo(2);
        } catch (LostWritesException e) {
          lost = e;
        } catch (SQLException e) {
          log.info("read {} of the unlucky session after the failover failed: {}", attempt,
              e.getMessage());
        }
        assertThat(attempt).as("bounded").isLessThan(50);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - promoted);
      log.info("failover ({}, with the monitor): lost writes named {} ms after the promotion: {}",
          t.flavor(), took.toMillis(), lost.getMessage());
      assertThat(took).isLessThan(LOST_BOUND);
      // The data source uses the new roles a moment before it logs them: await the line, then
      // stop capturing.
      String change = "topology: primary " + dying.name() + " -> " + candidate.name();
      changes.await(e -> e.getFormattedMessage().startsWith(change)
          && e.getFormattedMessage().contains("(from the monitor's topology"),
          Duration.ofSeconds(30));
      changes.close();
      assertThat(lost.getSQLState()).isEqualTo(LostWritesException.SQL_STATE);
      assertThat(lost.primary()).isEqualTo(candidate.name());
      assertThat(unlucky.token().gtids().contains(lost.lostGtids())).isTrue();
      try (Connection c = t.connect(candidate)) {
        assertThat(SdkFixtures.read(c, table, "lost")).as("the write really was lost")
            .isEqualTo(-1);
      }
      // Other sessions: writes and reads go on, on the new primary.
      long mark = System.nanoTime();
      w.start(3, "unplanned");
      unlucky.acceptLoss(lost);
      try (Connection c = unlucky.getConnection()) {
        SdkFixtures.write(c, table, "after-loss", 4);
      }
      try (Connection c = unlucky.getReadConnection()) {
        assertThat(SdkFixtures.read(c, table, "after-loss")).isEqualTo(4);
        assertThat(SdkFixtures.read(c, table, "before-delay")).isEqualTo(1);
      }

      assertThat(w.awaitProgress(30, Duration.ofSeconds(30)))
          .as("other sessions write and read on the new primary: " + w).isTrue();
      log.info("failover ({}, with the monitor): other sessions started after that: first write "
          + "after {} ms, first read-your-writes read after {} ms; {}", t.flavor(),
          w.firstWriteAfter(mark).toMillis(),
          w.firstReadAfter(mark).toMillis(), w);
      assertThat(w.stale()).as(w.toString()).isZero();
      assertThat(w.unexpected()).isEmpty();
      assertThat(w.named()).as("none: these sessions write after the promotion").isEmpty();
    }
    assertThat(ds.primaryName()).isEqualTo(candidate.name());
    MonitorRoutingIT.await("only replica2 in rotation: " + ds.replicaNames(),
        () -> ds.replicaNames().equals(List.of(other.name())));
  }

  private static void replicasAddedAndRemoved(Topology t, CatchupDataSource ds, String table,
      Monitor monitor) throws Exception {
    Server removed = t.replica(2);
    Server added = t.addReplica(t.primary(), Duration.ZERO);
    // Accounts are made unlogged on each server (as the launcher makes them): the new one too.
    t.createUser(added, "app", "app-pass", SdkFixtures.appGrants(t.flavor()));
    t.createUser(added, MONITOR_USER, MONITOR_PASSWORD, monitorGrants(t.flavor()));
    // What a SIGHUP does: the dead replica1 dropped from the seed list, the new server added.
    monitor.reload(config(t, t.primary(), List.of(removed, added)));
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    // The SDK's servers are fixed at build: a data source built now is configured with the new one.
    try (CatchupDataSource rebuilt = builder(t, metrics, monitor).build()) {
      assertThat(rebuilt.replicaNames()).contains(added.name());
      MonitorRoutingIT.await("the monitor shows the new replica UP and replicating from the primary",
          () -> rebuilt.routingHealth().followingMonitor()
              && rebuilt.replicaNames().contains(added.name())
              && Boolean.TRUE.equals(rebuilt.router().feedReportsUp(added.name())));
      Session s = rebuilt.newSession();
      for (int i = 0; metrics.get("replica:" + added.name()) == 0; i++) {
        assertThat(i).as("reads reach the new replica: %s, rotation %s", metrics.counts,
            rebuilt.replicaNames()).isLessThan(200);
        readYourWrite(s, table, "added-" + i, i);
      }

      t.removeReplica(removed);
      monitor.reload(config(t, t.primary(), List.of(added)));
      MonitorRoutingIT.await("the removed replica leaves the rotation",
          () -> rebuilt.replicaNames().equals(List.of(added.name()))
              && ds.replicaNames().isEmpty());
      long before = metrics.get("replica:" + removed.name());
      long toAdded = metrics.get("replica:" + added.name());
      Session old = ds.newSession();
      for (int i = 0; i < 20; i++) {
        readYourWrite(s, table, "after-removal-" + i, i);
        readYourWrite(old, table, "old-after-removal-" + i, i);
      }
      assertThat(metrics.get("replica:" + removed.name())).as("reads on the removed replica")
          .isEqualTo(before);
      assertThat(metrics.get("replica:" + added.name())).isGreaterThan(toAdded);
      log.info("replicas ({}): added {} read from, removed {} not; routing {}", t.flavor(),
          added.name(), removed.name(), metrics.counts);
    }
  }

  /** Writes a row and reads it back through {@code s}; a stale read fails the test. */
  private static void readYourWrite(Session s, String table, String id, long v) throws SQLException {
    try (Connection c = s.getConnection()) {
      SdkFixtures.write(c, table, id, v);
    }
    try (Connection c = s.getReadConnection()) {
      assertThat(SdkFixtures.read(c, table, id)).as("read of %s", id).isEqualTo(v);
    }
  }
}
