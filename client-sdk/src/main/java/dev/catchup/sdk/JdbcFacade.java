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
 */
final class JdbcFacade implements InvocationHandler {
  private final Object target;
  private final Connection routed;
  /** The statement facade that made this result set, and what it wraps; null otherwise. */
  private final Object parent;
  private final Object parentTarget;

  private JdbcFacade(Object target, Connection routed, Object parent, Object parentTarget) {
    this.target = target;
    this.routed = routed;
    this.parent = parent;
    this.parentTarget = parentTarget;
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
    Class<?> face = faceOf(value);
    if (face == null) {
      return value;
    }
    return Proxy.newProxyInstance(JdbcFacade.class.getClassLoader(), new Class<?>[] {face},
        new JdbcFacade(value, routed, parent, parentTarget));
  }

  /** The JDBC interface a facade of {@code value} implements, or null when none is needed. */
  private static Class<?> faceOf(Object value) {
    if (value instanceof CallableStatement) {
      return CallableStatement.class;
    } else if (value instanceof PreparedStatement) {
      return PreparedStatement.class;
    } else if (value instanceof Statement) {
      return Statement.class;
    } else if (value instanceof ResultSet) {
      return ResultSet.class;
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
        return unwrap(proxy, (Class<?>) args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(proxy);
      case "getStatement":
        if (arity == 0 && target instanceof ResultSet) {
          Object statement = invokeTarget(method, args);
          if (statement == null) {
            return null;
          }
          return statement == parentTarget ? parent : wrap(statement, routed);
        }
        break;
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
      if (e.getCause() instanceof SQLException failure && routed instanceof RoutedConnection rc) {
        rc.failed(failure); // a primary refusing writes as read-only may have been replaced
      }
      throw e.getCause();
    }
  }

  /** The facade itself for interfaces it implements; the driver's objects are not handed out. */
  static Object unwrap(Object proxy, Class<?> iface) throws SQLException {
    if (iface.isInstance(proxy)) {
      return proxy;
    }
    throw new SQLException("Catchup does not hand out the driver's objects (asked for "
        + iface.getName() + "): the pool and the session's write recording own the physical "
        + "connection; use the JDBC interfaces");
  }
}
