package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** The little SQL every phase needs: the benchmark table, executed sets, binlog positions. */
final class BenchmarkSql {
  /** Every benchmark write goes to this table of the testkit's {@code catchup} schema. */
  static final String TABLE = "bench_rows";

  private BenchmarkSql() {}

  /** A position in a server's binary log. */
  record BinlogPosition(String file, long position) {}

  /** Creates the table on the primary and waits until every replica has it. */
  static void createTable(Topology t) throws SQLException {
    try (Connection c = t.connect(t.primary()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
          + "writer INT NOT NULL, v INT NOT NULL)");
    }
    for (Server r : t.replicas()) {
      if (!t.awaitCaughtUp(r, Duration.ofSeconds(30))) {
        throw new IllegalStateException(r.name() + " did not replicate the benchmark table in 30 s");
      }
    }
  }

  /** The executed set a tracker of this server confirms against. */
  static GtidSet executed(Topology t, Connection c, boolean primary) throws SQLException {
    String sql = Dialect.of(BenchTable.flavor(t)).executedQuery(!primary);
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      String text = rs.getString(1);
      return GtidSet.parse(BenchTable.flavor(t), text == null ? "" : text.replace("\n", ""));
    }
  }

  /** The server's current binary log file and position. */
  static BinlogPosition position(Topology t, Connection c) throws SQLException {
    String sql = Dialect.of(BenchTable.flavor(t)).binlogStatusQuery();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException(sql + " returned nothing: binary logging is off");
      }
      return new BinlogPosition(rs.getString(1), rs.getLong(2));
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
