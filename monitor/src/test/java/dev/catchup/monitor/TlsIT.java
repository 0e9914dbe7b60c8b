package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.monitor.connect.TlsSettings;
import dev.catchup.monitor.grants.GrantCheck;
import dev.catchup.testkit.LogCapture;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10.14: the monitor over TLS. Its user is created {@code REQUIRE SSL}, so the servers refuse
 * it any connection, SQL or binlog, that is not encrypted; other tests on the shared topology keep
 * their plain user.
 */
class TlsIT {
  static final String USER = "catchup_tls";
  static final String PASSWORD = "tls-only-secret";

  /** Creates {@link #USER} on every server, outside the binlog (no GTIDs, as topology.sh does). */
  static void createRequireSslUser(Topology t) throws SQLException {
    List<Server> all = new ArrayList<>(t.replicas());
    all.add(0, t.primary());
    for (Server s : all) {
      try (Connection c = t.connect(s); Statement st = c.createStatement()) {
        st.execute("SET sql_log_bin = 0");
        st.execute("CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD
            + "' REQUIRE SSL");
        // The grants are not this test's subject (TLS is); it only must not fail on them.
        st.execute("GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%'");
        st.execute("SET sql_log_bin = 1");
      }
    }
  }

  static MonitorConfig config(Topology t, TlsSettings tls) {
    MonitorConfig base = MonitorFixtures.config(t, Duration.ofSeconds(2));
    return new MonitorConfig(base.flavor(), USER, PASSWORD, base.primary(), base.replicas(),
        base.staleAfter(), base.tracker(), base.http(), tls);
  }

  static List<Arguments> verifiedModes() {
    List<Arguments> args = new ArrayList<>();
    for (Flavor f : Flavor.values()) {
      for (TlsSettings.Mode m : List.of(TlsSettings.Mode.REQUIRED, TlsSettings.Mode.VERIFY_CA,
          TlsSettings.Mode.VERIFY_IDENTITY)) {
        args.add(Arguments.of(f, m));
      }
    }
    return args;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("verifiedModes")
  void secureMode_requireSslUser_tracksReplicaAndConfirmsAWrite(Flavor flavor,
      TlsSettings.Mode mode) throws Exception {
    Topology t = Topologies.shared(flavor);
    createRequireSslUser(t);
    TlsSettings tls = mode.verifies() ? TlsSettings.withCaFile(mode, t.tlsCa(), false)
        : TlsSettings.of(mode, false);
    Server replica = t.replica(1);
    int servers = 1 + t.replicas().size();
    try (LogCapture grants = LogCapture.of(GrantCheck.class, Level.INFO);
         Monitor m = Monitor.start(config(t, tls)); Connection p = t.connect(t.primary());
         Statement s = p.createStatement()) {
      // The grant check's binlog probe logs in as the feed does: over TLS, so it is not refused.
      assertThat(grants.messages()).contains("the monitor user " + USER
          + " has every grant it needs on " + servers + " of " + servers + " server(s)");
      Registry r = m.registry();
      await("replica UP", () -> r.state(status(r, replica)) == ServerState.UP);
      s.execute("CREATE TABLE IF NOT EXISTS mon_tls (id INT PRIMARY KEY AUTO_INCREMENT)");
      s.execute("INSERT INTO mon_tls VALUES ()");
      GtidSet written = MonitorFixtures.executed(t, p, true);
      await("write confirmed on " + replica.name(),
          () -> status(r, replica).confirmed().contains(written));
      // REQUIRE SSL refuses a plain binlog connection, so a connected feed is an encrypted one.
      await("binlog feeds connected", () -> status(r, replica).feed() == FeedState.CONNECTED
          && r.primary().feed() == FeedState.CONNECTED);
      if (flavor == Flavor.MYSQL) {
        assertThat(binlogDumpConnectionTypes(t, replica)).isNotEmpty().containsOnly("SSL/TLS");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void disabled_requireSslUser_neverTracksAndSaysWhy(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    createRequireSslUser(t);
    Server replica = t.replica(1);
    try (Monitor m = Monitor.start(config(t, TlsSettings.of(TlsSettings.Mode.DISABLED, false)))) {
      Registry r = m.registry();
      await("an error on " + replica.name(), () -> status(r, replica).lastError() != null);
      ServerStatus st = status(r, replica);
      assertThat(r.state(st)).isNotEqualTo(ServerState.UP);
      assertThat(st.confirmedAt()).isNull();
      assertThat(st.lastError()).containsIgnoringCase("access denied").contains(USER);
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void verifyCa_wrongCa_neverTracksAndSaysWhy(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    createRequireSslUser(t);
    Path otherCa = Path.of(TlsIT.class.getClassLoader().getResource("tls/test-ca.pem").toURI());
    Server replica = t.replica(1);
    try (Monitor m = Monitor.start(config(t,
        TlsSettings.withCaFile(TlsSettings.Mode.VERIFY_CA, otherCa, false)))) {
      Registry r = m.registry();
      await("an error on " + replica.name(), () -> status(r, replica).lastError() != null);
      ServerStatus st = status(r, replica);
      assertThat(r.state(st)).isNotEqualTo(ServerState.UP);
      assertThat(st.confirmedAt()).isNull();
      assertThat(st.feed()).isNotEqualTo(FeedState.CONNECTED);
      assertThat(st.lastError()).containsIgnoringCase("certificat");
    }
  }

  /** CONNECTION_TYPE of the binlog dump threads serving {@link #USER} on the replica (MySQL). */
  private static List<String> binlogDumpConnectionTypes(Topology t, Server s) throws SQLException {
    List<String> types = new ArrayList<>();
    try (Connection c = t.connect(s); PreparedStatement ps = c.prepareStatement(
        "SELECT CONNECTION_TYPE FROM performance_schema.threads"
            + " WHERE PROCESSLIST_USER = ? AND PROCESSLIST_COMMAND LIKE 'Binlog Dump%'")) {
      ps.setString(1, USER);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
    }
    return types;
  }

  private static ServerStatus status(Registry r, Server s) {
    return r.status(s.name()).orElseThrow();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20); // polling a condition, not standing in for one
    }
  }
}
