package dev.catchup.sdk;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * The {@link Wrapper} half of everything Catchup hands out over JDBC as a class (the routed
 * connection, the facades of its statements and result sets): {@code unwrap} answers with the
 * object itself for the interfaces it implements and refuses anything else, so that the driver's
 * objects, and through them the pooled physical connection, are never handed out. A caller holding
 * the physical connection could commit past write recording or close it back into the pool while
 * Catchup still uses it.
 */
abstract sealed class JdbcWrapper implements Wrapper permits DelegatingConnection, HandedOutFacade {

  @Override
  public final <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.cast(unwrap(this, iface));
  }

  @Override
  public final boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /**
   * {@code facade} itself when it implements {@code iface}, as {@code unwrap} of anything Catchup
   * hands out (classes and {@link JdbcFacade}'s proxies) answers; else the refusal.
   */
  static Object unwrap(Object facade, Class<?> iface) throws SQLException {
    if (iface.isInstance(facade)) {
      return facade;
    }
    throw new SQLException("Catchup does not hand out the driver's objects (asked for "
        + iface.getName() + "): the pool and the session's write recording own the physical "
        + "connection; use the JDBC interfaces");
  }
}
