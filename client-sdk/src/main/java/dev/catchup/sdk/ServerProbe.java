package dev.catchup.sdk;

import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidParseException;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.gtid.MariaDbGtidSet;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Asks one server its role ({@link Dialect#roleAndStateQuery()} and its replica status) on a connection of
 * its own, opened with short timeouts: a pool's borrow would wait its whole connect timeout on a
 * dead server, and discovery runs exactly when servers die.
 */
final class ServerProbe {
  /** How long connecting to a server and each of its answers may take during discovery. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Dialect dialect;

  ServerProbe(Flavor flavor) {
    this.dialect = Dialect.of(flavor);
  }

  /** Opens a connection for discovery. */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  /**
   * A connector to {@code url} with the pool's driver properties and credentials, and discovery's
   * own timeouts.
   */
  static Connector connector(String url, Properties poolProperties, String user, String password) {
    Properties p = new Properties();
    p.putAll(poolProperties);
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", Long.toString(TIMEOUT.toMillis()));
    p.setProperty("socketTimeout", Long.toString(TIMEOUT.toMillis()));
    return () -> DriverManager.getConnection(url, p);
  }

  /** True when {@code e} is a server refusing a write because it is read-only. */
  boolean isReadOnlyRefusal(SQLException e) {
    return dialect.isReadOnlyRefusal(e);
  }

  /** What {@code name} says of its role; an unreachable answer when it cannot be asked. */
  ServerAnswer ask(String name, Connector connector) {
    try (Connection c = connector.connect(); Statement s = c.createStatement()) {
      boolean readOnly;
      String identity;
      String executedText;
      try (ResultSet rs = s.executeQuery(dialect.roleAndStateQuery())) {
        rs.next();
        readOnly = rs.getInt(1) != 0 || rs.getInt(2) != 0;
        identity = rs.getString(3);
        executedText = rs.getString(4) == null ? "" : rs.getString(4);
      }
      ServerAnswer.Replication replication = null;
      try (ResultSet rs = s.executeQuery(dialect.replicaStatusQuery())) {
        if (rs.next()) {
          Dialect.SourceColumns source = dialect.sourceColumns();
          Dialect.ReplicaStatusColumns cols = dialect.replicaStatusColumns();
          replication = new ServerAnswer.Replication(rs.getString(source.host()),
              rs.getInt(source.port()), rs.getString(cols.ioRunning()),
              rs.getString(cols.sqlRunning()));
        }
      }
      if (dialect.flavor() == Flavor.MYSQL) {
        return new ServerAnswer(name, null, readOnly, identity,
            GtidSet.parse(Flavor.MYSQL, executedText), null, replication);
      }
      MariaDbBinlogState state = MariaDbBinlogState.parse(executedText);
      return new ServerAnswer(name, null, readOnly, identity, position(state), state, replication);
    } catch (SQLException | GtidParseException e) {
      return ServerAnswer.unreachable(name, e.getMessage());
    }
  }

  /** The newest entry of each domain: the position the wait functions compare. */
  private static MariaDbGtidSet position(MariaDbBinlogState state) {
    MariaDbGtidSet out = MariaDbGtidSet.empty();
    for (MariaDbGtidSet.Entry e : state.entries()) {
      out = out.union(MariaDbGtidSet.of(e.domain(), e.server(), e.sequence()));
    }
    return out;
  }
}
