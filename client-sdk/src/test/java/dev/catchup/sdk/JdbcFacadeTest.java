package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Array;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The wrappers a routed connection hands out, against recording fakes of the driver's objects:
 * every JDBC method reaches the driver's object with the same arguments (the wrapper classes are
 * plain delegation, so a slip in one of their two hundred methods would otherwise go unseen), and
 * only the back references and {@code unwrap} answer differently.
 */
class JdbcFacadeTest {
  /** Answered by the facade itself, never passed on. */
  private static final Set<String> OWN = Set.of("getConnection", "getStatement", "unwrap",
      "isWrapperFor");

  private final List<String> calls = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final Connection routed = routedConnection();

  @Test
  void preparedStatement_everyMethod_passedOnWithItsArguments() throws Exception {
    PreparedStatement target = fake(PreparedStatement.class);
    Object facade = JdbcFacade.wrap(target, routed);

    assertThat(facade).isInstanceOf(PreparedStatementFacade.class);
    assertEveryMethodPassedOn(PreparedStatement.class, facade);
  }

  @Test
  void statement_everyMethod_passedOnWithItsArguments() throws Exception {
    Statement target = fake(Statement.class);
    Object facade = JdbcFacade.wrap(target, routed);

    assertThat(facade).isExactlyInstanceOf(StatementFacade.class);
    assertEveryMethodPassedOn(Statement.class, facade);
  }

  @Test
  void resultSet_everyMethod_passedOnWithItsArguments() throws Exception {
    ResultSet target = fake(ResultSet.class);
    Object facade = JdbcFacade.wrap(target, routed);

    assertThat(facade).isInstanceOf(ResultSetFacade.class);
    assertEveryMethodPassedOn(ResultSet.class, facade);
  }

  @Test
  void backReferences_leadToTheFacadesNeverTheDriversObjects() throws SQLException {
    PreparedStatement ps = (PreparedStatement) JdbcFacade.wrap(fake(PreparedStatement.class), routed);
    ResultSet rs = ps.executeQuery();

    assertSame(routed, ps.getConnection());
    assertSame(ps, rs.getStatement());
    assertThat(ps.getGeneratedKeys().getStatement()).isSameAs(ps);
    var e = assertThrows(SQLException.class, () -> rs.unwrap(com.mysql.cj.jdbc.result.ResultSetImpl.class));
    assertThat(e.getMessage()).startsWith("Catchup does not hand out the driver's objects (asked for "
        + "com.mysql.cj.jdbc.result.ResultSetImpl)");
    assertSame(rs, rs.unwrap(ResultSet.class));
  }

  /** The routed connection and every class facade answer unwrap the same way (one base class). */
  @Test
  void unwrap_routedConnectionAndEveryClassFacade_selfForItsInterfacesDriversObjectsRefused()
      throws SQLException {
    Statement st = (Statement) JdbcFacade.wrap(fake(Statement.class), routed);
    PreparedStatement ps = (PreparedStatement) JdbcFacade.wrap(fake(PreparedStatement.class), routed);
    Map<java.sql.Wrapper, Class<?>> faces = new LinkedHashMap<>();
    faces.put(routed, Connection.class);
    faces.put(st, Statement.class);
    faces.put(ps, PreparedStatement.class);
    faces.put(ps.executeQuery(), ResultSet.class);
    for (var entry : faces.entrySet()) {
      java.sql.Wrapper facade = entry.getKey();
      assertSame(facade, facade.unwrap(entry.getValue()));
      assertThat(facade.isWrapperFor(entry.getValue())).isTrue();
      assertThat(facade.isWrapperFor(com.mysql.cj.jdbc.JdbcConnection.class)).isFalse();
      var e = assertThrows(SQLException.class,
          () -> facade.unwrap(com.mysql.cj.jdbc.JdbcConnection.class));
      assertThat(e.getMessage()).as(entry.getValue().getSimpleName()).startsWith(
          "Catchup does not hand out the driver's objects (asked for "
              + "com.mysql.cj.jdbc.JdbcConnection)");
    }
    assertThat(st).hasToString("Statement"); // the driver's object's text, as before
  }

  @Test
  void callableAndMetadata_stillWrapped_resultsLeadBackToTheirFacades() throws SQLException {
    CallableStatement cs = (CallableStatement) JdbcFacade.wrap(fake(CallableStatement.class), routed);
    DatabaseMetaData md = (DatabaseMetaData) JdbcFacade.wrap(fake(DatabaseMetaData.class), routed);

    assertSame(routed, cs.getConnection());
    assertSame(cs, cs.executeQuery().getStatement());
    assertSame(routed, md.getConnection());
    assertThat(md.getTables(null, null, null, null)).isInstanceOf(ResultSetFacade.class);
  }

