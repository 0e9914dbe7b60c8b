package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads in the moments of an unplanned failover, on real servers of both flavors, without a
 * monitor. Each test breaks its own topology (a primary and two replicas):
 *
 * <ol>
 *   <li>Before the SDK learns of the promotion: the session's last write was lost with the killed
 *       primary, the promoted server wrote past its sequence number, and a replica replicates
 *       from it. MariaDB's {@code MASTER_GTID_WAIT} compares by sequence number only, so that
 *       replica "has" the lost GTID; the read must fail, never return the row as absent.
 *   <li>A read already waiting server-side for a token when its writes are lost: it fails with
 *       {@link LostWritesException} within the detection time plus one wait slice, long before
 *       {@code maxWait}.
 * </ol>
 */
class FailoverWindowIT {
  private static final Logger log = LoggerFactory.getLogger(FailoverWindowIT.class);

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void readBeforeTheSdkLearnsOfThePromotion_isNeverServedWithoutTheLostWrite(Flavor flavor)
      throws Exception {
    try (Topology t = Topology.start(flavor, 2, Duration.ZERO)) {
      String table = "window_" + flavor.name().toLowerCase();
      SdkFixtures.createTable(t, table);
      Server dying = t.primary();
      Server candidate = t.replica(1);
      Server other = t.replica(2);
      // Discovery must not run during the test: no periodic check within it, no write through
      // the SDK after the kill (a write would find the dead primary).
      try (CatchupDataSource ds = SdkFixtures.builder(t)
          .topologyCheckInterval(Duration.ofMinutes(1))
          .connectTimeout(Duration.ofSeconds(1))
          .readOptions(ReadOptions.DEFAULTS.withPolicy(ReadPolicy.FAIL)
              .withMaxWait(Duration.ofSeconds(2)))
          .build()) {
        Session session = ds.newSession();
        try (Connection c = session.getConnection()) {
          SdkFixtures.write(c, table, "before", 1);
        }
        for (Server r : t.replicas()) {
          assertThat(t.awaitCaughtUp(r, Duration.ofSeconds(30))).isTrue();
          t.setDelay(r, Duration.ofSeconds(60)); // the next write reaches neither in time
        }
        try (Connection c = session.getConnection()) {
          SdkFixtures.write(c, table, "lost", 2);
        }
        t.kill(dying);
        t.failover(candidate);
        t.setDelay(other, Duration.ZERO);
        // The new primary writes past the lost write's sequence number; the other replica gets it.
        try (Connection c = t.connect(candidate); Statement s = c.createStatement()) {
          for (int i = 0; i < 5; i++) {
            s.executeUpdate("INSERT INTO " + table + " (id, v) VALUES ('new-" + i + "', " + i + ")");
          }
        }
        assertThat(t.awaitCaughtUp(other, Duration.ofSeconds(30))).isTrue();
        log.info("window ({}): session token {}, {} has {}", flavor, session.token(),
            other.name(), executed(t, other, flavor));

        // Each policy shape: FAIL checks every replica once, WAIT waits on the first that answers;
        // several reads so that the rotation starts at each replica.
        for (ReadPolicy policy : List.of(ReadPolicy.FAIL, ReadPolicy.WAIT, ReadPolicy.FAIL,
            ReadPolicy.WAIT)) {
          ReadOptions options = ReadOptions.DEFAULTS.withPolicy(policy)
              .withMaxWait(Duration.ofSeconds(2));
          try (Connection c = session.getReadConnection(options)) {
            long v = SdkFixtures.read(c, table, "lost");
            assertThat(v).as("a %s read served without the session's write is stale", policy)
                .isEqualTo(2);
          } catch (ReplicaNotCaughtUpException | LostWritesException expected) {
            log.info("window ({}): {} read refused: {}", flavor, policy, expected.getMessage());
          }
        }
        assertThat(ds.topologyGeneration()).as("the SDK did not learn of the promotion")
            .isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void readWaitingServerSideWhenItsWritesAreLost_failsWithinDetectionPlusOneSlice(Flavor flavor)
      throws Exception {
    Duration checkInterval = Duration.ofMillis(500);
    Duration maxWait = Duration.ofSeconds(60);
    try (Topology t = Topology.start(flavor, 2, Duration.ZERO)) {
      String table = "waiting_" + flavor.name().toLowerCase();
      SdkFixtures.createTable(t, table);
      t.createUser("app", "app-pass", SdkFixtures.appGrants(flavor));
      Server dying = t.primary();
      Server candidate = t.replica(1);
      Server other = t.replica(2);
      try (CatchupDataSource ds = SdkFixtures.builder(t)
          .credentials("app", "app-pass")
          .topologyCheckInterval(checkInterval)
          .connectTimeout(Duration.ofSeconds(1))
          .readOptions(ReadOptions.DEFAULTS.withPolicy(ReadPolicy.WAIT).withMaxWait(maxWait))
          .build()) {
        Session session = ds.newSession();
        try (Connection c = session.getConnection()) {
          SdkFixtures.write(c, table, "before", 1);
        }
        for (Server r : t.replicas()) {
          assertThat(t.awaitCaughtUp(r, Duration.ofSeconds(30))).isTrue();
          t.setDelay(r, Duration.ofSeconds(120));
        }
        try (Connection c = session.getConnection()) {
          SdkFixtures.write(c, table, "lost", 2);
        }
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
          try (Connection c = session.getReadConnection()) {
            return SdkFixtures.read(c, table, "lost");
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        assertThat(awaitWaiting(t, flavor, Duration.ofSeconds(30)))
            .as("the read waits server-side on a replica").isTrue();
        long killed = System.nanoTime();
        t.kill(dying);
        t.failover(candidate);
        t.setDelay(other, Duration.ZERO);
        Throwable failure = null;
        try {
          read.get(maxWait.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          failure = e.getCause() instanceof IllegalStateException ise ? ise.getCause()
              : e.getCause();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        log.info("waiting read ({}): ended {} ms after the kill with {}", flavor, took.toMillis(),
            String.valueOf(failure));
        assertThat(failure).isInstanceOf(LostWritesException.class);
        // The bound: the failover itself (the testkit promotes and re-points), then discovery
        // (one check interval) and one wait slice; generous for a loaded machine, far from maxWait.
        assertThat(took).isLessThan(maxWait.dividedBy(3));
      }
    }
  }

  /** Polls the replicas' process lists until a GTID wait runs on one; bounded by {@code timeout}. */
  private static boolean awaitWaiting(Topology t, Flavor flavor, Duration timeout)
      throws SQLException, InterruptedException {
    String fn = flavor == Flavor.MYSQL ? "WAIT_FOR_EXECUTED_GTID_SET" : "MASTER_GTID_WAIT";
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      for (Server r : t.replicas()) {
        try (Connection c = t.connect(r); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist "
                + "WHERE info LIKE '%" + fn + "(%' AND info NOT LIKE '%processlist%'")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return true;
          }
        }
      }
      TimeUnit.MILLISECONDS.sleep(50); // polling the servers' own state: nothing to await
    }
    return false;
  }

  private static String executed(Topology t, Server s, Flavor flavor) throws SQLException {
    try (Connection c = t.connect(s); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(flavor == Flavor.MYSQL ? "SELECT @@gtid_executed"
            : "SELECT CONCAT(@@gtid_slave_pos, ' / ', @@gtid_binlog_state)")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
