package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.workload.CheckedWorkload;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover without a monitor, on real servers of both flavors: the SDK finds the new primary by
 * itself. One topology per flavor, owned by the test (it is broken on purpose), runs a planned
 * switchover and then an unplanned failover with lost writes, one after the other:
 *
 * <ol>
 *   <li>Switchover under a read-your-writes workload: the old primary read-only, a replica caught up
 *       and promoted, the others and the old primary re-pointed. Writes resume on the new primary
 *       without a restart, no read is stale, the new primary leaves the rotation and the demoted one
 *       joins it.
 *   <li>Failover with lost writes: the replicas delayed, a session writes, the primary is killed and
 *       a replica promoted without what it had not applied. That session's read fails with
 *       {@link LostWritesException} at once (well within {@code maxWait}), other sessions read and
 *       write, and after {@link Session#acceptLoss} so does the first one.
 * </ol>
 */
class DirectFailoverIT {
  private static final Logger log = LoggerFactory.getLogger(DirectFailoverIT.class);
  private static final Duration MAX_WAIT = Duration.ofSeconds(10);
  private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void switchoverThenFailoverWithLostWrites_followedWithoutAMonitor(Flavor flavor)
      throws Exception {
    try (Topology t = Topology.start(flavor, 2, Duration.ZERO)) {
      String table = "failover_" + flavor.name().toLowerCase();
      SdkFixtures.createTable(t, table);
      // An application's account: read_only binds it (an account with every privilege may write
      // on a read-only MariaDB server), and it may read replication status, as discovery needs.
      t.createUser("app", "app-pass", SdkFixtures.appGrants(flavor));
      try (CatchupDataSource ds = SdkFixtures.builder(t)
          .credentials("app", "app-pass")
          .topologyCheckInterval(CHECK_INTERVAL)
          .connectTimeout(Duration.ofSeconds(1))
          .readOptions(ReadOptions.DEFAULTS.withPolicy(ReadPolicy.WAIT_THEN_FALLBACK)
              .withMaxWait(MAX_WAIT))
          .build()) {
        switchover(t, ds, table);
        failoverWithLostWrites(t, ds, table);
      }
    }
  }

  private static void switchover(Topology t, CatchupDataSource ds, String table) throws Exception {
    Server old = t.primary();
    Server candidate = t.replica(1);
    try (CheckedWorkload w = new CheckedWorkload(ds, table, 0, Duration.ZERO,
        CheckedWorkload::byClass).start(3, "planned")) {
      assertThat(w.awaitProgress(20, Duration.ofSeconds(30))).as(w.toString()).isTrue();
      long mark = System.nanoTime();
      t.switchover(candidate, Duration.ofSeconds(30));
      assertThat(w.awaitProgress(30, Duration.ofSeconds(30)))
          .as("writes and reads resume on the new primary: " + w).isTrue();
      log.info("switchover ({}): first write after {}, first read after {}; {}", t.flavor(),
          w.firstWriteAfter(mark), w.firstReadAfter(mark), w);
      assertThat(w.stale()).as(w.toString()).isZero();
      assertThat(w.unexpected()).isEmpty();
    }
    assertThat(ds.primaryName()).isEqualTo(candidate.name());
    // The demoted primary replicates again: the next check (or the last one) puts it in rotation.
    // A check asks three servers with 1 s connect timeouts, so on a loaded machine a few checks
    // may pass before it: 30 s guards against it never happening.
    MonitorRoutingIT.await("the demoted primary " + old.name() + " in rotation",
        () -> ds.replicaNames().contains(old.name()));
    assertThat(ds.replicaNames()).doesNotContain(candidate.name());
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
      t.awaitCaughtUp(r, Duration.ofSeconds(30));
      t.setDelay(r, Duration.ofSeconds(60)); // nothing written from now on reaches them in time
    }
    try (Connection c = unlucky.getConnection()) {
      SdkFixtures.write(c, table, "lost", 2);
    }
    t.kill(dying);
    t.failover(candidate);
    t.setDelay(other, Duration.ZERO);

    // Another session's write finds the dead primary (or the periodic check found it already). A
    // pooled connection of the dead primary may fail it once, as a connection failure whose outcome
    // the application must handle (this upsert is safe to repeat); the next goes to the new one.
    Session bystander = ds.newSession();
    for (int attempt = 1; ; attempt++) {
      try (Connection c = bystander.getConnection()) {
        SdkFixtures.write(c, table, "after-failover", 3);
        break;
      } catch (SQLException e) {
        log.info("write {} after the failover failed: {}", attempt, e.getMessage());
        assertThat(e instanceof LostWritesException).as("not a lost write: %s", e).isFalse();
        assertThat(attempt).as("writes reach the new primary without a restart").isLessThan(3);
      }
    }
    assertThat(ds.primaryName()).isEqualTo(candidate.name());
    try (Connection c = bystander.getReadConnection()) {
      assertThat(SdkFixtures.read(c, table, "after-failover")).isEqualTo(3);
    }

    // The bound: a read that starts after the change is known fails at once, never after maxWait.
    long start = System.nanoTime();
    LostWritesException lost = assertThrows(LostWritesException.class, () -> {
      try (Connection c = unlucky.getReadConnection()) {
        SdkFixtures.read(c, table, "lost");
      }
    });
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    log.info("failover ({}): lost writes named in {} ms: {}", t.flavor(), took.toMillis(),
        lost.getMessage());
    assertThat(took).isLessThan(MAX_WAIT.dividedBy(2));
    assertThat(lost.getSQLState()).isEqualTo(LostWritesException.SQL_STATE);
    assertThat(lost.primary()).isEqualTo(candidate.name());
    assertThat(lost.lostGtids().isEmpty()).isFalse();
    assertThat(unlucky.token().gtids().contains(lost.lostGtids())).isTrue();
    try (Connection c = t.connect(candidate)) {
      assertThat(SdkFixtures.read(c, table, "lost")).as("the write really was lost").isEqualTo(-1);
    }

    unlucky.acceptLoss(lost);
    try (Connection c = unlucky.getConnection()) {
      SdkFixtures.write(c, table, "after-loss", 4);
    }
    try (Connection c = unlucky.getReadConnection()) {
      assertThat(SdkFixtures.read(c, table, "after-loss")).isEqualTo(4);
      assertThat(SdkFixtures.read(c, table, "before-delay")).isEqualTo(1);
    }
    assertThat(ds.replicaNames()).containsExactly(other.name());
  }
}
