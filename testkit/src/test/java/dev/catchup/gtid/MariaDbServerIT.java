package dev.catchup.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MariaDB positions against a real server: what the server prints parses and prints back
 * identically, and our containment answers what {@code MASTER_GTID_WAIT} answers.
 */
class MariaDbServerIT {

  @ParameterizedTest
  @EnumSource(value = ServerKind.class, names = {"MARIADB_10_11", "MARIADB_11_8"})
  void positions_roundTrip_andContainmentMatchesMasterGtidWait(ServerKind kind)
      throws SQLException {
    Topology mariadb = Topologies.shared(kind);
    try (Connection primary = mariadb.connect(mariadb.primary());
         Statement s = primary.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS gtid_domains (id INT PRIMARY KEY AUTO_INCREMENT, d INT)");
      // Writes in three domains, so positions have several entries.
      for (int domain : new int[] {0, 7, 3}) {
        s.execute("SET SESSION gtid_domain_id = " + domain);
        s.execute("INSERT INTO gtid_domains (d) VALUES (" + domain + ")");
      }
      s.execute("SET SESSION gtid_domain_id = 0");
    }
    assertThat(mariadb.awaitCaughtUp(mariadb.replica(1), Duration.ofSeconds(30))).isTrue();

    try (Connection replica = mariadb.connect(mariadb.replica(1));
         Statement s = replica.createStatement();
         PreparedStatement wait = replica.prepareStatement("SELECT MASTER_GTID_WAIT(?, 0)")) {
      String printed;
      try (ResultSet rs = s.executeQuery("SELECT @@global.gtid_slave_pos")) {
        rs.next();
        printed = rs.getString(1);
      }
      MariaDbGtidSet pos = MariaDbGtidSet.parse(printed);
      assertEquals(printed, pos.toString(), "canonical form equals the server's");
      assertThat(pos.entries()).hasSizeGreaterThanOrEqualTo(3);

      Random random = new Random(42);
      int agreed = 0;
      for (int i = 0; i < 300; i++) {
        MariaDbGtidSet probe = nearby(pos, random);
        wait.setString(1, probe.toString());
        try (ResultSet rs = wait.executeQuery()) {
          rs.next();
          boolean reached = rs.getInt(1) == 0;
          assertEquals(reached, pos.contains(probe), "probe " + probe + " against " + pos);
          agreed++;
        }
      }
      assertEquals(300, agreed);
    }
  }

  /** A position close to {@code pos}: each domain's sequence moved by -2..+2, domains dropped or added. */
  private static MariaDbGtidSet nearby(MariaDbGtidSet pos, Random r) {
    StringBuilder sb = new StringBuilder();
    for (MariaDbGtidSet.Entry e : pos.entries()) {
      if (r.nextInt(4) == 0) {
        continue;
      }
      long seq = Math.max(1, e.sequence() + r.nextInt(5) - 2);
      sb.append(sb.length() > 0 ? "," : "").append(e.domain()).append('-')
          .append(r.nextBoolean() ? e.server() : 99).append('-').append(seq);
    }
    if (r.nextInt(6) == 0) {
      sb.append(sb.length() > 0 ? "," : "").append("42-1-1");
    }
    return MariaDbGtidSet.parse(sb);
  }
}
