package dev.catchup.sdk;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the class facades of a routed connection's statements and result sets share (see
 * {@link JdbcFacade}): the routed connection their back references lead to, reporting a failed call
 * to it, and wrapping what they hand out in turn. The per-method delegation stays in the
 * subclasses, one plain method each: a lambda per call would allocate on every read's path.
 */
abstract sealed class HandedOutFacade extends JdbcWrapper
    permits StatementFacade, ResultSetUpdates {
  /** What the caller holds in place of the physical connection. */
  final Connection routed;
  /** The driver's object, for {@link #toString()} (the subclasses keep it typed). */
  private final Object driverObject;

  HandedOutFacade(Object driverObject, Connection routed) {
    this.driverObject = driverObject;
    this.routed = routed;
  }

  /**
   * Tells the routed connection that a call which may talk to the server failed (a broken
   * connection starts discovery); returns {@code e} for the caller to throw.
   */
  final SQLException failed(SQLException e) {
    return JdbcFacade.failed(routed, e);
  }

  /** {@code value} as the caller may see it (see {@link JdbcFacade#wrap}). */
  @SuppressWarnings("unchecked")
  final <T> T handedOut(T value) {
    return (T) JdbcFacade.wrap(value, routed);
  }

  @Override
  public final String toString() {
    return driverObject.toString();
  }
}
