package dev.catchup.bench.harness;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.dialect.Dialect;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Plain HikariCP pools, one per server ({@link Pools#raw}: kept full), for the modes and
 * strategies that are not Catchup, with the replicas in one rotation. The primary's may report
 * each write's GTID in its reply (session state tracking), as Catchup's does, so that a mode that
 * waits for GTIDs can learn them the way proxies do.
 */
public final class RawPools implements AutoCloseable {
  private final HikariDataSource primary;
  private final List<HikariDataSource> replicas = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  /**
   * @param prefix the pools' names before the servers'
   * @param trackGtids whether the primary's replies carry each write's GTID
   * @param each more settings of every pool
   */
  public RawPools(Topology t, int poolSize, String prefix, boolean trackGtids,
      Consumer<HikariConfig> each) {
    HikariDataSource p = null;
    try {
      p = Pools.raw(prefix, t, t.primary(), poolSize, c -> {
        each.accept(c);
        if (trackGtids) {
          // The same properties the SDK sets on its primary pool.
          Dialect.of(t.flavor()).trackingDriverProperties().forEach(c::addDataSourceProperty);
        }
      });
      for (Server r : t.replicas()) {
        replicas.add(Pools.raw(prefix, t, r, poolSize, each));
        names.add(r.name());
      }
    } catch (RuntimeException e) {
      if (p != null) {
        p.close();
      }
      replicas.forEach(HikariDataSource::close);
      throw e;
    }
    this.primary = p;
  }

  public Connection primary() throws SQLException {
    return primary.getConnection();
  }

  /** The next replica in rotation (all sessions share the rotation, as a load balancer's). */
  public int nextReplica() {
    return Math.floorMod(next.getAndIncrement(), replicas.size());
  }

  public Connection replica(int i) throws SQLException {
    return replicas.get(i).getConnection();
  }

  public String replicaName(int i) {
    return names.get(i);
  }

  /** The replicas' names, in rotation order. */
  public List<String> replicaNames() {
    return List.copyOf(names);
  }

  public int replicaCount() {
    return replicas.size();
  }

  @Override
  public void close() {
    primary.close();
    replicas.forEach(HikariDataSource::close);
  }
}
