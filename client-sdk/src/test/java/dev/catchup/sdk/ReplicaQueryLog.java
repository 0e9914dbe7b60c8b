package dev.catchup.sdk;

import dev.catchup.dialect.Dialect;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The GTID checks and waits the replicas received, read from their general query logs: a count
 * of routing's own queries that does not come from the router's metrics (which count the same
 * thing the router decided, so agreeing with them proves nothing). While open, every replica logs
 * to its {@code mysql.general_log} table, emptied when opened; closing turns the log off again and
 * gives back each server's {@code log_output} (topologies are shared by the tests of a class).
 * The statements are told apart by the SDK's text ({@link Dialect}) with the values the driver
 * filled in: the testkit's own wait, the monitor's queries and the reads do not match.
 */
final class ReplicaQueryLog implements AutoCloseable {

  /** Routing's queries on the replicas: checks that do not wait, server-side waits. */
  record Counts(long checks, long waits) {}

  private final List<Connection> admin = new ArrayList<>();
  /** Each admin connection's server's {@code @@global.log_output} before start, by index. */
  private final List<String> outputs = new ArrayList<>();
  private final Pattern check;
  private final Pattern wait;

  private ReplicaQueryLog(Topology t) {
    Dialect d = Dialect.of(t.flavor());
    check = statement(d.checkAndStateQuery());
    wait = statement(d.waitAndStateQuery());
  }

  /** Starts logging every replica of {@code t}, from an empty log. */
  static ReplicaQueryLog start(Topology t) throws SQLException {
    ReplicaQueryLog log = new ReplicaQueryLog(t);
    try {
      for (Server r : t.replicas()) {
        Connection c = t.connect(r);
        log.admin.add(c);
        try (Statement st = c.createStatement()) {
          try (ResultSet rs = st.executeQuery("SELECT @@global.log_output")) {
            rs.next();
            log.outputs.add(rs.getString(1));
          }
          // TRUNCATE is DDL: binlogged on the replica it would be a transaction of the replica's
          // own, which on MariaDB (strict GTID mode) stops its replication at the next event.
          st.execute("SET SESSION sql_log_bin = 0");
          st.execute("SET GLOBAL general_log = OFF");
          st.execute("TRUNCATE TABLE mysql.general_log");
          st.execute("SET GLOBAL log_output = 'TABLE'");
          st.execute("SET GLOBAL general_log = ON");
        }
      }
    } catch (SQLException | RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  /** What the replicas received so far, summed. */
  Counts counts() throws SQLException {
    long checks = 0;
    long waits = 0;
    for (Connection c : admin) {
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT CONVERT(argument USING utf8mb4) "
               + "FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')")) {
        while (rs.next()) {
          String sql = rs.getString(1);
          // The check's text is the more specific on MariaDB (its timeout is the literal 0).
          if (check.matcher(sql).matches()) {
            checks++;
          } else if (wait.matcher(sql).matches()) {
            waits++;
          }
        }
      }
    }
    return new Counts(checks, waits);
  }

  /** Turns the replicas' general logs off, and their log output back to what it was. */
  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (int i = 0; i < admin.size(); i++) {
      Connection c = admin.get(i);
      try (c; Statement st = c.createStatement()) {
        st.execute("SET GLOBAL general_log = OFF");
        if (i < outputs.size()) { // start may have failed before reading it
          try (PreparedStatement restore = c.prepareStatement("SET GLOBAL log_output = ?")) {
            restore.setString(1, outputs.get(i));
            restore.execute();
          }
        }
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** {@code sql} as the general log shows it with its {@code ?} filled in by the driver. */
  private static Pattern statement(String sql) {
    StringBuilder regex = new StringBuilder();
    for (String part : sql.split("\\?", -1)) {
      if (regex.length() > 0) {
        regex.append("(?:'[^']*'|[^,)']+)"); // a quoted GTID set, or a number
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
