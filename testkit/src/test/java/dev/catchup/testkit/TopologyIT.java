package dev.catchup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The launcher gives what tests rely on, on every kind of server (both flavors, each release). */
class TopologyIT {

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void topology_replicatesWithGtids_fromPrimaryToEveryReplica(ServerKind kind) throws SQLException {
    Topology t = Topologies.shared(kind);
    assertThat(t.replicas()).hasSize(Topologies.REPLICAS);
    Set<Long> ids = new HashSet<>();
    ids.add(t.primary().serverId());
    t.replicas().forEach(r -> ids.add(r.serverId()));
    assertThat(ids).as("distinct server ids").hasSize(1 + Topologies.REPLICAS);
    assertThat(t.version()).as("the servers of " + kind).startsWith(kind.versionPrefix());

    try (Connection p = t.connect(t.primary()); Statement s = p.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS kit_probe (id INT PRIMARY KEY, v INT)");
      s.execute("REPLACE INTO kit_probe VALUES (1, 41)");
      s.execute("UPDATE kit_probe SET v = 42 WHERE id = 1");
      if (kind.flavor() == Flavor.MYSQL) {
        assertThat(scalar(s, "SELECT @@global.gtid_mode")).isEqualTo("ON");
      } else {
        assertThat(scalar(s, "SELECT @@global.gtid_strict_mode")).isEqualTo("1");
      }
    }
    for (Server r : t.replicas()) {
      t.setDelay(r, Duration.ZERO);
      assertThat(t.awaitCaughtUp(r, Duration.ofSeconds(30))).as(r.name() + " caught up").isTrue();
      try (Connection c = t.connect(r); Statement s = c.createStatement()) {
        assertThat(scalar(s, "SELECT v FROM kit_probe WHERE id = 1")).isEqualTo("42");
      }
    }
  }

  /** Every server serves TLS with a certificate of the topology's own CA naming 127.0.0.1. */
  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void servers_serveTlsVerifiableWithTheTopologyCa(ServerKind kind) throws SQLException {
    Topology t = Topologies.shared(kind);
    String tls = "sslMode=VERIFY_IDENTITY&trustCertificateKeyStoreUrl=" + t.tlsTrustStore().toUri()
        + "&trustCertificateKeyStorePassword=" + Topology.TRUST_STORE_PASSWORD
        + "&fallbackToSystemTrustStore=false";
    for (Server s : List.of(t.primary(), t.replica(1))) {
      try (Connection c = t.connect(s, tls); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(2)).as(s.name() + " cipher").isNotBlank();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void setDelay_holdsBackTheReplica_andZeroReleasesIt(ServerKind kind) throws SQLException {
    Topology t = Topologies.shared(kind);
    Server r = t.replica(2);
    t.setDelay(r, Duration.ofSeconds(2));
    try {
      // The 300 ms wait proves something only when it answered within 1 s of the commit, when the
      // write cannot show yet: a stalled thread tries again with a new write (3 tries), then fails.
      boolean checked = false;
      for (int attempt = 1; attempt <= 3 && !checked; attempt++) {
        long beforeCommit;
        try (Connection p = t.connect(t.primary()); Statement s = p.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS kit_delay (id INT PRIMARY KEY AUTO_INCREMENT)");
          beforeCommit = System.nanoTime();
          s.execute("INSERT INTO kit_delay VALUES ()");
        }
        boolean within300ms = t.awaitCaughtUp(r, Duration.ofMillis(300));
        if (Duration.ofNanos(System.nanoTime() - beforeCommit).compareTo(Duration.ofSeconds(1)) < 0) {
          assertThat(within300ms).as("a 2 s delayed replica has not applied a write 300 ms later")
              .isFalse();
          checked = true;
        }
        assertThat(t.awaitCaughtUp(r, Duration.ofSeconds(30))).isTrue();
        // Measured from just before the commit: a stall of this thread after it lengthens what is
        // measured, never shortens it. MariaDB counts the delay from the event's whole-second
        // timestamp: at least 1 s after the commit, 2 s on MySQL.
        assertThat(Duration.ofNanos(System.nanoTime() - beforeCommit))
            .as("a 2 s delayed replica applies a write no sooner than 800 ms after its commit")
            .isGreaterThan(Duration.ofMillis(800));
      }
      assertThat(checked).as("a 300 ms wait answered within 1 s of its commit in 3 tries").isTrue();
    } finally {
      t.setDelay(r, Duration.ZERO);
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void killedReplica_restarts_andCatchesUp(ServerKind kind) throws SQLException {
    Topology t = Topologies.shared(kind);
    Server r = t.replica(2);
    t.setDelay(r, Duration.ZERO);
    t.kill(r);
    assertThat(canConnect(t, r)).as("killed replica refuses connections").isFalse();
    try (Connection p = t.connect(t.primary()); Statement s = p.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS kit_restart (id INT PRIMARY KEY AUTO_INCREMENT)");
      s.execute("INSERT INTO kit_restart VALUES ()");
    }
    t.restart(r);
    assertThat(t.awaitCaughtUp(r, Duration.ofSeconds(60))).as("restarted replica caught up").isTrue();
    try (Connection c = t.connect(r);
         PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM kit_restart");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      assertThat(rs.getInt(1)).isPositive();
    }
  }

  private static boolean canConnect(Topology t, Server s) {
    try (Connection c = t.connect(s)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static String scalar(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
