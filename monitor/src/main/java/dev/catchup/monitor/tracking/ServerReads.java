package dev.catchup.monitor.tracking;

import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.heartbeat.HeartbeatWriter;
import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.topology.ServerFacts;
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
  private final String threadsSql;
  private ReplicationThreads threads;
  /** What the server last said of its place in the topology; null before, or when unreadable. */
  private ServerFacts facts;
  /** Why {@link #threads} is null on a replica: it could not be read, or the server not reached. */
  private String threadsError;
  private String heartbeatError;

  ServerReads(String server, Flavor flavor) {
    this.server = server;
    this.flavor = flavor;
    threadsSql = Dialect.of(flavor).replicaStatusQuery();
  }

  /** What the server said of its place in the topology at the last read; null before or when unreadable. */
  ServerFacts facts() {
    return facts;
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
    facts = ServerFacts.UNREACHABLE;
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

  /**
   * The executed set: what a read of this server can see. On a replica what its wait functions
   * compare; on the primary (and a server of unknown role, which may take writes) what its binlog
   * holds.
   */
  GtidSet executed(Connection c, Role role) throws SQLException {
    Dialect d = Dialect.of(flavor);
    return d.readGtids(c, d.executedQuery(role == Role.REPLICA));
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

  /**
   * Reads the server's place in the topology ({@link Dialect#roleQuery()} and its replica status)
   * and its replication threads; a refusal (a missing grant) leaves both null with the reason.
   *
   * @param role its role now: a server that is not a replica and has no replication configured
   *     has no threads to show (null), a replica without them shows them stopped
   */
  void threads(Connection c, Role role) throws SQLException {
    try {
      ServerFacts.Source[] source = new ServerFacts.Source[1];
      ReplicationThreads read = readThreads(c, source);
      threads = read == null && role == Role.REPLICA
          ? new ReplicationThreads("No", "No", "not configured as a replica", "", null, 0) : read;
      facts = readFacts(c, source[0]);
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
      facts = null; // whether it replicates cannot be told: its role stays as it was
    }
  }

  private ServerFacts readFacts(Connection c, ServerFacts.Source source) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(Dialect.of(flavor).roleQuery())) {
      rs.next();
      boolean readOnly = rs.getInt(1) != 0 || rs.getInt(2) != 0;
      return ServerFacts.of(readOnly, rs.getString(3), rs.getLong(4), source);
    }
  }

  /** The threads, and in {@code source[0]} the configured source; null (both) when not a replica. */
  private ReplicationThreads readThreads(Connection c, ServerFacts.Source[] source)
      throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(threadsSql)) {
      if (!rs.next()) {
        return null;
      }
      Dialect.ReplicaStatusColumns col = Dialect.of(flavor).replicaStatusColumns();
      Dialect.SourceColumns src = Dialect.of(flavor).sourceColumns();
      String host = rs.getString(src.host());
      if (host != null && !host.isEmpty()) {
        // RESET REPLICA (without ALL) keeps a row with the host: still configured as a replica.
        source[0] = new ServerFacts.Source(host, rs.getInt(src.port()), rs.getLong(src.serverId()),
            src.uuid() == null ? null : rs.getString(src.uuid()),
            "Yes".equalsIgnoreCase(rs.getString(col.ioRunning())),
            "Yes".equalsIgnoreCase(rs.getString(col.sqlRunning())));
      }
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
