package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Real Connector/J connections to a server, with one fault injected: the first {@code n} queries
 * asking whether the session tracks GTIDs fail with the given SQL state (08S01: as if the
 * connection dropped under them, which makes the pool close it). Counts the
 * queries that read a write's GTID. Set on the primary pool with {@code configurePools}.
 */
final class FaultyPrimary implements DataSource {
  private final String url;
  private final Flavor flavor;
  final AtomicInteger probesToFail;
  final AtomicInteger gtidReads = new AtomicInteger();
  private final String sqlState;

  FaultyPrimary(String url, Flavor flavor, int probesToFail, String sqlState) {
    this.url = url;
    this.sqlState = sqlState;
    this.flavor = flavor;
    this.probesToFail = new AtomicInteger(probesToFail);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.putAll(GtidCapture.driverProperties(flavor));
    p.setProperty("user", user);
    p.setProperty("password", password);
    Connection real = DriverManager.getConnection(url, p);
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, m, args) -> {
          if (m.getName().equals("unwrap") && ((Class<?>) args[0]).isInstance(proxy)) {
            return proxy;
          }
          Object r = invoke(real, m, args);
          return m.getName().equals("createStatement") ? statement((Statement) r) : r;
        });
  }

  private Statement statement(Statement real) {
    return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Statement.class}, (proxy, m, args) -> {
          if (m.getName().equals("executeQuery")) {
            String sql = (String) args[0];
            if (sql.contains("session_track") && probesToFail.getAndDecrement() > 0) {
              throw new SQLException("injected probe failure", sqlState);
            }
            if (sql.contains("@@global.gtid_executed") || sql.contains("@@last_gtid")) {
              gtidReads.incrementAndGet();
            }
          }
          return invoke(real, m, args);
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials required");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
