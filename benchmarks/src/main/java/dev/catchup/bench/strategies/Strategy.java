package dev.catchup.bench.strategies;

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

    /** A connection for the next read: routed, and waited for if the strategy waits. */
    Connection readConnection() throws SQLException;

    /** Where the last {@link #readConnection()} went: a replica's name or {@code primary}. */
    String lastTarget();
  }
}
