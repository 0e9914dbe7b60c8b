package dev.catchup.bench.harness;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.monitor.Monitor;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupDataSourceBuilder;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.util.function.Consumer;

/**
 * The connections the harnesses measure through, built one way: full pools from the start, since
 * opening connections is not what is measured.
 */
public final class Pools {
  private Pools() {}

  /**
   * A plain HikariCP pool on {@code s}, with {@code size} connections kept open.
   *
   * @param prefix the pool's name before the server's
   * @param more further settings of the harness
   */
  public static HikariDataSource raw(String prefix, Topology t, Server s, int size,
      Consumer<HikariConfig> more) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(prefix + s.name());
    c.setJdbcUrl(s.jdbcUrl());
    c.setUsername(t.user());
    c.setPassword(t.password());
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(size);
    more.accept(c);
    return new HikariDataSource(c);
  }

  /**
   * A Catchup data source over {@code t} as a service would build it, its pools kept full, counting
   * its metrics into {@code metrics}; the harness adds its settings and builds it.
   *
   * @param monitor the in-process monitor to follow, or null to ask the replicas directly
   * @param more further pool settings of the harness
   */
  public static CatchupDataSourceBuilder catchup(Topology t, Monitor monitor,
      CountingMetrics metrics, Consumer<HikariConfig> more) {
    CatchupDataSourceBuilder b = CatchupDataSource.builder()
        .flavor(BenchTable.flavor(t))
        .primary(t.primary().jdbcUrl())
        .credentials(t.user(), t.password())
        .metrics(metrics)
        .configurePools(c -> {
          c.setMinimumIdle(c.getMaximumPoolSize());
          more.accept(c);
        });
    for (Server r : t.replicas()) {
      b.replica(r.name(), r.jdbcUrl());
    }
    if (monitor != null) {
      b.monitor(InProcessMonitor.url(monitor));
    }
    return b;
  }
}
