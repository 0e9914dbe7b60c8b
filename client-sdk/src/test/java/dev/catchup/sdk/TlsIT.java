package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10.14: the README's recipe for TLS to the databases. Its user is created
 * {@code REQUIRE SSL}, so every connection that works is an encrypted one.
 */
class TlsIT {
  private static final String USER = "catchup_sdk_tls";
  private static final String PASSWORD = "sdk-tls-secret";
  private static final String TABLE = "sdk_tls_rows";

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void verifyCaUrls_requireSslUser_writeThenReadYourWrite(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    createRequireSslUser(t);
    // As in the README: the mode and the trust store in the URL, its password through the pools
    // (the SDK refuses URLs carrying "password=", and would log them).
    CatchupDataSourceBuilder b = CatchupDataSource.builder()
        .flavor(SdkFixtures.flavor(t))
        .primary(url(t.primary(), t))
        .credentials(USER, PASSWORD)
        .configurePools(c -> c.addDataSourceProperty("trustCertificateKeyStorePassword",
            Topology.TRUST_STORE_PASSWORD));
    for (Server r : t.replicas()) {
      b.replica(r.name(), url(r, t));
    }
    String id = UUID.randomUUID().toString();
    try (CatchupDataSource ds = b.build()) {
      try (Connection c = ds.getConnection()) {
        write(c, TABLE, id, 42);
        assertThat(cipher(c)).as("primary connection cipher").isNotBlank();
      }
      try (Connection c = ds.getReadConnection()) {
        assertThat(read(c, TABLE, id)).isEqualTo(42);
        assertThat(cipher(c)).as("replica connection cipher").isNotBlank();
      }
    }
  }

  private static String url(Server s, Topology t) {
    return "jdbc:mysql://" + s.host() + ":" + s.port() + "/catchup?sslMode=VERIFY_CA"
        + "&trustCertificateKeyStoreUrl=" + t.tlsTrustStore().toUri();
  }

  private static String cipher(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
      return rs.next() ? rs.getString(2) : "";
    }
  }

  /** On every server, outside the binlog (no GTIDs), as topology.sh creates its own user. */
  private static void createRequireSslUser(Topology t) throws SQLException {
    List<Server> all = new ArrayList<>(t.replicas());
    all.add(0, t.primary());
    for (Server s : all) {
      try (Connection c = t.connect(s); Statement st = c.createStatement()) {
        st.execute("SET sql_log_bin = 0");
        st.execute("CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD
            + "' REQUIRE SSL");
        st.execute("GRANT ALL PRIVILEGES ON catchup.* TO '" + USER + "'@'%'");
        st.execute("SET sql_log_bin = 1");
      }
    }
  }
}
