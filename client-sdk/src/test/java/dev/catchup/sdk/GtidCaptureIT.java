package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the session records from the server's replies: exactly the writes' GTIDs, for autocommit
 * statements, explicit transactions and batches; nothing for reads, rollbacks and updates that
 * change no row; and no breakage after the JVM collects garbage (Connector/J holds session-state
 * listeners weakly).
 */
class GtidCaptureIT {
  private static final String TABLE = "capture_rows";

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void writes_recordTheirGtids_readsAndRollbacksDoNot(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics).build()) {
      Session s = ds.newSession();
      String id = UUID.randomUUID().toString();
      try (Connection c = s.getConnection()) {
        write(c, TABLE, id, 1);
      }
      GtidSet afterFirst = s.writtenToken().gtids();
      assertThat(afterFirst.isEmpty()).isFalse();
      assertThat(afterFirst.toString()).isEqualTo(expectedToken(t));

      // No GTID: a read on the primary, an update that changes nothing, a rollback.
      try (Connection c = s.getConnection()) {
        SdkFixtures.read(c, TABLE, id);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET v = 1 WHERE id = ?")) {
          ps.setString(1, id);
          ps.executeUpdate();
        }
        c.setAutoCommit(false);
        write(c, TABLE, id, 99);
        c.rollback();
        c.setAutoCommit(true);
      }
      assertEquals(afterFirst, s.writtenToken().gtids(), "reads and rollbacks record nothing");
      long recorded = metrics.get("gtid");

      // An explicit transaction records its commit; a batch records its last statement.
      try (Connection c = s.getConnection()) {
        c.setAutoCommit(false);
        write(c, TABLE, id, 2);
        write(c, TABLE, id + "-b", 2);
        c.commit();
        try (Statement st = c.createStatement()) {
          c.setAutoCommit(true);
          st.addBatch("UPDATE " + TABLE + " SET v = 3 WHERE id = '" + id + "'");
          st.addBatch("UPDATE " + TABLE + " SET v = 4 WHERE id = '" + id + "'");
          st.executeBatch();
        }
      }
      assertEquals(expectedToken(t), s.writtenToken().gtids().toString(),
          "the token reaches the primary's newest transaction");
      assertThat(metrics.get("gtid")).isGreaterThan(recorded);

      // Collect garbage between uses of pooled connections: listeners must stay registered.
      for (int i = 0; i < 30; i++) {
        System.gc();
        try (Connection c = s.getConnection()) {
          write(c, TABLE, id, 100 + i);
        }
        assertEquals(expectedToken(t), s.writtenToken().gtids().toString(), "write " + i);
      }
    }
  }

  /**
   * The probe of whether the primary reports GTIDs fails once: as if the connection dropped under it
   * (08S01, the pool then closes that connection) or with an error that leaves the connection
   * usable (HY000). Either way later borrows ask again and record writes from the replies.
   */
  @ParameterizedTest
  @CsvSource({"MYSQL, 08S01", "MYSQL, HY000", "MARIADB, 08S01", "MARIADB, HY000"})
  void firstTrackingProbeFails_laterWritesRecordedFromReplies(Flavor flavor, String sqlState)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    FaultyPrimary faulty = new FaultyPrimary(t.primary().jdbcUrl(), SdkFixtures.flavor(t), 1,
        sqlState);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics).configurePools(c -> {
      if (c.getPoolName().equals("catchup-primary")) {
        c.setDataSource(faulty);
      }
    }).build()) {
      Session s = ds.newSession();
      String id = UUID.randomUUID().toString();
      for (int i = 0; i < 10; i++) {
        try (Connection c = s.getConnection()) {
          write(c, TABLE, id, i);
        }
        assertEquals(expectedToken(t), s.writtenToken().gtids().toString(), "write " + i);
      }
      assertThat(faulty.gtidReads.get()).as("GTIDs read by query: only while undecided, not per "
          + "write for the life of the process").isLessThanOrEqualTo(1);
      assertThat(faulty.probesToFail.get()).as("the failing probe ran, and another").isNegative();
      assertThat(metrics.get("extra:primary")).isEqualTo(faulty.gtidReads.get());
    }
  }

  /** The token a session that made the primary's newest write holds (nobody else writes here). */
  private static String expectedToken(Topology t) throws Exception {
    String executed = t.primaryGtids();
    GtidSet primary = GtidSet.parse(SdkFixtures.flavor(t), executed);
    return ConsistencyToken.of(primary).gtids().toString();
  }
}
