package dev.catchup.sdk;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Wraps what a {@link RoutedConnection} hands out (statements, result sets, database metadata) so
 * that no path leads back to the pooled physical connection: {@code getConnection()} returns the
 * routed connection, {@code ResultSet.getStatement()} the wrapped statement, and {@code unwrap}
 * refuses the driver's objects. A caller holding the physical connection could commit past write
 * recording (in the mode where GTIDs are read by query, the write would never be recorded and a
 * later read could be stale) or close it back into the pool while Catchup still uses it.
 *
 * <p>Statements, prepared statements and result sets, on every read's path, are wrapped by classes
 * ({@link StatementFacade}, {@link PreparedStatementFacade}, {@link ResultSetFacade}); callable
 * statements and database metadata, rare, by a {@link Proxy} with this class as its handler.
 */
final class JdbcFacade implements InvocationHandler {
  private final Object target;
  private final Connection routed;

  private JdbcFacade(Object target, Connection routed) {
    this.target = target;
    this.routed = routed;
  }

  /**
   * {@code value} as the caller may see it: a connection becomes {@code routed}; statements,
   * result sets and metadata are wrapped; anything else is returned as it is.
   */
  static Object wrap(Object value, Connection routed) {
    return wrap(value, routed, null, null);
  }

  private static Object wrap(Object value, Connection routed, Object parent, Object parentTarget) {
    if (value instanceof Connection) {
      return routed;
    }
    if (value instanceof ResultSet rs) {
      return new ResultSetFacade(rs, routed, (Statement) parent, (Statement) parentTarget);
    }
    if (value instanceof Statement s && !(value instanceof CallableStatement)) {
      return s instanceof PreparedStatement ps ? new PreparedStatementFacade(ps, routed)
          : new StatementFacade(s, routed);
    }
    Class<?> face = faceOf(value);
    if (face == null) {
      return value;
    }
    return Proxy.newProxyInstance(JdbcFacade.class.getClassLoader(), new Class<?>[] {face},
        new JdbcFacade(value, routed));
  }

  /** The JDBC interface a proxy facade of {@code value} implements, or null when none is needed. */
  private static Class<?> faceOf(Object value) {
    if (value instanceof CallableStatement) {
      return CallableStatement.class;
    } else if (value instanceof DatabaseMetaData) {
      return DatabaseMetaData.class;
    }
    return null;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    int arity = args == null ? 0 : args.length;
    switch (name) {
      case "equals":
        return arity == 1 && proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return target.toString();
      case "getConnection":
        if (arity == 0) {
          return routed;
        }
        break;
      case "unwrap":
        return JdbcWrapper.unwrap(proxy, (Class<?>) args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(proxy);
      default:
        break;
    }
    Object result = invokeTarget(method, args);
    boolean fromStatement = target instanceof Statement;
    return wrap(result, routed, fromStatement ? proxy : null, fromStatement ? target : null);
  }

  private Object invokeTarget(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof SQLException failure) {
        throw failed(routed, failure);
      }
      throw e.getCause();
    }
  }

  /**
   * Tells {@code routed} that a call on what it handed out failed with {@code e} (a primary
   * refusing writes as read-only may have been replaced); returns {@code e} for the caller to throw.
   */
  static SQLException failed(Connection routed, SQLException e) {
    if (routed instanceof RoutedConnection rc) {
      rc.failed(e);
    }
    return e;
  }
}
