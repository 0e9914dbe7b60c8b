package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rows the "other" reads pick from: written before the measurement and never during it, so
 * their value on the primary is known and fixed. It is read back from the primary after seeding,
 * and an other read that returns anything else is stale.
 */
final class Catalog {
  /** First row id; the workload's own rows are elsewhere ({@link Workload#ID_BASE}). */
  static final long BASE = 1_000_000_000L;
  private static final int BATCH = 500;
  private static final Duration CATCH_UP = Duration.ofSeconds(60);

  private final long[] values;

  private Catalog(long[] values) {
    this.values = values;
  }

  /**
   * Writes {@code rows} rows with new values on the primary, waits until every replica has them,
   * and reads their values back from the primary.
   */
  static Catalog seed(Topology t, int rows, AtomicLong values) throws SQLException {
    try (Connection c = t.connect(t.primary())) {
      for (int from = 0; from < rows; from += BATCH) {
        int n = Math.min(BATCH, rows - from);
        StringBuilder sql = new StringBuilder("INSERT INTO " + BenchTable.TABLE + " (id, v) VALUES ");
        for (int i = 0; i < n; i++) {
          sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
        }
        sql.append(" ON DUPLICATE KEY UPDATE v = VALUES(v)");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
          for (int i = 0; i < n; i++) {
            ps.setLong(2 * i + 1, BASE + from + i);
            ps.setLong(2 * i + 2, values.incrementAndGet());
          }
          ps.executeUpdate();
        }
      }
      for (Server r : t.replicas()) {
        if (!t.awaitCaughtUp(r, CATCH_UP)) {
          throw new IllegalStateException(r.name() + " did not apply the catalog within " + CATCH_UP);
        }
      }
      long[] onPrimary = new long[rows];
      int found = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT id, v FROM " + BenchTable.TABLE
          + " WHERE id >= ? AND id < ?")) {
        ps.setLong(1, BASE);
        ps.setLong(2, BASE + rows);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            onPrimary[(int) (rs.getLong(1) - BASE)] = rs.getLong(2);
            found++;
          }
        }
      }
      if (found != rows) {
        throw new IllegalStateException("the primary has " + found + " catalog rows, expected " + rows);
      }
      return new Catalog(onPrimary);
    }
  }

  /** A row picked at random: its index. */
  int pick() {
    return ThreadLocalRandom.current().nextInt(values.length);
  }

  long id(int index) {
    return BASE + index;
  }

  /** The primary's value of row {@code index}. */
  long value(int index) {
    return values[index];
  }

  int size() {
    return values.length;
  }
}
