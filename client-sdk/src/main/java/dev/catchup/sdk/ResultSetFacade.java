package dev.catchup.sdk;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A result set as a {@link RoutedConnection} hands it out (see {@link JdbcFacade}): every call goes
 * to the driver's result set, except that {@code getStatement()} returns the statement facade that
 * made it (or a new facade), {@code unwrap} refuses the driver's objects, and a failed move of the
 * cursor (which may fetch from the server), row change or {@code close} (which drains a streamed
 * result from the server) is reported to the routed connection. Getters and updaters live in
 * {@link ResultSetGetters}, {@link ResultSetStreams} and {@link ResultSetUpdates}; {@code unwrap}
 * and failure reporting, shared with the statement facades, in {@link HandedOutFacade}.
 */
final class ResultSetFacade extends ResultSetGetters {
  /** The statement facade that made this result set, and what it wraps; null otherwise. */
  private final Statement parent;
  private final Statement parentTarget;

  ResultSetFacade(ResultSet target, Connection routed, Statement parent, Statement parentTarget) {
    super(target, routed);
    this.parent = parent;
    this.parentTarget = parentTarget;
  }

  @Override
  public Statement getStatement() throws SQLException {
    Statement s = target.getStatement();
    if (s == null) {
      return null;
    }
    return s == parentTarget ? parent : handedOut(s);
  }

  @Override
  public boolean absolute(int row) throws SQLException {
    try {
      return target.absolute(row);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void afterLast() throws SQLException {
    try {
      target.afterLast();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void beforeFirst() throws SQLException {
    try {
      target.beforeFirst();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    target.cancelRowUpdates();
  }

  @Override
  public void clearWarnings() throws SQLException {
    target.clearWarnings();
  }

  @Override
  public void close() throws SQLException {
    try {
      target.close();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void deleteRow() throws SQLException {
    try {
      target.deleteRow();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int findColumn(String columnLabel) throws SQLException {
    return target.findColumn(columnLabel);
  }

  @Override
  public boolean first() throws SQLException {
    try {
      return target.first();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void insertRow() throws SQLException {
    try {
      target.insertRow();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    return target.isAfterLast();
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return target.isBeforeFirst();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return target.isClosed();
  }

  @Override
  public boolean isFirst() throws SQLException {
    return target.isFirst();
  }

  @Override
  public boolean isLast() throws SQLException {
    return target.isLast();
  }

  @Override
  public boolean last() throws SQLException {
    try {
      return target.last();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    target.moveToCurrentRow();
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    target.moveToInsertRow();
  }

  @Override
  public boolean next() throws SQLException {
    try {
      return target.next();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean previous() throws SQLException {
    try {
      return target.previous();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void refreshRow() throws SQLException {
    try {
      target.refreshRow();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean relative(int rows) throws SQLException {
    try {
      return target.relative(rows);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    return target.rowDeleted();
  }

  @Override
  public boolean rowInserted() throws SQLException {
    return target.rowInserted();
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    return target.rowUpdated();
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    target.setFetchDirection(direction);
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    target.setFetchSize(rows);
  }

  @Override
  public void updateRow() throws SQLException {
    try {
      target.updateRow();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean wasNull() throws SQLException {
    return target.wasNull();
  }
}
