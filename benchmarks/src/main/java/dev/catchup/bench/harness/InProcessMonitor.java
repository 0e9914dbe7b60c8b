package dev.catchup.bench.harness;

import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.MonitorConfig;
import dev.catchup.monitor.grants.MonitorGrants;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.testkit.Topology;
import java.sql.SQLException;
import java.time.Duration;

/** The Catchup monitor run inside the benchmark's JVM, beside a topology, as a service would. */
public final class InProcessMonitor {
  private InProcessMonitor() {}

  private static final String USER = "catchup_monitor";
  private static final String PASSWORD = "monitor-secret";

  /**
   * Starts a monitor over {@code t} with its documented defaults, on an ephemeral loopback port,
   * as a user with exactly its documented grants (monitor/README.md), as a deployment would.
   */
  public static Monitor start(Topology t) {
    return start(t, new HttpSettings("127.0.0.1", 0, null, Duration.ofSeconds(1),
        Duration.ofSeconds(30)));
  }

  /** As {@link #start(Topology)}, with these HTTP settings. */
  public static Monitor start(Topology t, HttpSettings http) {
    try {
      t.createUser(USER, PASSWORD, MonitorGrants.statements(BenchTable.flavor(t), false,
          MonitorGrants.account(USER, "%")));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the monitor's user: " + e.getMessage(), e);
    }
    return Monitor.start(new MonitorConfig(BenchTable.flavor(t), USER, PASSWORD,
        // Named as the topology names them: after a failover the primary may be "replica1".
        new MonitorConfig.Server(t.primary().name(), t.primary().host(), t.primary().port()),
        t.replicas().stream().map(r -> new MonitorConfig.Server(r.name(), r.host(), r.port())).toList(),
        Duration.ofSeconds(3), TrackerSettings.DEFAULTS, http));
  }

  /** The base URL a {@code CatchupDataSource} subscribes to. */
  public static String url(Monitor m) {
    return "http://127.0.0.1:" + m.httpPort();
  }

  /**
   * Waits until the monitor reports every server UP.
   *
   * @throws IllegalStateException when it does not within {@code timeout}
   */
  public static void awaitUp(Registry registry, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!registry.all().stream().allMatch(s -> registry.state(s) == ServerState.UP)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the monitor did not see every server UP within "
            + timeout + ": " + registry.all());
      }
      Thread.sleep(10); // polling a condition, not standing in for one
    }
  }

  /** Waits until {@code ds} routes on its monitor; returns at once if it has none. */
  public static void awaitFollowing(dev.catchup.sdk.CatchupDataSource ds, Duration timeout)
      throws InterruptedException {
    if (!ds.routingHealth().monitorConfigured()) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ds.routingHealth().followingMonitor()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the data source did not follow the monitor within "
            + timeout + ": " + ds.routingHealth().reason());
      }
      Thread.sleep(10); // polling a condition the SDK offers no callback for
    }
  }
}
