package dev.catchup.bench.strategies;

import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.Pools;
import dev.catchup.dialect.Dialect;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain HikariCP pools, one per server, shared by the strategies that are not Catchup. Every pool
 * is kept full (minimum idle = maximum) and counted on the wire ({@link WireCounter}); the
 * primary's reports each write's GTID in its reply (session state tracking), as Catchup's does, so
 * that the strategy that waits for GTIDs can learn them the way proxies do and the others pay the
 * same few bytes per reply.
 */
final class RawPools implements AutoCloseable {
  private final HikariDataSource primary;
  private final List<HikariDataSource> replicas = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  RawPools(Topology t, int poolSize) {
    HikariDataSource p = null;
    try {
      p = pool(t, t.primary(), poolSize, true);
      for (Server r : t.replicas()) {
        replicas.add(pool(t, r, poolSize, false));
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

  private static HikariDataSource pool(Topology t, Server s, int poolSize, boolean isPrimary) {
    return Pools.raw("strategies-", t, s, poolSize, c -> {
      c.addDataSourceProperty(WireCounter.PROPERTY, WireCounter.VALUE);
      if (isPrimary) {
        // The same properties the SDK sets on its primary pool.
        Dialect.of(BenchTable.flavor(t)).trackingDriverProperties().forEach(c::addDataSourceProperty);
      }
    });
  }

  Connection primary() throws SQLException {
    return primary.getConnection();
  }

  /** The next replica in rotation (all sessions share the rotation, as a load balancer's). */
  int nextReplica() {
    return Math.floorMod(next.getAndIncrement(), replicas.size());
  }

  Connection replica(int i) throws SQLException {
    return replicas.get(i).getConnection();
  }

  String replicaName(int i) {
    return names.get(i);
  }

  int replicaCount() {
    return replicas.size();
  }

  @Override
  public void close() {
    primary.close();
    replicas.forEach(HikariDataSource::close);
  }
}
