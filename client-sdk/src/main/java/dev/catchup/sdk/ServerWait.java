package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The server-side GTID waits and reads, per flavor. The two flavors disagree on what a zero timeout
 * means (MySQL waits forever, MariaDB returns at once), so callers never pass a timeout themselves:
 * {@link #check} never blocks and {@link #await} always passes a positive bound.
 */
final class ServerWait {
  private static final Duration SMALLEST_WAIT = Duration.ofMillis(1);

  private final Flavor flavor;
  private final String checkSql;
  private final String waitSql;
  private final String executedSql;

  ServerWait(Flavor flavor) {
    this.flavor = flavor;
    if (flavor == Flavor.MYSQL) {
      checkSql = "SELECT GTID_SUBSET(?, @@global.gtid_executed)";
      waitSql = "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) = 0";
      executedSql = "SELECT @@global.gtid_executed";
    } else {
      checkSql = "SELECT MASTER_GTID_WAIT(?, 0) = 0";
      waitSql = "SELECT MASTER_GTID_WAIT(?, ?) = 0";
      // On a primary, what it has written; on a replica the wait functions compare the slave pos.
      executedSql = "SELECT @@global.gtid_binlog_pos";
    }
  }

  /** True when the server has applied every GTID of {@code gtids}; does not wait. */
  boolean check(Connection c, GtidSet gtids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(checkSql)) {
      ps.setString(1, gtids.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  /** Waits up to {@code timeout} for the server to apply {@code gtids}; true when it did. */
  boolean await(Connection c, GtidSet gtids, Duration timeout) throws SQLException {
    Duration bound = timeout.compareTo(SMALLEST_WAIT) < 0 ? SMALLEST_WAIT : timeout;
    try (PreparedStatement ps = c.prepareStatement(waitSql)) {
      ps.setString(1, gtids.toString());
      ps.setDouble(2, bound.toNanos() / 1e9);
      // A guard in case the server itself hangs: the driver cancels a little after the bound.
      ps.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, bound.toSeconds() + 2));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  /** The server's executed set (a primary's: everything committed so far). */
  GtidSet executed(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(executedSql)) {
      rs.next();
      String text = rs.getString(1);
      return GtidSet.parse(flavor, text == null ? "" : text);
    }
  }

  /** The last GTID this session committed, for the no-tracking fallback. */
  GtidSet lastWritten(Connection c) throws SQLException {
    if (flavor == Flavor.MYSQL) {
      return executed(c); // MySQL has no per-session variable; the global set covers the write
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
      rs.next();
      String text = rs.getString(1);
      return GtidSet.parse(flavor, text == null ? "" : text);
    }
  }

  /**
   * Null when the server reports GTIDs in its replies on this connection, else what it reported
   * instead (for the log).
   */
  String gtidTrackingProblem(Connection c) throws SQLException {
    String variable = flavor == Flavor.MYSQL ? "session_track_gtids"
        : "session_track_system_variables";
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@session." + variable)) {
      rs.next();
      String v = rs.getString(1);
      boolean tracks = v != null && (flavor == Flavor.MYSQL ? v.equalsIgnoreCase("OWN_GTID")
          : v.toLowerCase(java.util.Locale.ROOT).contains("last_gtid"));
      return tracks ? null : "@@session." + variable + " is '" + v + "'";
    }
  }
}
