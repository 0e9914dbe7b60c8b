package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A covered read costs the replica what a plain JDBC read does: its own statement and nothing
 * else. The replicas' {@code Com_*} counters (every command a client sends, {@code SET},
 * {@code COMMIT}, {@code SHOW}, pings as {@code Com_admin_commands}, ...) move only by one
 * {@code Com_select} per read, also when the connection was made read-only first, as frameworks
 * do: the read-only flag chooses the target and is never sent to the server. A setting, validation
 * or session query added per borrow or statement would show here on either flavor.
 */
class CoveredReadRoundTripsIT {
  private static final String TABLE = "round_trip_rows";
  private static final int READS = 20;

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void coveredRead_sendsOnlyItsStatementToTheReplica(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    // Opened first: a new connection's own setup queries would count.
    List<Connection> admin = new ArrayList<>();
    for (Server r : t.replicas()) {
      admin.add(t.connect(r));
    }
    // No periodic discovery during the count: it asks every server its role.
    try (CatchupDataSource ds = SdkFixtures.builder(t).topologyCheckInterval(Duration.ofHours(1))
        .build()) {
      Session s = ds.newSession();
      String id = UUID.randomUUID().toString();
      try (Connection c = s.getConnection()) {
        SdkFixtures.write(c, TABLE, id, 11);
      }
      // Until a replica has confirmed the token once, a read asks the replica for it. Right before
      // the count, so that the pool does not validate an idle connection (HikariCP pings one idle
      // for more than half a second, as it would for plain JDBC).
      for (int i = 0; i < 2 * t.replicas().size(); i++) {
        try (Connection c = s.getReadConnection()) {
          assertEquals(11, read(c, TABLE, id));
        }
      }

      // The counters are the whole server's: another client of the shared topology (a pool
      // opening a connection in the background, a monitor left by another test) can land a
      // statement in a window now and then. An extra query per read or per borrow would land in
      // every window, so the count must come out exact in one of a few windows (bounded).
      Map<String, Long> expected = Map.of("Com_select", (long) READS);
      List<Map<String, Long>> windows = new ArrayList<>();
      for (int window = 1; window <= 5; window++) {
        Map<String, Long> before = commands(admin);
        for (int i = 0; i < READS; i++) {
          try (Connection c = s.getReadConnection()) {
            if (i % 2 == 1) {
              c.setReadOnly(true);
            }
            assertEquals(11, read(c, TABLE, id));
          }
        }
        Map<String, Long> moved = delta(before, commands(admin));
        windows.add(moved);
        if (moved.equals(expected)) {
          break;
        }
      }

      assertThat(windows).as("commands the replicas received in each window of %d covered reads "
          + "(one window must show exactly the reads)", READS).contains(expected);
    } finally {
      for (Connection c : admin) {
        c.close();
      }
    }
  }

  /**
   * Every replica's non-zero {@code Com_*} counters but the status query's own, and the
   * connections opened ({@code Connections}), summed.
   */
  private static Map<String, Long> commands(List<Connection> admin) throws SQLException {
    Map<String, Long> sum = new TreeMap<>();
    for (Connection c : admin) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name LIKE 'Com\\_%' "
              + "OR Variable_name = 'Connections'")) {
        while (rs.next()) {
          String name = rs.getString(1);
          long v = rs.getLong(2);
          if (v != 0 && !name.equals("Com_show_status")) {
            sum.merge(name, v, Long::sum);
          }
        }
      }
    }
    return sum;
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new HashMap<>();
    after.forEach((k, v) -> {
      long diff = v - before.getOrDefault(k, 0L);
      if (diff != 0) {
        d.put(k, diff);
      }
    });
    return d;
  }
}
