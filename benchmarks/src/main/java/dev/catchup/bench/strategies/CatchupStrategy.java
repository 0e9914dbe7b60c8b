package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.Pools;
import dev.catchup.monitor.Monitor;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.Consistency;
import dev.catchup.sdk.ReadOptions;
import dev.catchup.sdk.ReadPolicy;
import dev.catchup.sdk.Session;
import dev.catchup.testkit.Topology;
import java.time.Duration;
import java.util.Locale;

/**
 * Catchup's data source with one read policy, following the monitor or asking the replicas
 * directly. The policies of one mode share one data source (and its counters), as one
 * application's reads with different {@link ReadOptions} would; sessions are new per slice.
 */
final class CatchupStrategy implements Strategy {
  private final CatchupDataSource ds;
  private final CountingMetrics metrics;
  private final boolean monitor;
  private final ReadOptions options;

  CatchupStrategy(CatchupDataSource ds, CountingMetrics metrics, boolean monitor, ReadPolicy policy,
      Duration maxWait) {
    this.ds = ds;
    this.metrics = metrics;
    this.monitor = monitor;
    this.options = new ReadOptions(Consistency.READ_YOUR_WRITES, policy, maxWait);
  }

  /**
   * A data source over {@code t} as a service would build it, with full pools (opening
   * connections is not what is measured), the statements counted on the wire, and {@code metrics}.
   *
   * @param monitor the in-process monitor to follow, or null to ask the replicas directly
   */
  static CatchupDataSource dataSource(Topology t, Monitor monitor, int poolSize,
      CountingMetrics metrics) {
    return Pools.catchup(t, monitor, metrics,
        c -> c.addDataSourceProperty(WireCounter.PROPERTY, WireCounter.VALUE)).poolSize(poolSize)
        .build();
  }

  @Override
  public String id() {
    return "catchup-" + options.policy().name().toLowerCase(Locale.ROOT).replace('_', '-')
        + (monitor ? "-monitor" : "");
  }

  @Override
  public String description() {
    return "Catchup, READ_YOUR_WRITES, " + options.policy() + " (maxWait "
        + options.maxWait().toMillis() / 1000.0 + " s), "
        + (monitor ? "following the monitor" : "asking the replica directly");
  }

  @Override
  public CountingMetrics metrics() {
    return metrics;
  }

  @Override
  public Client newClient() {
    Session s = ds.newSession();
    return Client.of(s::getConnection, () -> {
      metrics.clearLastTarget();
      return s.getReadConnection(options);
    });
  }
}