  @Test
  void executeFails_failureReportedToTheRoutedConnectionAndThrown() throws SQLException {
    SQLException broken = new SQLException("gone", "08S01");
    PreparedStatement target = (PreparedStatement) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
          throw broken;
        });
    PreparedStatement ps = (PreparedStatement) JdbcFacade.wrap(target, routed);

    SQLException e = assertThrows(SQLException.class, ps::executeUpdate);

    assertSame(broken, e);
    assertThat(failures).containsExactly("primary 08S01");
  }

  /**
   * Calls that may talk to the server report a failure too, as the reflection proxy before these
   * classes did: closing a result set drains a streamed one, closing a statement or cancelling it
   * sends a command, a prepared statement's metadata and reset may go to the server. A broken
   * connection (SQLState 08...) found there must start discovery like one found by an execute.
   */
  @Test
  void callsThatTalkToTheServer_fail_failureReportedToTheRoutedConnectionAndThrown()
      throws Exception {
    SQLException broken = new SQLException("gone", "08S01");
    Map<Class<?>, List<String>> talking = new LinkedHashMap<>();
    talking.put(Statement.class, List.of("close", "cancel"));
    talking.put(PreparedStatement.class, List.of("close", "cancel", "getMetaData",
        "getParameterMetaData", "clearParameters"));
    talking.put(ResultSet.class, List.of("close", "afterLast", "beforeFirst"));
    for (var entry : talking.entrySet()) {
      Object target = Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {entry.getKey()}, (p, m, a) -> {
            throw broken;
          });
      Object facade = JdbcFacade.wrap(target, routed);
      for (String name : entry.getValue()) {
        failures.clear();
        Method m = entry.getKey().getMethod(name);
        var e = assertThrows(InvocationTargetException.class, () -> m.invoke(facade));
        assertSame(broken, e.getCause(), name);
        assertThat(failures).as(entry.getKey().getSimpleName() + "." + name)
            .containsExactly("primary 08S01");
      }
    }
  }

  private void assertEveryMethodPassedOn(Class<?> face, Object facade) throws Exception {
    int checked = 0;
    for (Method m : face.getMethods()) {
      if (OWN.contains(m.getName()) || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Object[] args = arguments(m);
      calls.clear();
      try {
        m.invoke(facade, args);
      } catch (InvocationTargetException e) {
        throw new AssertionError(m + " threw", e.getCause());
      }
      assertThat(calls).as(m.toString()).containsExactly(describe(m, args));
      checked++;
    }
    assertThat(checked).isGreaterThan(40);
  }

  /** Distinct arguments per position, so that swapped arguments show. */
  private static Object[] arguments(Method m) {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      int v = i + 2;
      args[i] = t == String.class ? "s" + v : t == Class.class ? Object.class
          : t.isArray() ? Array.newInstance(t.getComponentType(), v)
          : t == boolean.class ? (Object) (i % 2 == 0) : t.isPrimitive() ? primitive(t, v) : null;
    }
    return args;
  }

  /** {@code v} as a value of the primitive type {@code t} (boxed), for reflection. */
  private static Object primitive(Class<?> t, int v) {
    if (t == int.class) {
      return v;
    } else if (t == long.class) {
      return (long) v;
    } else if (t == byte.class) {
      return (byte) v;
    } else if (t == short.class) {
      return (short) v;
    } else if (t == float.class) {
      return (float) v;
    }
    return (double) v;
  }

  /** What a fake answers for a method returning {@code r}. */
  private static Object defaultOf(Class<?> r) {
    if (r == boolean.class) {
      return false;
    }
    return r.isPrimitive() && r != void.class ? primitive(r, 0) : null;
  }

  private static String describe(Method m, Object[] args) {
    StringBuilder b = new StringBuilder(m.getName()).append('(');
    for (int i = 0; args != null && i < args.length; i++) {
      Object a = args[i];
      b.append(i == 0 ? "" : ",").append(a != null && a.getClass().isArray()
          ? a.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(a) + "]" : a);
    }
    return b.append(')').toString();
  }

  /** A driver object that records each call and answers with defaults (result sets are fakes). */
  @SuppressWarnings("unchecked")
  private <T> T fake(Class<T> face) {
    return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {face},
        (proxy, m, args) -> {
          if (m.getDeclaringClass() == Object.class) {
            return switch (m.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> face.getSimpleName();
            };
          }
          calls.add(describe(m, args));
          Class<?> r = m.getReturnType();
          if (r == ResultSet.class) {
            return fakeResultSetOf(proxy);
          }
          return defaultOf(r);
        });
  }

  /** A result set whose getStatement() is {@code statement}, as a driver's is. */
  private ResultSet fakeResultSetOf(Object statement) {
    return (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ResultSet.class}, (p, m, a) -> m.getName().equals("getStatement")
            && statement instanceof Statement ? statement : null);
  }

  /** A routed connection bound to the primary "primary", which records reported failures. */
  private Connection routedConnection() {
    ConnectionSource source = new ConnectionSource() {
      @Override
      public Connection open(Session s, boolean readOnly, ReadOptions options) {
        return new RoutedConnection(this, s, readOnly, options);
      }

      @Override
      public Borrowed borrow(Session s, boolean readOnly, ReadOptions options) {
        Connection physical = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Connection.class}, (p, m, a) -> switch (m.getName()) {
              case "createStatement" -> fake(Statement.class);
              default -> null;
            });
        return new Borrowed(physical, null, WriteCapture.Recording.NONE, "primary");
      }

      @Override
      public void statementFailed(String primary, SQLException e) {
        failures.add(primary + " " + e.getSQLState());
      }
    };
    try {
      Connection c = source.open(null, false, ReadOptions.DEFAULTS);
      c.createStatement(); // binds it to the primary
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
