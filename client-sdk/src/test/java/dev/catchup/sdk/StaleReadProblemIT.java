package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The problem Catchup exists to solve, on real servers: with a one-second replication delay, a
 * read on the replica right after a write on the primary misses the write; the same read after
 * waiting on the replica for the write's GTID sees it.
 */
class StaleReadProblemIT {
  /** No write shows on the replica sooner than this after its commit. */
  private static final Duration DELAY = Duration.ofSeconds(1);

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void readAfterWrite_onDelayedReplica_isStale_untilItWaitsForTheGtid(Flavor flavor)
      throws SQLException {
    Topology t = Topologies.shared(flavor);
    Server replica = t.replica(1);
    try (Connection primary = t.connect(t.primary()); Statement s = primary.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS seed_orders (id VARCHAR(36) PRIMARY KEY, note TEXT)");
    }
    t.setDelay(replica, Duration.ZERO);
    assertThat(t.awaitCaughtUp(replica, Duration.ofSeconds(30))).as("table replicated").isTrue();
    t.setDelayAtLeast(replica, DELAY);
    // Both connections first: between the write and the read, only the statements.
    try (Connection primary = t.connect(t.primary()); Connection reader = t.connect(replica)) {
      for (int attempt = 1; ; attempt++) {
        String id = UUID.randomUUID().toString();
        long beforeCommit = System.nanoTime();
        try (PreparedStatement insert =
                 primary.prepareStatement("INSERT INTO seed_orders VALUES (?, 'hello')")) {
          insert.setString(1, id);
          insert.executeUpdate();
        }
        String gtid = writtenGtid(primary, flavor);
        boolean seenAtOnce = exists(reader, id);
        if (since(beforeCommit).compareTo(DELAY) >= 0) {
          // The read ended when the write may show already (this thread was stalled): it tells
          // nothing about a read right after the write. Again, with a new row.
          assertThat(attempt).as("attempts whose read ended within %s of the write", DELAY)
              .isLessThan(3);
          continue;
        }
        assertThat(seenAtOnce).as("read right after the write, on the delayed replica").isFalse();

        assertThat(waitFor(reader, flavor, gtid, Duration.ofSeconds(30)))
            .as("replica reaches the write's GTID %s", gtid).isTrue();
        Duration applied = since(beforeCommit);

        assertThat(exists(reader, id)).as("read after waiting for the GTID").isTrue();
        // The delay is real: the replica could not have applied the write sooner than 1 s after
        // its commit (measured from just before it, so a stall of this thread cannot shorten it).
        assertThat(applied).isGreaterThan(Duration.ofMillis(900));
        return;
      }
    } finally {
      t.setDelay(replica, Duration.ZERO);
    }
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private static String writtenGtid(Connection c, Flavor flavor) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        flavor == Flavor.MYSQL ? "SELECT @@global.gtid_executed" : "SELECT @@last_gtid")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean waitFor(Connection c, Flavor flavor, String gtid, Duration timeout)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(flavor == Flavor.MYSQL
        ? "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)" : "SELECT MASTER_GTID_WAIT(?, ?)")) {
      ps.setString(1, gtid);
      ps.setDouble(2, timeout.toSeconds());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 0;
      }
    }
  }

  private static boolean exists(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM seed_orders WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
