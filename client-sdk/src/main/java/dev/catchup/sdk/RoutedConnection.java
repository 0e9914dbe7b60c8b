package dev.catchup.sdk;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection a caller gets: it borrows a physical connection only when the first statement
 * needs one, so that {@code setReadOnly(true)} and {@code setAutoCommit(false)} (as Spring's
 * transaction manager calls them) can still choose the target: the {@link ConnectionSource} routes
 * read-only ones and sends everything else to the primary, where the session's writes are recorded.
 * Settings made before then are replayed on the physical connection. Plain delegation (statements,
 * metadata, large objects, client info) lives in {@link DelegatingConnection}.
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
final class RoutedConnection extends DelegatingConnection {
  private static final Logger log = LoggerFactory.getLogger(RoutedConnection.class);

  private final ConnectionSource source;
  private final Session session;
  private final ReadOptions options;
  private boolean readOnly;
  private Boolean autoCommit;
  private Integer isolation;
  private String catalog;
  private String schema;

  private Connection physical;
  private boolean onReplica;
  /** The primary's name while bound to it, else null. */
  private String primary;
  private WriteCapture.Recording recording = WriteCapture.Recording.NONE;
  private boolean inTransaction;
  private boolean closed;

  RoutedConnection(ConnectionSource source, Session session, boolean readOnly,
      ReadOptions options) {
    this.source = source;
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
    try {
      if (commit) {
        physical.commit();
      } else {
        physical.rollback();
      }
    } catch (SQLException e) {
      failed(e);
      throw e;
    }
    recording.afterCommit();
  }

  /**
   * A statement or commit on the physical connection failed: tells the source, which asks who is
   * primary now when a primary refused it as read-only. The failure is the caller's all the same.
   */
  void failed(SQLException e) {
    if (primary != null) {
      source.statementFailed(primary, e);
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

  // ---- unwrap, which refuses the driver's connection, is JdbcWrapper's

  @Override
  public String toString() {
    return "CatchupConnection[" + (physical == null ? "unbound"
        : onReplica ? "replica" : "primary") + ", " + session + "]";
  }

  // ---- binding and releasing the physical connection

  @Override
  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("connection is closed", "08003");
    }
  }

  @Override
  Connection use() throws SQLException {
    checkOpen();
    bind();
    return physical;
  }

  @Override
  Connection bound() {
    return physical;
  }

  @Override
  Connection useInTransaction() throws SQLException {
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
    ConnectionSource.Borrowed borrowed = source.borrow(session, readOnly, options);
    Connection c = borrowed.physical();
    onReplica = borrowed.replica() != null;
    primary = borrowed.primary();
    recording = borrowed.recording();
    try {
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
    primary = null;
    inTransaction = false;
    try {
      recording.end();
    } finally {
      recording = WriteCapture.Recording.NONE;
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("returning a connection to its pool failed: {}", e.getMessage());
      }
    }
  }
}
