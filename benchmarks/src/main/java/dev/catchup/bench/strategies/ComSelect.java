package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every server's {@code Com_select}: the SELECTs it ran, whoever sent them (the strategy, the SDK,
 * the monitor). Read on connections of its own, which no strategy uses.
 */
final class ComSelect implements AutoCloseable {
  private final Map<String, Connection> connections = new LinkedHashMap<>();

  ComSelect(Topology t) throws SQLException {
    try {
      connections.put(t.primary().name(), t.connect(t.primary()));
      for (Server r : t.replicas()) {
        connections.put(r.name(), t.connect(r));
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  /** {@code Com_select} now, by server name. */
  Map<String, Long> read() throws SQLException {
    return BenchTable.comSelect(connections);
  }

  @Override
  public void close() {
    for (Connection c : connections.values()) {
      try {
        c.close();
      } catch (SQLException e) {
        // Closing a bookkeeping connection at the end of a run: nothing to do about it.
      }
    }
  }
}
