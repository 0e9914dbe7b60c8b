package dev.catchup.spring.autoconfigure;

import dev.catchup.sdk.CatchupDataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the health indicator and the info contributor show of the data source's routing. */
final class RoutingView {
  private RoutingView() {}

  /** {@code monitor} while reads follow a monitor, else {@code direct} (asking the servers). */
  static String mode(CatchupDataSource.RoutingHealth health) {
    return health.followingMonitor() ? "monitor" : "direct";
  }

  /** Mode, flavor, servers, monitors and the SDK's reason, in that order. */
  static Map<String, Object> details(CatchupDataSource ds, List<String> monitors) {
    CatchupDataSource.RoutingHealth health = ds.routingHealth();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mode", mode(health));
    d.put("flavor", ds.flavor().name());
    d.put("primary", ds.primaryName());
    d.put("replicas", ds.replicaNames());
    d.put("monitors", monitors);
    d.put("reason", health.reason());
    return d;
  }
}
