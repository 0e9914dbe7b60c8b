package dev.catchup.sdk;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens the data source's connections and borrows the physical ones behind them: reads through the
 * {@link ReadRouter}, everything else from the primary's pool, with the session's writes recorded
 * by the capture chosen for the primary. What a {@link Session} and a {@link RoutedConnection} see
 * of the data source ({@link ConnectionSource}). Thread-safe.
 */
final class Connections implements ConnectionSource {
  static final String CLOSED = "this CatchupDataSource is closed";

  private final Servers servers;
  private final ReadRouter router;
  private volatile boolean closed;

  Connections(Servers servers, ReadRouter router) {
    this.servers = servers;
    this.router = router;
  }

  @Override
  public Connection open(Session session, boolean readOnly, ReadOptions options)
      throws SQLException {
    checkOpen();
    return new RoutedConnection(this, session, readOnly, options);
  }

  @Override
  public Borrowed borrow(Session session, boolean readOnly, ReadOptions options)
      throws SQLException {
    Servers.Lease lease;
    if (readOnly) {
      ReadRouter.Route route = router.route(session, options);
      if (route.replica() != null) {
        return new Borrowed(route.connection(), route.replica(), WriteCapture.Recording.NONE);
      }
      lease = route.primary(); // the primary: a statement there could write
    } else {
      lease = servers.primary();
    }
    Connection c = lease.connection();
    return new Borrowed(c, null, lease.capture().start(c, session), lease.server());
  }

  @Override
  public void statementFailed(String primary, SQLException e) {
    servers.statementFailed(primary, e);
  }

  /** Refuses new connections from now on; the pools are closed by their owner. */
  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException(CLOSED, "08003");
    }
  }
}
