package dev.catchup.bench.routing;

import com.zaxxer.hikari.HikariConfigMXBean;
import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.InProcessMonitor;
import dev.catchup.bench.harness.Pools;
import dev.catchup.bench.harness.RawPools;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.Monitor;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupDataSourceBuilder;
import dev.catchup.sdk.Consistency;
import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.sdk.ReadOptions;
import dev.catchup.sdk.ReadPolicy;
import dev.catchup.sdk.Session;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMX;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The reads and writes under test, one way or another: a plain pool per server ({@link Mode#RAW}) or
 * a {@link CatchupDataSource} with or without the monitor. A {@link Slot} is one writer's context:
 * a Catchup session (its token grows with each write), or nothing for raw pools.
 */
abstract sealed class Access implements AutoCloseable
    permits Access.Raw, Access.Catchup, ProxyWait {
  /** Policy and bound of every Catchup read here: wait, never fall back to the primary on purpose. */
  static final ReadPolicy POLICY = ReadPolicy.WAIT;
  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  private final Mode mode;

  Access(Mode mode) {
    this.mode = mode;
  }

  Mode mode() {
    return mode;
  }

  /** Maximum connections of each pool (every pool is kept full: minimum idle = maximum). */
  abstract int poolSize();

  /** A new writer context. */
  abstract Slot newSlot();

  /** Where this thread's last read went (a replica's name or {@code primary}); null if unknown. */
  abstract String lastTarget();

  /**
   * Makes sure the router's view covers {@code gtids} before a measurement: for the monitor mode a
   * read observing them, which returns once the SDK has the monitor's confirmation; no-op otherwise.
   */
  abstract void probe(GtidSet gtids) throws SQLException;

  /** The SDK's counters, or null for raw pools. */
  abstract CountingMetrics metrics();

  @Override
  public abstract void close();

  /** One writer's context. */
  interface Slot {
    /** A connection for a write (the primary). */
    Connection write() throws SQLException;

    /** A connection for a read (a replica, or wherever Catchup routes it). */
    Connection read() throws SQLException;
  }

  static Access raw(Topology t, int poolSize) {
    return new Raw(t, poolSize);
  }

  /**
   * A Catchup data source over {@code t}: policy {@link #POLICY} up to {@link #MAX_WAIT}, pools of
   * {@code poolSize} kept full, HikariCP MBeans registered when {@code mbeans} (pool names must then
   * be unique in the JVM: one such data source at a time).
   *
   * @param monitor null for {@link Mode#DIRECT}
   * @param poolSize null for the SDK's default, which is then read back from the pool's
   *     configuration MBean (so {@code mbeans} must be true)
   */
  static Catchup catchup(Topology t, Monitor monitor, Integer poolSize, boolean mbeans) {
    if (poolSize == null && !mbeans) {
      throw new IllegalArgumentException("the SDK's default pool size is read through the MBeans: "
          + "mbeans must be true when poolSize is null");
    }
    return new Catchup(t, monitor, poolSize, mbeans);
  }

  static final class Raw extends Access {
    private final RawPools pools;
    private final ThreadLocal<String> last = new ThreadLocal<>();
    private final int poolSize;

    private Raw(Topology t, int poolSize) {
      super(Mode.RAW);
      this.poolSize = poolSize;
      this.pools = new RawPools(t, poolSize, "raw-", false, c -> { });
    }

    @Override
    Slot newSlot() {
      return new Slot() {
        @Override
        public Connection write() throws SQLException {
          return pools.primary();
        }

        @Override
        public Connection read() throws SQLException {
          // Round robin, as a naive read/write splitter would do.
          int i = pools.nextReplica();
          last.set(pools.replicaName(i));
          return pools.replica(i);
        }
      };
    }

    @Override
    int poolSize() {
      return poolSize;
    }

    @Override
    String lastTarget() {
      return last.get();
    }

    @Override
    void probe(GtidSet gtids) {
      // A plain pool has no view to bring up to date.
    }

    @Override
    CountingMetrics metrics() {
      return null;
    }

    @Override
    public void close() {
      pools.close();
    }
  }

  static final class Catchup extends Access {
    private final CatchupDataSource ds;
    private final CountingMetrics metrics = new CountingMetrics();
    private final int poolSize;
    private final List<String> replicaPools = new ArrayList<>();

    private Catchup(Topology t, Monitor monitor, Integer poolSize, boolean mbeans) {
      super(monitor == null ? Mode.DIRECT : Mode.MONITOR);
      CatchupDataSourceBuilder b = Pools.catchup(t, monitor, metrics,
          c -> c.setRegisterMbeans(mbeans)).readPolicy(POLICY).maxWait(MAX_WAIT);
      if (poolSize != null) {
        b.poolSize(poolSize);
      }
      for (Server r : t.replicas()) {
        replicaPools.add(POOL_PREFIX + r.name());
      }
      this.ds = b.build();
      this.poolSize = poolSize != null ? poolSize : configuredPoolSize(replicaPools.get(0));
    }

    /** The SDK names its pools {@code catchup-<server>}: the primary's, then one per replica. */
    static final String POOL_PREFIX = "catchup-";

    /** Every pool: the primary's first. */
    List<String> poolNames() {
      List<String> all = new ArrayList<>();
      all.add(POOL_PREFIX + "primary");
      all.addAll(replicaPools);
      return all;
    }

    List<String> replicaPoolNames() {
      return List.copyOf(replicaPools);
    }

    private static int configuredPoolSize(String pool) {
      try {
        return JMX.newMBeanProxy(ManagementFactory.getPlatformMBeanServer(),
            new ObjectName("com.zaxxer.hikari:type=PoolConfig (" + pool + ")"),
            HikariConfigMXBean.class).getMaximumPoolSize();
      } catch (MalformedObjectNameException e) {
        throw new IllegalArgumentException("pool name '" + pool + "' makes no MBean name", e);
      }
    }

    @Override
    int poolSize() {
      return poolSize;
    }

    /** Waits until reads follow the monitor (monitor mode only). */
    void awaitFollowingMonitor(Duration timeout) throws InterruptedException {
      InProcessMonitor.awaitFollowing(ds, timeout);
    }

    @Override
    Slot newSlot() {
      Session s = ds.newSession();
      return new Slot() {
        @Override
        public Connection write() throws SQLException {
          return s.getConnection();
        }

        @Override
        public Connection read() throws SQLException {
          metrics.clearLastTarget();
          return s.getReadConnection();
        }
      };
    }

    @Override
    String lastTarget() {
      return metrics.lastTarget();
    }

    @Override
    void probe(GtidSet gtids) throws SQLException {
      if (mode() != Mode.MONITOR) {
        return; // in direct mode a probe would teach the router what the measured reads must ask
      }
      Session s = ds.newSession().observe(ConsistencyToken.of(gtids));
      try (Connection c = s.getReadConnection(new ReadOptions(Consistency.READ_YOUR_WRITES, POLICY, MAX_WAIT));
           Statement st = c.createStatement()) {
        st.execute("SELECT 1");
      }
    }

    @Override
    CountingMetrics metrics() {
      return metrics;
    }

    @Override
    public void close() {
      ds.close();
    }
  }
}
