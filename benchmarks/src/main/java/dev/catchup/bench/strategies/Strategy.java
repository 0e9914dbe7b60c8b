package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.CountingMetrics;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One way of giving a session its reads after its writes, named by what it does. Every strategy
 * reports its own routing work through a {@link CountingMetrics}: the SDK does for Catchup, the
 * strategy's code calls the same methods for the others, so both are counted the same way.
 */
interface Strategy {
  /** Stable name in the results ({@code naive-split}, {@code catchup-wait-monitor}, ...). */
  String id();

  /** What it does, in a few words, for the results. */
  String description();

  /** A new session: one per client thread per slice, as one user's requests would have. */
  Client newClient();

  /** Counters of this strategy's routing (shared with strategies on the same data source). */
  CountingMetrics metrics();

  /** One session's writes and reads. Used by one thread at a time. */
  interface Client {
    /** Writes {@code value} into row {@code id} on the primary (autocommit, one transaction). */
    void write(long id, long value) throws SQLException;

    /**
     * A connection for the next read: routed, and waited for if the strategy waits. Where it went
     * is the strategy's {@link CountingMetrics#lastTarget()} once it ran.
     */
    Connection readConnection() throws SQLException;

    /** A client that keeps no state: it writes on {@code writes}' connections, reads on {@code reads}'. */
    static Client of(Source writes, Source reads) {
      return new Client() {
        @Override
        public void write(long id, long value) throws SQLException {
          try (Connection c = writes.open()) {
            BenchTable.write(c, id, value);
          }
        }

        @Override
        public Connection readConnection() throws SQLException {
          return reads.open();
        }
      };
    }
  }

  /** Where a client's connections come from. */
  interface Source {
    Connection open() throws SQLException;
  }
}
