package dev.catchup.sdk;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection a caller gets: it borrows a physical connection only when the first statement
 * needs one, so that {@code setReadOnly(true)} and {@code setAutoCommit(false)} (as Spring's
 * transaction manager calls them) can still choose the target: read-only goes through the
 * {@link ReadRouter}, everything else to the primary, where the session records each write's GTID.
 * Settings made before then are replayed on the physical connection.
 *
 * <p>A transaction that began on a replica keeps that replica and its snapshot: a token that
 * arrives mid-transaction applies from the next transaction, which may pick another replica.
 * Switching read-only inside a transaction that already ran a statement is refused, as drivers do.
 *
 * <p>The physical connection never leaves this class: statements, result sets and metadata are
 * handed out through {@link JdbcFacade}, whose {@code getConnection()} returns this connection, and
 * {@code unwrap} refuses the driver's connection. So every commit passes here (and is recorded)
 * and only this class returns the physical connection to its pool.
 */
final class RoutedConnection implements InvocationHandler {
  private static final Logger log = LoggerFactory.getLogger(RoutedConnection.class);

  private final CatchupDataSource dataSource;
  private final Session session;
  private final ReadOptions options;
  private boolean readOnly;
  private Boolean autoCommit;
  private Integer isolation;
  private String catalog;
  private String schema;

  private Connection physical;
  private boolean onReplica;
  private WriteCapture.Recording recording;
  private boolean inTransaction;
  private boolean closed;

  private RoutedConnection(CatchupDataSource dataSource, Session session, boolean readOnly,
      ReadOptions options) {
    this.dataSource = dataSource;
    this.session = session;
    this.readOnly = readOnly;
    this.options = options;
  }

  static Connection create(CatchupDataSource ds, Session session, boolean readOnly,
      ReadOptions options) {
    return (Connection) Proxy.newProxyInstance(RoutedConnection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new RoutedConnection(ds, session, readOnly, options));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "CatchupConnection[" + (physical == null ? "unbound"
            : onReplica ? "replica" : "primary") + ", " + session + "]";
      case "close":
        if (!closed) {
          closed = true;
          release();
        }
        return null;
      case "isClosed":
        return closed;
      case "isValid":
        return !closed && (physical == null || physical.isValid((Integer) args[0]));
      case "unwrap":
        return JdbcFacade.unwrap(proxy, (Class<?>) args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(proxy);
      default:
        break;
    }
    if (closed) {
      throw new SQLException("connection is closed", "08003");
    }
    switch (name) {
      case "setReadOnly":
        setReadOnly((Boolean) args[0]);
        return null;
      case "isReadOnly":
        return readOnly;
      case "setAutoCommit":
        autoCommit = (Boolean) args[0];
        if (physical != null) {
          physical.setAutoCommit(autoCommit);
          inTransaction = false;
        }
        return null;
      case "getAutoCommit":
        return physical != null ? physical.getAutoCommit() : autoCommit == null || autoCommit;
      case "setTransactionIsolation":
        isolation = (Integer) args[0];
        if (physical != null) {
          physical.setTransactionIsolation(isolation);
        }
        return null;
      case "setCatalog":
        catalog = (String) args[0];
        if (physical != null) {
          physical.setCatalog(catalog);
        }
        return null;
      case "setSchema":
        schema = (String) args[0];
        if (physical != null) {
          physical.setSchema(schema);
        }
        return null;
      case "commit":
      case "rollback":
        if (physical == null) {
          return null; // nothing ran, so there is nothing to end
        }
        inTransaction = false;
        Object result = delegate(method, args);
        if (recording != null) {
          recording.afterCommit();
        }
        return result;
      case "getWarnings":
        return physical == null ? null : physical.getWarnings();
      case "clearWarnings":
        if (physical != null) {
          physical.clearWarnings();
        }
        return null;
      default:
        break;
    }
    bind();
    if (name.startsWith("prepare") || name.startsWith("create") || name.equals("nativeSQL")) {
      if (Boolean.FALSE.equals(autoCommit)) {
        inTransaction = true;
      }
    }
    return JdbcFacade.wrap(delegate(method, args), (Connection) proxy);
  }

  private Object delegate(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(physical, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void setReadOnly(boolean value) throws SQLException {
    if (value == readOnly) {
      return;
    }
    if (physical != null) {
      if (inTransaction) {
        throw new SQLException("cannot change read-only inside a transaction that already ran "
            + "statements; commit or roll back first", "25000");
      }
      release(); // the next statement picks the target that fits
    }
    readOnly = value;
  }

  /** Borrows the physical connection on first use and replays the settings made so far. */
  private void bind() throws SQLException {
    if (physical != null) {
      return;
    }
    Connection c;
    if (readOnly) {
      ReadRouter.Route route = dataSource.router().route(session, options);
      c = route.connection();
      onReplica = route.replica() != null;
    } else {
      c = dataSource.borrowPrimary();
      onReplica = false;
    }
    try {
      if (!onReplica) {
        recording = dataSource.recordWrites(c, session);
      }
      if (autoCommit != null && autoCommit != c.getAutoCommit()) {
        c.setAutoCommit(autoCommit);
      }
      if (isolation != null) {
        c.setTransactionIsolation(isolation);
      }
      if (catalog != null) {
        c.setCatalog(catalog);
      }
      if (schema != null) {
        c.setSchema(schema);
      }
    } catch (SQLException | RuntimeException e) {
      physical = c;
      release();
      throw e;
    }
    physical = c;
  }

  private void release() throws SQLException {
    Connection c = physical;
    if (c == null) {
      return;
    }
    physical = null;
    inTransaction = false;
    try {
      if (recording != null) {
        recording.end();
      }
    } finally {
      recording = null;
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("returning a connection to its pool failed: {}", e.getMessage());
      }
    }
  }
}
