package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.topology.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ServerQueries} over JDBC: one connection to the server, opened on first use. */
final class JdbcServerQueries implements ServerQueries {
  private static final Logger log = LoggerFactory.getLogger(JdbcServerQueries.class);

  private final ServerEndpoint endpoint;
  private final ServerReads reads;
  private Connection connection;

  JdbcServerQueries(ServerEndpoint endpoint, ServerReads reads) {
    this.endpoint = endpoint;
    this.reads = reads;
  }

  @Override
  public GtidSet executed(Role role) throws SQLException {
    return reads.executed(connection(), role);
  }

  @Override
  public Duration heartbeatLag() throws SQLException {
    return reads.heartbeatLag(connection());
  }

  @Override
  public void threads(Role role) throws SQLException {
    reads.threads(connection(), role);
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = endpoint.connect();
    }
    return connection;
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("{}: close failed: {}", endpoint.name(), e.getMessage());
      }
      connection = null;
    }
  }
}
