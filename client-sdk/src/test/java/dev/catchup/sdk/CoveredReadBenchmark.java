package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the SDK's JDBC layer adds to a covered read, without a server: open a routed connection,
 * bind it (a source that lends a stub physical connection at once, as a covered read's routing
 * does), prepare, execute, read one long and close, against the same calls on the stub itself.
 * The difference is the routed connection's and the statement and result set wrappers' own work
 * (SDK internals, hence this package); routing itself is in {@link RoutingDecisionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoveredReadBenchmark {
  private static final String READ = "SELECT v FROM t WHERE id = ?";

  private final Connection physical = stubConnection();
  private final Session session = new Session(null, CatchupMetrics.NONE,
      new SessionState(Flavor.MYSQL, ReadOptions.DEFAULTS));
  private final ConnectionSource source = new ConnectionSource() {
    @Override
    public Connection open(Session s, boolean readOnly, ReadOptions options) {
      return new RoutedConnection(this, s, readOnly, options);
    }

    @Override
    public Borrowed borrow(Session s, boolean readOnly, ReadOptions options) {
      return new Borrowed(physical, "replica1", WriteCapture.Recording.NONE);
    }
  };
  private long id;

  /** The read on the stub physical connection: the baseline. */
  @Benchmark
  public long direct() throws SQLException {
    return read(physical);
  }

  /** The same read through a routed connection and the wrappers it hands out. */
  @Benchmark
  public long routed() throws SQLException {
    try (Connection c = source.open(session, true, ReadOptions.DEFAULTS)) {
      return read(c);
    }
  }

  private long read(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(READ)) {
      ps.setLong(1, ++id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** A physical connection whose statements return one row; its own cost is in both benchmarks. */
  private static Connection stubConnection() {
    ClassLoader loader = CoveredReadBenchmark.class.getClassLoader();
    ResultSet rs = (ResultSet) Proxy.newProxyInstance(loader, new Class<?>[] {ResultSet.class},
        (p, m, a) -> switch (m.getName()) {
          case "next" -> Boolean.TRUE;
          case "getLong" -> 42L;
          default -> null;
        });
    PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(loader,
        new Class<?>[] {PreparedStatement.class}, (p, m, a) -> switch (m.getName()) {
          case "executeQuery" -> rs;
          default -> null;
        });
    return (Connection) Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class},
        (p, m, a) -> switch (m.getName()) {
          case "prepareStatement" -> ps;
          case "getAutoCommit", "isValid" -> Boolean.TRUE;
          default -> null;
        });
  }
}
