package dev.catchup.sdk;

import dev.catchup.dialect.Dialect;
import dev.catchup.dialect.ServerVersion;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
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
  private final Dialect dialect;
  private final String checkSql;
  private final String waitSql;
  private final String executedSql;

  ServerWait(Flavor flavor) {
    this.flavor = flavor;
    this.dialect = Dialect.of(flavor);
    checkSql = dialect.checkAndStateQuery();
    waitSql = dialect.waitAndStateQuery();
    // Read on the primary only: what it has written (a replica's wait functions compare their own).
    executedSql = dialect.primaryExecutedQuery();
  }

  /**
   * What a replica answered to a check or wait.
   *
   * @param reached whether its position reached the set (MySQL: it has it; MariaDB: by sequence
   *     number per domain, which {@link Coverage#provenOnServer} completes with {@code state})
   * @param state MariaDB: what the server has of each server's transactions, read in the same round
   *     trip; null on MySQL
   */
  record Reached(boolean reached, MariaDbBinlogState state) {}

  /** Whether the server has applied every GTID of {@code gtids} (see {@link Reached}); does not wait. */
  Reached check(Connection c, GtidSet gtids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(checkSql)) {
      ps.setString(1, gtids.toString());
      return answer(ps);
    }
  }

  /** Waits up to {@code timeout} for the server to apply {@code gtids} (see {@link Reached}). */
  Reached await(Connection c, GtidSet gtids, Duration timeout) throws SQLException {
    Duration bound = timeout.compareTo(SMALLEST_WAIT) < 0 ? SMALLEST_WAIT : timeout;
    try (PreparedStatement ps = c.prepareStatement(waitSql)) {
      ps.setString(1, gtids.toString());
      ps.setDouble(2, bound.toNanos() / 1e9);
      // A guard in case the server itself hangs: the driver cancels a little after the bound.
      ps.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, bound.toSeconds() + 2));
      return answer(ps);
    }
  }

  private Reached answer(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      boolean reached = rs.getInt(1) == 1;
      if (flavor != Flavor.MARIADB) {
        return new Reached(reached, null);
      }
      String state = rs.getString(2);
      return new Reached(reached, state == null ? MariaDbBinlogState.empty()
          : MariaDbBinlogState.parse(state));
    }
  }

  /** The server's executed set (a primary's: everything committed so far). */
  GtidSet executed(Connection c) throws SQLException {
    return dialect.readGtids(c, executedSql);
  }

  /** The last GTID this session committed, for the no-tracking fallback. */
  GtidSet lastWritten(Connection c) throws SQLException {
    return dialect.readGtids(c, dialect.lastWrittenQuery());
  }

  /**
   * Null when the server reports GTIDs in its replies on this connection, else what it reported
   * instead (for the log). Asked once of the primary, on its first connection, which is also when
   * its version is checked.
   *
   * @throws SQLFeatureNotSupportedException when the server is older than
   *     {@link Dialect#minimumVersion()} or not of the configured flavor
   */
  String gtidTrackingProblem(Connection c) throws SQLException {
    String refusal = dialect.refusal(ServerVersion.of(c));
    if (refusal != null) {
      throw new SQLFeatureNotSupportedException("the primary " + refusal + "; Catchup records no "
          + "write on it (see Supported servers in the README)", "0A000");
    }
    String variable = dialect.trackingVariable();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@session." + variable)) {
      rs.next();
      String v = rs.getString(1);
      return dialect.tracksGtids(v) ? null : "@@session." + variable + " is '" + v + "'";
    }
  }
}
