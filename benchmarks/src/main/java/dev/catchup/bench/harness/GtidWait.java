package dev.catchup.bench.harness;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.ServerSessionStateController.ServerSessionStateChanges;
import com.mysql.cj.protocol.ServerSessionStateController.SessionStateChange;
import dev.catchup.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * What a proxy's GTID wait does, for the harnesses that compare against one: the write's GTID from
 * the primary's reply (session state tracking), then the server's own wait on the replica.
 */
public final class GtidWait {
  private GtidWait() {}

  /** Waits on {@code c} with the flavor's wait query; true if the replica applied {@code gtid}. */
  public static boolean await(Connection c, Dialect dialect, String gtid, Duration timeout)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(dialect.waitQuery())) {
      ps.setString(1, gtid);
      // Never 0: MySQL would wait forever and MariaDB not at all.
      ps.setDouble(2, Math.max(0.001, timeout.toNanos() / 1e9));
      ps.setQueryTimeout((int) timeout.toSeconds() + 2); // a guard should the server hang
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  /** The GTID the primary reported in the reply that committed the last statement on {@code c}. */
  public static String writtenGtid(Connection c, Dialect dialect) throws SQLException {
    ServerSessionStateChanges changes = c.unwrap(JdbcConnection.class)
        .getServerSessionStateController().getSessionStateChanges();
    List<SessionStateChange> list = changes == null ? List.of()
        : changes.getSessionStateChangesList();
    for (SessionStateChange change : list) {
      String gtid = dialect.gtidOf(change.getType(), change.getValues());
      if (gtid != null) {
        return gtid;
      }
    }
    throw new IllegalStateException("the primary reported no GTID in the reply to a write; "
        + "session state tracking should be on (" + list.size() + " changes reported)");
  }
}
