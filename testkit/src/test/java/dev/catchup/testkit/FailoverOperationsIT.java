package dev.catchup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catchup.gtid.Flavor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a failover tool does, on a topology of the test's own: a planned switchover, a replica
 * added, the primary killed and a replica promoted in its place, a replica removed. After each
 * step every running server has every write of the current primary.
 */
class FailoverOperationsIT {
  private static final Duration CATCH_UP = Duration.ofSeconds(60);

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void switchover_addReplica_failover_removeReplica_keepReplicationWhole(ServerKind kind)
      throws SQLException {
    try (Topology t = Topology.start(kind, 2, Duration.ZERO)) {
      Server oldPrimary = t.primary();
      Server replica1 = t.replica(1);
      Server replica2 = t.replica(2);
      exec(t, oldPrimary, "CREATE TABLE ops (id INT PRIMARY KEY, step VARCHAR(20))");
      exec(t, oldPrimary, "INSERT INTO ops VALUES (1, 'before')");

      // Planned: nothing is lost, the old primary replicates from the new one and refuses writes.
      t.switchover(replica1, CATCH_UP);
      assertThat(t.primary()).isEqualTo(replica1);
      assertThat(t.isPrimary(replica1)).isTrue();
      assertThat(t.replicas()).containsExactlyInAnyOrder(replica2, oldPrimary);
      assertThat(scalar(t, replica1, "SELECT @@global.read_only")).isEqualTo("0");
      assertThat(scalar(t, oldPrimary, "SELECT @@global.read_only")).isEqualTo("1");
      if (kind.flavor() == Flavor.MYSQL) {
        // super_read_only: even this account (it has SUPER) cannot write there.
        assertThatThrownBy(() -> exec(t, oldPrimary, "INSERT INTO ops VALUES (9, 'refused')"))
            .isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(1290));
      }
      exec(t, replica1, "INSERT INTO ops VALUES (2, 'switched')");
      for (Server r : t.replicas()) {
        assertThat(t.awaitCaughtUp(r, CATCH_UP)).as(r.name() + " caught up").isTrue();
        assertThat(scalar(t, r, "SELECT COUNT(*) FROM ops")).as(r.name()).isEqualTo("2");
      }

      // A new, empty replica gets everything.
      Server replica3 = t.addReplica(replica1, Duration.ZERO);
      assertThat(replica3.name()).isEqualTo("replica3");
      assertThat(t.replicas()).contains(replica3);
      assertThat(scalar(t, replica3, "SELECT COUNT(*) FROM ops")).isEqualTo("2");

      // Unplanned: the primary dies, replica2 takes over, the others follow it.
      t.kill(replica1);
      t.failover(replica2);
      assertThat(t.primary()).isEqualTo(replica2);
      assertThat(t.replicas()).containsExactlyInAnyOrder(oldPrimary, replica3);
      exec(t, replica2, "INSERT INTO ops VALUES (3, 'failed over')");
      for (Server r : t.replicas()) {
        assertThat(t.awaitCaughtUp(r, CATCH_UP)).as(r.name() + " caught up").isTrue();
        assertThat(scalar(t, r, "SELECT COUNT(*) FROM ops")).as(r.name()).isEqualTo("3");
      }

      t.removeReplica(replica3);
      assertThat(t.replicas()).containsExactly(oldPrimary);
      assertThatThrownBy(() -> t.connect(replica3).close()).isInstanceOf(SQLException.class);
    }
  }

  private static void exec(Topology t, Server s, String sql) throws SQLException {
    try (Connection c = t.connect(s); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String scalar(Topology t, Server s, String sql) throws SQLException {
    try (Connection c = t.connect(s); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
