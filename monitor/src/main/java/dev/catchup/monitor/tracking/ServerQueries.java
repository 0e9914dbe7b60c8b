package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.topology.Role;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The SQL a {@link ServerTracker} sends its server, over the one connection it holds (opened on
 * first use, and again after {@link #close()}). {@link JdbcServerQueries} is the real one; tests of
 * the tracker's own logic (how many reads a burst of events costs) use a fake.
 */
interface ServerQueries {
  /** The executed set as {@link ServerReads#executed} reads it: one query. */
  GtidSet executed(Role role) throws SQLException;

  /** The heartbeat lag as {@link ServerReads#heartbeatLag} reads it. */
  Duration heartbeatLag() throws SQLException;

  /** Reads the replication threads and the server's facts into {@link ServerReads}. */
  void threads(Role role) throws SQLException;

  /** Closes the connection, if open; the next read opens another. */
  void close();
}
