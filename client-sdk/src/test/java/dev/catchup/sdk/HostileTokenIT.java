package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.Monitor;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Well-formed tokens naming transactions the primary never committed (a huge sequence number of the
 * primary's own source, an unknown source): refused at once with {@link UncommittedTokenException}
 * under the default policy, instead of a {@code maxWait}-long wait and a primary read each; while
 * many such reads arrive, an ordinary read still runs on a replica.
 */
class HostileTokenIT {
  private static final String TABLE = "hostile_rows";
  private static final int HOSTILE_THREADS = 10;
  private static final int HOSTILE_READS_EACH = 3;

  @ParameterizedTest(name = "{0}, monitor {1}")
  @CsvSource({"MYSQL, false", "MARIADB, false", "MYSQL, true", "MARIADB, true"})
  void tokenBeyondThePrimary_isRefusedAtOnce_andOrdinaryReadsStayOnReplicas(Flavor flavor,
      boolean withMonitor) throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    List<String> hostile = hostileTokens(t);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    Monitor monitor = withMonitor ? MonitorRoutingIT.startMonitor(t, 0) : null;
    CatchupDataSourceBuilder b = SdkFixtures.builder(t).metrics(metrics); // default read options
    if (monitor != null) {
      b.monitor("http://127.0.0.1:" + monitor.httpPort());
    }
    ExecutorService pool = Executors.newFixedThreadPool(HOSTILE_THREADS);
    try (CatchupDataSource ds = b.build()) {
      if (monitor != null) {
        MonitorRoutingIT.await("following the monitor", () -> ds.routingHealth().followingMonitor());
      }
      for (String token : hostile) {
        Session s = ds.newSession().observe(token);
        var e = assertThrows(UncommittedTokenException.class, () -> {
          try (Connection c = s.getReadConnection()) {
            read(c, TABLE, "x");
          }
        }, token);
        assertThat(e.getSQLState()).isEqualTo(UncommittedTokenException.SQL_STATE);
        assertThat(e.getMessage()).contains("primary has not committed");
        assertThat(e.missingGtids()).isNotEmpty();
      }

      List<Future<Integer>> attackers = new ArrayList<>();
      for (int i = 0; i < HOSTILE_THREADS; i++) {
        String token = hostile.get(i % hostile.size());
        attackers.add(pool.submit(() -> {
          int refused = 0;
          for (int k = 0; k < HOSTILE_READS_EACH; k++) {
            try (Connection c = ds.newSession().observe(token).getReadConnection()) {
              read(c, TABLE, "x");
            } catch (UncommittedTokenException expected) {
              refused++;
            }
          }
          return refused;
        }));
      }
      // Ordinary reads meanwhile: no token, so any replica will do.
      long replicaBefore = metrics.get("REPLICA");
      for (int i = 0; i < 5; i++) {
        try (Connection c = ds.newSession().getReadConnection()) {
          read(c, TABLE, UUID.randomUUID().toString());
        }
      }
      int refused = 0;
      for (Future<Integer> f : attackers) {
        refused += f.get();
      }
      assertThat(refused).isEqualTo(HOSTILE_THREADS * HOSTILE_READS_EACH);
      assertThat(metrics.get("REPLICA") - replicaBefore).as("ordinary reads on replicas; routing %s",
          metrics.counts).isEqualTo(5);
      assertThat(metrics.get("PRIMARY")).as("no read went to the primary; routing %s", metrics.counts)
          .isZero();
    } finally {
      pool.shutdownNow();
      if (monitor != null) {
        monitor.close();
      }
    }
  }

  /** Tokens no replica will ever have, of the topology's flavor. */
  private static List<String> hostileTokens(Topology t) throws Exception {
    if (t.flavor() == Flavor.MYSQL) {
      String uuid;
      try (Connection c = t.connect(t.primary()); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT @@server_uuid")) {
        rs.next();
        uuid = rs.getString(1);
      }
      return List.of("mysql/" + uuid + ":1-9223372036854775806",
          "mysql/0badc0de-0000-4000-8000-000000000001:1-5");
    }
    String pos = t.primaryGtids(); // e.g. 0-1-123: domain 0 written by server 1
    String[] first = pos.split(",")[0].split("-");
    return List.of("mariadb/" + first[0] + "-" + first[1] + "-9223372036854775806",
        "mariadb/77-1-5");
  }
}
