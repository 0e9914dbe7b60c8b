package dev.catchup.bench.harness;

import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's table and the little SQL around it. Every read measured is the same point
 * {@code SELECT}, {@link #READ}; every write an upsert of one row with a value never used before,
 * so a read that returns an older value is stale.
 */
public final class BenchTable {
  public static final String TABLE = "routing_bench";
  /** The read every mode runs: through Catchup or through a plain pool. */
  public static final String READ = "SELECT v FROM " + TABLE + " WHERE id = ?";
  private static final String WRITE = "INSERT INTO " + TABLE
      + " (id, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)";
  private static final Duration CATCH_UP = Duration.ofSeconds(60);

  private BenchTable() {}

  public static Flavor flavor(Topology t) {
    return t.flavor();
  }

  /** Creates the table on the primary and waits until every replica has it. */
  public static void create(Topology t) throws SQLException {
    try (Connection c = t.connect(t.primary()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
    }
    for (Server r : t.replicas()) {
      if (!t.awaitCaughtUp(r, CATCH_UP)) {
        throw new IllegalStateException(r.name() + " did not replicate " + TABLE + " within " + CATCH_UP);
      }
    }
  }

  /** Upserts {@code (id, v)} in autocommit: one transaction, one GTID. */
  public static void write(Connection c, long id, long v) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(WRITE)) {
      ps.setLong(1, id);
      ps.setLong(2, v);
      ps.executeUpdate();
    }
  }

  /** The value of row {@code id}, or -1 when the row is missing. */
  public static long read(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(READ)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** {@code Com_select} of the server behind {@code c}: every SELECT it ran, whoever sent it. */
  public static long comSelect(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_select'")) {
      return rs.next() ? rs.getLong(2) : 0L;
    }
  }

  /** {@link #comSelect} of every replica, by name. */
  public static Map<String, Long> comSelect(Map<String, Connection> replicas) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Connection> e : replicas.entrySet()) {
      out.put(e.getKey(), comSelect(e.getValue()));
    }
    return out;
  }

  /** The primary's executed set: every transaction committed so far. */
  public static GtidSet primaryExecuted(Topology t, Connection primary) throws SQLException {
    String sql = Dialect.of(flavor(t)).primaryExecutedQuery();
    try (Statement s = primary.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      String text = rs.getString(1);
      return GtidSet.parse(flavor(t), text == null ? "" : text.replace("\n", ""));
    }
  }

  /**
   * Waits on the replica behind {@code c} until it has applied {@code gtids}, with the server's own
   * wait function; independent of Catchup.
   *
   * @throws IllegalStateException when it has not within a minute
   */
  public static void awaitApplied(Topology t, String replica, Connection c, GtidSet gtids) throws SQLException {
    String sql = Dialect.of(flavor(t)).waitQuery();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, gtids.toString());
      // Never 0: MySQL would wait forever and MariaDB not at all.
      ps.setDouble(2, CATCH_UP.toSeconds());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new IllegalStateException(replica + " did not apply " + gtids + " within " + CATCH_UP);
        }
      }
    }
  }
}
