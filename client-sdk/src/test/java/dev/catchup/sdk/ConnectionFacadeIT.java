package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.JdbcStatement;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No path from what a Catchup connection hands out leads to the pooled physical connection:
 * statements, result sets and metadata answer {@code getConnection()} with the Catchup connection,
 * and {@code unwrap} refuses the driver's objects. Otherwise a commit through
 * {@code statement.getConnection()} skips write recording, and a close through it returns the
 * connection to the pool while Catchup still uses it.
 */
class ConnectionFacadeIT {
  private static final String TABLE = "facade_rows";

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  /** Writes recorded by query: the primary pool's sessions do not track GTIDs. */
  static CatchupDataSourceBuilder queryMode(Topology t) {
    String off = t.flavor() == Flavor.MYSQL ? "session_track_gtids=OFF"
        : "session_track_system_variables='autocommit'";
    return SdkFixtures.builder(t).configurePools(c -> c.addDataSourceProperty("sessionVariables", off));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void commitThroughStatementsConnection_queryMode_recordedAndReadNotStale(Flavor flavor)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    for (Server r : t.replicas()) {
      t.setDelayAtLeast(r, Duration.ofSeconds(2));
    }
    try (CatchupDataSource ds = queryMode(t).build()) {
      Session s = ds.newSession();
      String id = UUID.randomUUID().toString();
      Connection viaStatement;
      Connection routed;
      try (Connection c = s.getConnection()) {
        routed = c;
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (id, v) VALUES (?, 7)")) {
          ps.setString(1, id);
          ps.executeUpdate();
          viaStatement = ps.getConnection();
          viaStatement.commit();
        }
      }
      try (Connection c = s.getReadConnection()) {
        assertEquals(7, read(c, TABLE, id), "the read after the write sees it");
      }
      assertFalse(s.writtenToken().isEmpty(), "the commit through the statement was recorded");
      assertSame(routed, viaStatement, "a statement's connection is the Catchup connection");
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void closeThroughStatementsConnection_closesTheCatchupConnection(Flavor flavor)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    try (CatchupDataSource ds = queryMode(t).poolSize(1).build()) {
      Connection c = ds.newSession().getConnection();
      Statement st = c.createStatement();
      st.execute("SELECT 1");

      st.getConnection().close();

      assertTrue(c.isClosed(), "Catchup no longer holds a connection the pool has back");
      var e = assertThrows(SQLException.class, c::createStatement);
      assertThat(e.getMessage()).isEqualTo("connection is closed");
      try (Connection other = ds.newSession().getConnection(); Statement s2 = other.createStatement()) {
        assertTrue(s2.execute("SELECT 1"), "the pool's only connection is free again");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void unwrapAndBackReferences_neverExposeThePhysicalConnection(Flavor flavor)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    try (CatchupDataSource ds = SdkFixtures.builder(t).build();
        Connection c = ds.newSession().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      assertSame(st, rs.getStatement());
      assertSame(c, rs.getStatement().getConnection());
      assertSame(c, c.getMetaData().getConnection());
      try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
        ps.setInt(1, 1);
        try (ResultSet prs = ps.executeQuery()) {
          assertSame(ps, prs.getStatement());
        }
      }

      assertSame(c, c.unwrap(Connection.class));
      assertFalse(c.isWrapperFor(JdbcConnection.class));
      var e = assertThrows(SQLException.class, () -> c.unwrap(JdbcConnection.class));
      assertThat(e.getMessage()).startsWith("Catchup does not hand out the driver's objects "
          + "(asked for com.mysql.cj.jdbc.JdbcConnection)");
      assertThrows(SQLException.class, () -> st.unwrap(JdbcStatement.class));
      assertFalse(st.isWrapperFor(JdbcStatement.class));
      assertSame(st, st.unwrap(Statement.class));
    }
  }
}
