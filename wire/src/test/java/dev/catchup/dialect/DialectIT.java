package dev.catchup.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.ServerSessionStateController.SessionStateChangesListener;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every entry of the table, run on a real primary and replica of each flavor: the statements
 * parse and answer as documented, the columns exist, and the tracking settings make the server
 * report each write's GTID in its reply.
 */
class DialectIT {

  /** On every server Catchup is tested on (MySQL 9, MariaDB 10.11 and 11.8). */
  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void dialect_everyEntryWorksOnTheServer(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    everyEntryWorks(t, Dialect.of(t.flavor()));
  }

  /**
   * The version check the monitor and the SDK run on their first connection reads each tested
   * server as its own flavor at its own release, accepts it as configured, and refuses it as the
   * other flavor (issue 14).
   */
  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void serverVersion_ofEveryTestedServer_isAccepted(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    try (Connection c = t.connect(t.primary())) {
      ServerVersion version = ServerVersion.of(c);
      assertThat(version.flavor()).isEqualTo(kind.flavor());
      assertThat(version.major() + "." + version.minor() + "." + version.patch() + ".")
          .startsWith(kind.versionPrefix());
      assertThat(Dialect.of(kind.flavor()).refusal(version)).as(version.toString()).isNull();
      Dialect other = kind.flavor() == Flavor.MYSQL ? Dialect.MARIADB : Dialect.MYSQL;
      assertThat(other.refusal(version)).startsWith("is " + version + ", not ");
    }
  }

  private static void everyEntryWorks(Topology t, Dialect d) throws Exception {
    Flavor flavor = d.flavor();
    Server replica = t.replica(1);
    GtidSet written;
    List<String> reported = new ArrayList<>();
    try (Connection primary = tracking(t, t.primary(), d)) {
      try (Statement s = primary.createStatement();
           ResultSet rs = s.executeQuery("SELECT @@session." + d.trackingVariable())) {
        rs.next();
        assertThat(d.tracksGtids(rs.getString(1))).as(rs.getString(1)).isTrue();
      }
      SessionStateChangesListener listener = changes -> changes.getSessionStateChangesList()
          .forEach(c -> {
            String gtid = d.gtidOf(c.getType(), c.getValues());
            if (gtid != null) {
              reported.add(gtid);
            }
          });
      primary.unwrap(JdbcConnection.class).getServerSessionStateController()
          .addSessionStateChangesListener(listener);
      try (Statement s = primary.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS dialect_it (id INT PRIMARY KEY AUTO_INCREMENT)");
        s.execute("INSERT INTO dialect_it () VALUES ()");
      }
      assertThat(reported).as("GTIDs reported in the replies").isNotEmpty();
      written = GtidSet.parse(flavor, reported.get(reported.size() - 1));
      assertThat(single(primary, d.lastWrittenQuery(), flavor).contains(written)).isTrue();
      GtidSet executed = single(primary, d.primaryExecutedQuery(), flavor);
      assertThat(executed.contains(written)).isTrue();
      try (Statement s = primary.createStatement(); ResultSet rs = s.executeQuery(d.binlogStatusQuery())) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isNotBlank(); // the file
        assertThat(rs.getLong(2)).isPositive(); // the position
      }
    }
    try (Connection c = t.connect(replica)) {
      assertThat(wait(c, d, written, Duration.ofSeconds(30))).isTrue();
      assertThat(check(c, d, written)).isTrue();
      assertThat(single(c, d.replicaExecutedQuery(), flavor).contains(written)).isTrue();
      GtidSet never = GtidSet.parse(flavor, flavor == Flavor.MYSQL
          ? "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-999999999" : "77-1-999999999");
      assertThat(check(c, d, never)).isFalse();
      assertThat(wait(c, d, never, Duration.ofMillis(50))).isFalse();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(d.replicaStatusQuery())) {
        assertThat(rs.next()).isTrue();
        Dialect.ReplicaStatusColumns col = d.replicaStatusColumns();
        assertThat(rs.getString(col.ioRunning())).isEqualTo("Yes");
        assertThat(rs.getString(col.sqlRunning())).isEqualTo("Yes");
        rs.getLong(col.secondsBehind());
        rs.getString(col.lastIoError());
        rs.getString(col.lastSqlError());
        assertThat(rs.getLong(col.sqlDelay())).isNotNegative();
        Dialect.SourceColumns src = d.sourceColumns();
        assertThat(rs.getString(src.host())).isEqualTo(t.primary().host());
        assertThat(rs.getInt(src.port())).isEqualTo(t.primary().port());
        assertThat(rs.getLong(src.serverId())).isPositive();
        if (src.uuid() != null) {
          assertThat(rs.getString(src.uuid())).isNotBlank();
        }
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(d.roleQuery())) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isBetween(0, 1);
        assertThat(rs.getInt(2)).isBetween(0, 1);
        assertThat(rs.getString(3) == null).isEqualTo(flavor == Flavor.MARIADB);
        assertThat(rs.getLong(4)).isPositive();
      }
    }
  }

  /** A connection with the driver properties the SDK puts on its primary pool. */
  private static Connection tracking(Topology t, Server server, Dialect d) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", t.user());
    p.setProperty("password", t.password());
    d.trackingDriverProperties().forEach(p::setProperty);
    return DriverManager.getConnection(server.jdbcUrl(), p);
  }

  private static GtidSet single(Connection c, String sql, Flavor flavor) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      String text = rs.getString(1);
      return GtidSet.parse(flavor, text == null ? "" : text);
    }
  }

  private static boolean check(Connection c, Dialect d, GtidSet set) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(d.checkQuery())) {
      ps.setString(1, set.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  private static boolean wait(Connection c, Dialect d, GtidSet set, Duration timeout)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(d.waitQuery())) {
      ps.setString(1, set.toString());
      ps.setDouble(2, timeout.toNanos() / 1e9);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }
}
