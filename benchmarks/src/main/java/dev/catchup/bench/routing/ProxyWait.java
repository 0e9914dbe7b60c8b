package dev.catchup.bench.routing;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.GtidWait;
import dev.catchup.bench.harness.RawPools;
import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.CatchupMetrics.Target;
import dev.catchup.sdk.Consistency;
import dev.catchup.testkit.Topology;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Mode#PROXY_WAIT}: plain pools, the primary's reporting each write's GTID in its reply
 * (session state tracking, as the SDK's does); a read after a write waits on the replica's
 * connection for that GTID, server-side, up to {@link Access#MAX_WAIT}, then reads there. What a
 * proxy that waits for GTIDs does, without the proxy's own hop. Never falls back: a wait that times
 * out fails the read (none is expected at delay 0).
 */
final class ProxyWait extends Access {
  static final String POOL_PREFIX = "proxy-";

  private final RawPools pools;
  private final CountingMetrics metrics = new CountingMetrics();
  private final Dialect dialect;
  private final int poolSize;

  ProxyWait(Topology t, int poolSize) {
    super(Mode.PROXY_WAIT);
    this.poolSize = poolSize;
    this.dialect = Dialect.of(BenchTable.flavor(t));
    this.pools = new RawPools(t, poolSize, POOL_PREFIX, true, c -> c.setRegisterMbeans(true));
  }

  /** Every pool: the primary's first. */
  List<String> poolNames() {
    List<String> all = new ArrayList<>();
    all.add(POOL_PREFIX + "primary");
    all.addAll(replicaPoolNames());
    return all;
  }

  List<String> replicaPoolNames() {
    return pools.replicaNames().stream().map(n -> POOL_PREFIX + n).toList();
  }

  @Override
  int poolSize() {
    return poolSize;
  }

  @Override
  Slot newSlot() {
    return new Slot() {
      private String pending;

      @Override
      public Connection write() throws SQLException {
        // The caller writes and closes; the GTID is read from the reply before the close.
        Connection c = pools.primary();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class}, (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                try {
                  pending = GtidWait.writtenGtid(c, dialect);
                } finally {
                  c.close();
                }
                return null;
              }
              try {
                return method.invoke(c, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
      }

      @Override
      public Connection read() throws SQLException {
        int i = pools.nextReplica();
        String name = pools.replicaName(i);
        Connection c = pools.replica(i);
        if (pending != null) {
          try {
            metrics.extraQuery(name);
            long start = System.nanoTime();
            boolean reached = GtidWait.await(c, dialect, pending, MAX_WAIT);
            metrics.waited(name, Duration.ofNanos(System.nanoTime() - start), reached);
            if (!reached) {
              throw new SQLException(name + " did not apply " + pending + " within " + MAX_WAIT);
            }
          } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
          }
          pending = null;
        }
        metrics.readRouted(Target.REPLICA, name, Consistency.READ_YOUR_WRITES);
        return c;
      }
    };
  }

  @Override
  String lastTarget() {
    return metrics.lastTarget();
  }

  @Override
  void probe(GtidSet gtids) {
    // Nothing to bring up to date: every read after a write waits on the server.
  }

  @Override
  CountingMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    pools.close();
  }
}
