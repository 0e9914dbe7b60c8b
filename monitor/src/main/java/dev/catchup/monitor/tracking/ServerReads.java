package dev.catchup.monitor.tracking;

import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link ServerTracker} reads from its server with SQL: the executed set, the heartbeat
 * row (on a replica with heartbeat mode on) and the replication threads, with what is known of
 * the last two when they cannot be read. A read that this server refuses (a missing grant) is
 * kept as the reason and logged once per streak; a lost connection is thrown for the tracker to
 * reconnect. Owned by the tracker thread.
 */
final class ServerReads {
  private static final Logger log = LoggerFactory.getLogger(ServerReads.class);
  private static final String THREADS_UNREADABLE = "replication threads unreadable";

  private final String server;
  private final Flavor flavor;
  private final String executedSql;
  private final String threadsSql;
  private ReplicationThreads threads;
  /** Why {@link #threads} is null on a replica: it could not be read, or the server not reached. */
  private String threadsError;
  private String heartbeatError;

  ServerReads(String server, Role role, Flavor flavor) {
    this.server = server;
    this.flavor = flavor;
    // On a replica what its wait functions compare; on a primary what its binlog holds.
    executedSql = Dialect.of(flavor).executedQuery(role == Role.REPLICA);
    threadsSql = Dialect.of(flavor).replicaStatusQuery();
  }

  /** The replication threads as last read; null before, or when they could not be read. */
  ReplicationThreads threads() {
    return threads;
  }

  /** Why {@link #threads()} is null on a replica, or null. */
  String threadsError() {
    return threadsError;
  }

  /** Why the heartbeat row could not be read, or null. */
  String heartbeatError() {
    return heartbeatError;
  }

  /** The server could not be reached: what was read of its threads is no longer current. */
  void unreachable(String why) {
    threads = null;
    threadsError = "server not reachable: " + why;
  }

  /** Errors that mean the connection is gone, as opposed to a statement this server refuses. */
  static boolean connectionLost(SQLException e) {
    String state = e.getSQLState();
    return (state != null && state.startsWith("08")) || e instanceof SQLRecoverableException
        || e instanceof SQLNonTransientConnectionException
        || e instanceof SQLTransientConnectionException;
  }

  /** The executed set: what a read of this server can see. */
  GtidSet executed(Connection c) throws SQLException {
    return Dialect.of(flavor).readGtids(c, executedSql);
  }

  /**
   * Replica clock minus its newest heartbeat row; null until the row has replicated, or when it
   * cannot be read (reported in {@code lastError} and logged once per streak).
   */
  Duration heartbeatLag(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(HeartbeatWriter.LAG_SQL)) {
      Duration lag = rs.next() ? Duration.ofNanos(Math.max(0, rs.getLong(1)) * 1000) : null;
      if (heartbeatError != null) {
        log.info("{}: heartbeat lag readable again", server);
        heartbeatError = null;
      }
      return lag;
    } catch (SQLException e) {
      if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
        return null; // the heartbeat table has not reached this replica yet
      }
      if (connectionLost(e)) {
        throw e;
      }
      if (heartbeatError == null) {
        log.warn("{}: cannot read the heartbeat row {} (heartbeat lag unknown; the monitor's user "
            + "needs SELECT on it): {}", server, HeartbeatWriter.TABLE, e.getMessage());
      }
      heartbeatError = "heartbeat lag unreadable (" + HeartbeatWriter.TABLE + "): " + e.getMessage();
      return null;
    }
  }

  /** Reads the replication threads; a refusal (a missing grant) leaves them null with the reason. */
  void threads(Connection c) throws SQLException {
    try {
      threads = readThreads(c);
      if (threadsError != null && threadsError.startsWith(THREADS_UNREADABLE)) {
        log.info("{}: replication threads readable again", server);
      }
      threadsError = null;
    } catch (SQLException e) {
      if (connectionLost(e)) {
        throw e;
      }
      String reason = THREADS_UNREADABLE + " (" + threadsSql + "): " + e.getMessage();
      if (!reason.equals(threadsError)) {
        log.warn("{}: cannot read the replication threads ({}): {}", server, threadsSql,
            e.getMessage());
      }
      threads = null;
      threadsError = reason;
    }
  }

  private ReplicationThreads readThreads(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(threadsSql)) {
      if (!rs.next()) {
        return new ReplicationThreads("No", "No", "not configured as a replica", "", null, 0);
      }
      Dialect.ReplicaStatusColumns col = Dialect.of(flavor).replicaStatusColumns();
      long behind = rs.getLong(col.secondsBehind());
      Long secondsBehind = rs.wasNull() ? null : behind;
      return new ReplicationThreads(rs.getString(col.ioRunning()), rs.getString(col.sqlRunning()),
          nullToEmpty(rs.getString(col.lastIoError())), nullToEmpty(rs.getString(col.lastSqlError())),
          secondsBehind, rs.getLong(col.sqlDelay()));
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
