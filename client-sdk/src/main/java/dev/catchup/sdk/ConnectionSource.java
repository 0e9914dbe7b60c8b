package dev.catchup.sdk;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * All that a {@link Session} and its {@link RoutedConnection}s need of the data source: open a
 * connection, and borrow the physical one behind it when its first statement runs. Neither holds
 * the {@link CatchupDataSource} itself, so nothing below the facade calls back up into it.
 */
interface ConnectionSource {

  /**
   * A connection of {@code session}; it borrows nothing until its first statement.
   *
   * @throws SQLException if the data source is closed
   */
  Connection open(Session session, boolean readOnly, ReadOptions options) throws SQLException;

  /**
   * The physical connection for a connection's statements: for a read-only one, where routing
   * sends the read (a replica that has the session's token, or the primary); otherwise the
   * primary. On the primary the session's writes are recorded, read-only or not, since nothing
   * stops a statement there from writing.
   */
  Borrowed borrow(Session session, boolean readOnly, ReadOptions options) throws SQLException;

  /**
   * A statement (or commit) on a connection borrowed from {@code primary} failed with {@code e}:
   * when the server refused it as read-only, the primary may have changed (see {@link Servers}).
   */
  default void statementFailed(String primary, SQLException e) {}

  /**
   * A borrowed physical connection.
   *
   * @param replica the replica's name, or null for the primary
   * @param recording what records its writes ({@link WriteCapture.Recording#NONE} on a replica)
   * @param primary the primary's name when borrowed from it, else null
   */
  record Borrowed(Connection physical, String replica, WriteCapture.Recording recording,
      String primary) {
    Borrowed(Connection physical, String replica, WriteCapture.Recording recording) {
      this(physical, replica, recording, null);
    }
  }
}
