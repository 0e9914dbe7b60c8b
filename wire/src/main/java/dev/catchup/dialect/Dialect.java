package dev.catchup.dialect;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SQL, column names and driver settings of each {@link Flavor}: the one place that knows how
 * MySQL 8.4+/9 and MariaDB 10.11/11.8 spell what Catchup asks of them, and the oldest release of
 * each where all of it works ({@link #minimumVersion()}). Each entry was checked on those servers
 * by the integration tests of the module that runs it.
 *
 * <p>Statements with {@code ?} are for {@link java.sql.PreparedStatement}; the GTID set is always
 * the first parameter, as its canonical text.
 */
public enum Dialect {
  /** MySQL 8.2 and later (the {@code REPLICA}/{@code SOURCE} spellings). */
  MYSQL(Flavor.MYSQL,
      "SELECT @@global.gtid_executed",
      "SELECT @@global.gtid_executed",
      "SELECT GTID_SUBSET(?, @@global.gtid_executed)",
      "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) = 0",
      // MySQL has no per-session variable; the global set covers the session's write.
      "SELECT @@global.gtid_executed",
      "session_track_gtids", "session_track_gtids=OWN_GTID", null,
      "SHOW BINARY LOG STATUS",
      "SHOW REPLICA STATUS",
      new ReplicaStatusColumns("Replica_IO_Running", "Replica_SQL_Running",
          "Seconds_Behind_Source", "Last_IO_Error", "Last_SQL_Error", "SQL_Delay"),
      "SELECT @@global.read_only, @@global.super_read_only, @@global.server_uuid, "
          + "@@global.server_id",
      new SourceColumns("Source_Host", "Source_Port", "Source_Server_Id", "Source_UUID"),
      // SHOW REPLICA STATUS and its columns date from 8.0.22, the rest of the table from 5.7.
      ServerVersion.of(Flavor.MYSQL, 8, 2, 0), "SHOW BINARY LOG STATUS, which replaced SHOW MASTER "
          + "STATUS in 8.2.0 (8.4 LTS removed the old name); MySQL 8.0 lacks it"),

  /** MariaDB 10.5.9 and later (the {@code SLAVE}/{@code MASTER} spellings, still accepted by 11.8). */
  MARIADB(Flavor.MARIADB,
      // On a primary, what its binlog holds (what it has committed).
      "SELECT @@global.gtid_binlog_pos",
      // On a replica, what MASTER_GTID_WAIT compares against: what it has applied.
      "SELECT @@global.gtid_slave_pos",
      // MASTER_GTID_WAIT with a zero timeout returns at once (MySQL's would wait forever).
      "SELECT MASTER_GTID_WAIT(?, 0) = 0",
      "SELECT MASTER_GTID_WAIT(?, ?) = 0",
      "SELECT @@last_gtid",
      "session_track_system_variables", "session_track_system_variables='autocommit,last_gtid'",
      "last_gtid",
      "SHOW MASTER STATUS",
      "SHOW SLAVE STATUS",
      new ReplicaStatusColumns("Slave_IO_Running", "Slave_SQL_Running",
          "Seconds_Behind_Master", "Last_IO_Error", "Last_SQL_Error", "SQL_Delay"),
      // MariaDB has no super_read_only and no server UUID.
      "SELECT @@global.read_only, 0, NULL, @@global.server_id",
      new SourceColumns("Master_Host", "Master_Port", "Master_Server_Id", null),
      // The statements date from 10.0-10.2 (MASTER_GTID_WAIT 10.0.9, session tracking 10.2.2);
      // the privileges the monitor's user needs for them were split out in 10.5.
      ServerVersion.of(Flavor.MARIADB, 10, 5, 9), "the BINLOG MONITOR and SLAVE MONITOR privileges "
          + "(10.5.2 and 10.5.9) that the monitor's user is granted; before them SHOW SLAVE STATUS "
          + "needed SUPER");

  /**
   * The session-state tracker type that carries GTIDs on MySQL ({@code SESSION_TRACK_GTIDS} in the
   * client/server protocol, {@code ServerSessionStateController.SESSION_TRACK_GTIDS} in
   * Connector/J).
   */
  public static final int SESSION_TRACK_GTIDS = 3;
  /** The tracker type that carries system variables, MariaDB's {@code last_gtid} among them. */
  public static final int SESSION_TRACK_SYSTEM_VARIABLES = 0;

  /** MariaDB: what a server has of each server's transactions, in one column (see below). */
  private static final String MARIADB_STATE = "CONCAT_WS(',', NULLIF(@@global.gtid_binlog_state, "
      + "''), NULLIF(@@global.gtid_slave_pos, ''))";

  /**
   * The columns of {@link #replicaStatusQuery()} that Catchup reads.
   *
   * @param ioRunning Yes, No or Connecting
   * @param sqlRunning Yes or No
   * @param secondsBehind the server's own lag estimate; NULL when it has none
   * @param lastIoError the receiver's last error, empty when none
   * @param lastSqlError the applier's last error, empty when none
   * @param sqlDelay the configured delay in seconds
   */
  public record ReplicaStatusColumns(String ioRunning, String sqlRunning, String secondsBehind,
      String lastIoError, String lastSqlError, String sqlDelay) {}

  /**
   * The columns of {@link #replicaStatusQuery()} that name the source a replica replicates from.
   *
   * @param host the source's host as configured on the replica (CHANGE ... TO ..._HOST)
   * @param port its port
   * @param serverId the source's server_id, 0 before the replica first connected
   * @param uuid the source's server_uuid (MySQL); null on a flavor without it
   */
  public record SourceColumns(String host, String port, String serverId, String uuid) {}

  private final Flavor flavor;
  private final String primaryExecutedQuery;
  private final String replicaExecutedQuery;
  private final String checkQuery;
  private final String waitQuery;
  private final String lastWrittenQuery;
  private final String trackingVariable;
  private final String trackingAssignment;
  private final String trackedGtidVariable;
  private final String binlogStatusQuery;
  private final String replicaStatusQuery;
  private final ReplicaStatusColumns replicaStatusColumns;
  private final String roleQuery;
  private final SourceColumns sourceColumns;
  private final ServerVersion minimumVersion;
  private final String minimumReason;

  Dialect(Flavor flavor, String primaryExecutedQuery, String replicaExecutedQuery,
      String checkQuery, String waitQuery, String lastWrittenQuery, String trackingVariable,
      String trackingAssignment, String trackedGtidVariable, String binlogStatusQuery,
      String replicaStatusQuery, ReplicaStatusColumns replicaStatusColumns, String roleQuery,
      SourceColumns sourceColumns, ServerVersion minimumVersion,
      String minimumReason) {
    this.flavor = flavor;
    this.primaryExecutedQuery = primaryExecutedQuery;
    this.replicaExecutedQuery = replicaExecutedQuery;
    this.checkQuery = checkQuery;
    this.waitQuery = waitQuery;
    this.lastWrittenQuery = lastWrittenQuery;
    this.trackingVariable = trackingVariable;
    this.trackingAssignment = trackingAssignment;
    this.trackedGtidVariable = trackedGtidVariable;
    this.binlogStatusQuery = binlogStatusQuery;
    this.replicaStatusQuery = replicaStatusQuery;
    this.replicaStatusColumns = replicaStatusColumns;
    this.roleQuery = roleQuery;
    this.sourceColumns = sourceColumns;
    this.minimumVersion = minimumVersion;
    this.minimumReason = minimumReason;
  }

  /** The dialect of {@code flavor}. */
  public static Dialect of(Flavor flavor) {
    return switch (flavor) {
      case MYSQL -> MYSQL;
      case MARIADB -> MARIADB;
    };
  }

  /** The flavor this dialect speaks. */
  public Flavor flavor() {
    return flavor;
  }

  /** One row, one column: a primary's executed set (everything it has committed). */
  public String primaryExecutedQuery() {
    return primaryExecutedQuery;
  }

  /** One row, one column: a replica's executed set, as the wait functions compare it. */
  public String replicaExecutedQuery() {
    return replicaExecutedQuery;
  }

  /** The executed-set query for a primary ({@code replica} false) or a replica. */
  public String executedQuery(boolean replica) {
    return replica ? replicaExecutedQuery : primaryExecutedQuery;
  }

  /**
   * Runs {@code query}, one of this table's queries whose one row and column is a GTID set in the
   * server's text (NULL read as empty), and parses it: how both the SDK and the monitor read
   * executed sets and last-written GTIDs.
   */
  public GtidSet readGtids(Connection c, String query) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      String text = rs.getString(1);
      return GtidSet.parse(flavor(), text == null ? "" : text);
    }
  }

  /** One parameter, the GTID set: 1 when the server has applied all of it; never blocks. */
  public String checkQuery() {
    return checkQuery;
  }

  /**
   * Two parameters, the GTID set and a timeout in seconds (a double): 1 when the server applied the
   * set within the timeout, else 0. Never pass a zero timeout: MySQL waits forever, MariaDB not at all.
   */
  public String waitQuery() {
    return waitQuery;
  }

  /**
   * {@link #checkQuery()} and, on MariaDB, a second column: what the server has of each server's
   * transactions ({@code @@gtid_binlog_state} and {@code @@gtid_slave_pos} joined by a comma, as
   * {@link dev.catchup.gtid.MariaDbBinlogState#parse} reads them), read in the same round trip.
   * MariaDB's check compares positions by sequence number only, so after a failover it answers 1
   * for a GTID of another server that the position merely passed; the state tells. MySQL: one
   * column (its answer is exact).
   */
  public String checkAndStateQuery() {
    return this == MARIADB ? checkQuery + ", " + MARIADB_STATE : checkQuery;
  }

  /**
   * {@link #waitQuery()} and, on MariaDB, the state column of {@link #checkAndStateQuery()}, read
   * after the wait returns (the select list is evaluated in order).
   */
  public String waitAndStateQuery() {
    return this == MARIADB ? waitQuery + ", " + MARIADB_STATE : waitQuery;
  }

  /** One row, one column: a set that covers the last transaction this session committed. */
  public String lastWrittenQuery() {
    return lastWrittenQuery;
  }

  /** The session variable that makes the server report GTIDs in its replies. */
  public String trackingVariable() {
    return trackingVariable;
  }

  /** {@code variable=value}, for {@code SET SESSION} or the driver's {@code sessionVariables}. */
  public String trackingAssignment() {
    return trackingAssignment;
  }

  /** Connector/J properties that make the server report each write's GTID in its reply. */
  public Map<String, String> trackingDriverProperties() {
    return Map.of("trackSessionState", "true", "sessionVariables", trackingAssignment());
  }

  /** True when {@link #trackingVariable()}, read back as {@code value}, reports GTIDs. */
  public boolean tracksGtids(String value) {
    if (value == null) {
      return false;
    }
    // MySQL: the tracker is on or off; MariaDB: a list of variables that must name last_gtid.
    return trackedGtidVariable == null ? value.equalsIgnoreCase("OWN_GTID")
        : value.toLowerCase(Locale.ROOT).contains(trackedGtidVariable);
  }

  /**
   * The GTID text one session-state change of a reply carries, or null when it carries none.
   *
   * @param type the tracker type ({@link #SESSION_TRACK_GTIDS}, {@link #SESSION_TRACK_SYSTEM_VARIABLES}, ...)
   * @param values the change's values as the driver reports them
   */
  public String gtidOf(int type, List<String> values) {
    if (trackedGtidVariable == null) {
      return type == SESSION_TRACK_GTIDS && !values.isEmpty() ? values.get(values.size() - 1) : null;
    }
    return type == SESSION_TRACK_SYSTEM_VARIABLES && values.size() >= 2
        && trackedGtidVariable.equalsIgnoreCase(values.get(0)) ? values.get(1) : null;
  }

  /** The binary log's current file and position, as its first two columns; no row when off. */
  public String binlogStatusQuery() {
    return binlogStatusQuery;
  }

  /** The replication threads' status; no row on a server that is not a replica. */
  public String replicaStatusQuery() {
    return replicaStatusQuery;
  }

  /** The columns of {@link #replicaStatusQuery()} Catchup reads. */
  public ReplicaStatusColumns replicaStatusColumns() {
    return replicaStatusColumns;
  }

  /**
   * One row: {@code read_only} (0/1), {@code super_read_only} (0/1; always 0 on MariaDB, which has
   * none), {@code server_uuid} (NULL on MariaDB) and {@code server_id}. Needs no privilege.
   */
  public String roleQuery() {
    return roleQuery;
  }

  /** The columns of {@link #replicaStatusQuery()} that name a replica's source. */
  public SourceColumns sourceColumns() {
    return sourceColumns;
  }

  // ---- what a server says of its role and state (the SDK's discovery without a monitor)

  /**
   * One row: {@code read_only} (0/1), {@code super_read_only} (0/1; MariaDB has none and answers
   * 0), the server's identity (MySQL {@code @@server_uuid}, MariaDB {@code @@server_id}) and what
   * it has of each source's transactions (MySQL {@code @@gtid_executed}; MariaDB
   * {@code @@gtid_binlog_state} and {@code @@gtid_slave_pos} joined by a comma, which
   * {@link dev.catchup.gtid.MariaDbBinlogState#parse} reads: the binlog state names the server of
   * each domain's entries, the replica position covers a server that logs no replica updates).
   */
  public String roleAndStateQuery() {
    return switch (this) {
      case MYSQL -> "SELECT @@global.read_only, @@global.super_read_only, @@global.server_uuid, "
          + "@@global.gtid_executed";
      case MARIADB -> "SELECT @@global.read_only, 0, CAST(@@global.server_id AS CHAR), "
          + MARIADB_STATE;
    };
  }

  /**
   * True when {@code e} is the server refusing a write because it is read-only: 1290
   * (ER_OPTION_PREVENTS_STATEMENT, for {@code --read-only} and {@code --super-read-only}; the same
   * code also names other options, hence the text) or 1836 (ER_READ_ONLY_MODE). Both flavors use
   * the same codes.
   */
  public boolean isReadOnlyRefusal(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException q) {
        String m = q.getMessage() == null ? "" : q.getMessage().toLowerCase(Locale.ROOT);
        if (q.getErrorCode() == 1836 || (q.getErrorCode() == 1290 && m.contains("read-only"))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The oldest release every entry of this table (and the grants the monitor asks for) works on:
   * the newest of the releases that introduced them. The monitor and the SDK refuse older servers.
   */
  public ServerVersion minimumVersion() {
    return minimumVersion;
  }

  /** What the {@link #minimumVersion()} is for: the statement or privilege older releases lack. */
  public String minimumReason() {
    return minimumReason;
  }

  /**
   * Null when a server of {@code version} can be used with this dialect; else why not, as the end
   * of a sentence that starts with the server's name: it is of the other flavor, or older than
   * {@link #minimumVersion()}.
   */
  public String refusal(ServerVersion version) {
    if (version.flavor() != flavor) {
      return "is " + version + ", not " + (flavor == Flavor.MYSQL ? "MySQL" : "MariaDB")
          + " as configured (flavor " + flavor.name().toLowerCase(Locale.ROOT) + ")";
    }
    if (version.olderThan(minimumVersion)) {
      return "runs " + version + ", older than Catchup's minimum " + minimumVersion + " (it needs "
          + minimumReason + ")";
    }
    return null;
  }
}
