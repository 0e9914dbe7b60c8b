package dev.catchup.sdk;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
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
 * and only this class returns the physical connection to its pool. Not thread-safe, like the
 * connections of most drivers.
 */
final class RoutedConnection implements Connection {
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

  RoutedConnection(CatchupDataSource dataSource, Session session, boolean readOnly,
      ReadOptions options) {
    this.dataSource = dataSource;
    this.session = session;
    this.readOnly = readOnly;
    this.options = options;
  }

  // ---- lifecycle

  @Override
  public void close() throws SQLException {
    if (!closed) {
      closed = true;
      release();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    return !closed && (physical == null || physical.isValid(timeout));
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    if (physical != null) {
      physical.abort(executor);
    }
    close();
  }

  // ---- settings that choose the target, remembered until a physical connection is bound

  @Override
  public void setReadOnly(boolean value) throws SQLException {
    checkOpen();
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

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return readOnly;
  }

  @Override
  public void setAutoCommit(boolean value) throws SQLException {
    checkOpen();
    autoCommit = value;
    if (physical != null) {
      physical.setAutoCommit(value);
      inTransaction = false;
    }
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return physical != null ? physical.getAutoCommit() : autoCommit == null || autoCommit;
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    isolation = level;
    if (physical != null) {
      physical.setTransactionIsolation(level);
    }
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return use().getTransactionIsolation();
  }

  @Override
  public void setCatalog(String value) throws SQLException {
    checkOpen();
    catalog = value;
    if (physical != null) {
      physical.setCatalog(value);
    }
  }

  @Override
  public String getCatalog() throws SQLException {
    return use().getCatalog();
  }

  @Override
  public void setSchema(String value) throws SQLException {
    checkOpen();
    schema = value;
    if (physical != null) {
      physical.setSchema(value);
    }
  }

  @Override
  public String getSchema() throws SQLException {
    return use().getSchema();
  }

  // ---- transactions: every commit passes here, so the session records it

  @Override
  public void commit() throws SQLException {
    endTransaction(true);
  }

  @Override
  public void rollback() throws SQLException {
    endTransaction(false);
  }

  private void endTransaction(boolean commit) throws SQLException {
    checkOpen();
    if (physical == null) {
      return; // nothing ran, so there is nothing to end
    }
    inTransaction = false;
    if (commit) {
      physical.commit();
    } else {
      physical.rollback();
    }
    if (recording != null) {
      recording.afterCommit();
    }
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return useInTransaction().setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    return useInTransaction().setSavepoint(name);
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    use().rollback(savepoint); // the transaction goes on
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    use().releaseSavepoint(savepoint);
  }

  // ---- statements and metadata, handed out wrapped

  @Override
  public Statement createStatement() throws SQLException {
    return wrap(useInTransaction().createStatement());
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    return wrap(useInTransaction().createStatement(type, concurrency));
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    return wrap(useInTransaction().createStatement(type, concurrency, holdability));
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return wrap(useInTransaction().prepareStatement(sql));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency)
      throws SQLException {
    return wrap(useInTransaction().prepareStatement(sql, type, concurrency));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    return wrap(useInTransaction().prepareStatement(sql, type, concurrency, holdability));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return wrap(useInTransaction().prepareStatement(sql, autoGeneratedKeys));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return wrap(useInTransaction().prepareStatement(sql, columnIndexes));
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return wrap(useInTransaction().prepareStatement(sql, columnNames));
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return wrap(useInTransaction().prepareCall(sql));
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
    return wrap(useInTransaction().prepareCall(sql, type, concurrency));
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    return wrap(useInTransaction().prepareCall(sql, type, concurrency, holdability));
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    return useInTransaction().nativeSQL(sql);
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return wrap(use().getMetaData());
  }

  @SuppressWarnings("unchecked")
  private <T> T wrap(T handedOut) {
    return (T) JdbcFacade.wrap(handedOut, this);
  }

  // ---- plain delegation to the bound connection

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return physical == null ? null : physical.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    if (physical != null) {
      physical.clearWarnings();
    }
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return use().getTypeMap();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    use().setTypeMap(map);
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    use().setHoldability(holdability);
  }

  @Override
  public int getHoldability() throws SQLException {
    return use().getHoldability();
  }

  @Override
  public Clob createClob() throws SQLException {
    return useInTransaction().createClob();
  }

  @Override
  public Blob createBlob() throws SQLException {
    return useInTransaction().createBlob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return useInTransaction().createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return useInTransaction().createSQLXML();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    return useInTransaction().createArrayOf(typeName, elements);
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    return useInTransaction().createStruct(typeName, attributes);
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    clientInfoTarget().setClientInfo(name, value);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    clientInfoTarget().setClientInfo(properties);
  }

  private Connection clientInfoTarget() throws SQLClientInfoException {
    try {
      return use();
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), null, e);
    }
  }

  @Override
  public String getClientInfo(String name) throws SQLException {
    return use().getClientInfo(name);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return use().getClientInfo();
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    use().setNetworkTimeout(executor, milliseconds);
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return use().getNetworkTimeout();
  }

  // ---- wrapping: the driver's connection is not handed out

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.cast(JdbcFacade.unwrap(this, iface));
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "CatchupConnection[" + (physical == null ? "unbound"
        : onReplica ? "replica" : "primary") + ", " + session + "]";
  }

  // ---- binding and releasing the physical connection

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("connection is closed", "08003");
    }
  }

  /** The physical connection, borrowed on first use. */
  private Connection use() throws SQLException {
    checkOpen();
    bind();
    return physical;
  }

  /** As {@link #use()}, for work that starts a transaction outside autocommit. */
  private Connection useInTransaction() throws SQLException {
    Connection c = use();
    if (Boolean.FALSE.equals(autoCommit)) {
      inTransaction = true;
    }
    return c;
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
