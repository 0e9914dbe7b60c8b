package dev.catchup.spring.autoconfigure;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupDataSourceBuilder;
import java.util.List;
import java.util.Map;

/**
 * Hands each set {@code catchup.*} property to the SDK's builder, one at a time, so that a refused
 * value is reported under the property's own name (the builder's checks name its setting, e.g.
 * {@code maxWait}, which is not what the user wrote). Unset properties keep the SDK's defaults.
 */
final class DataSourceFactory {
  // What build() says is missing (its message starts with the builder's setting) and where it is
  // set. Kept beside the SDK's wording in ServerSettings.checkComplete(); a message not listed here
  // is reported under "catchup" as a whole, never lost.
  private static final Map<String, String> MISSING = Map.of(
      "flavor", "catchup.flavor",
      "primary", "catchup.primary.url",
      "at least one replica", "catchup.replicas",
      "credentials", "catchup.username");

  private DataSourceFactory() {}

  /** Builds the data source; customizers run last, after the properties. */
  static CatchupDataSource build(CatchupProperties p, List<CatchupDataSourceBuilderCustomizer> customizers) {
    CatchupDataSourceBuilder b = CatchupDataSource.builder();
    set("catchup.flavor", p.getFlavor(), () -> b.flavor(p.getFlavor()));
    CatchupProperties.Server primary = p.getPrimary();
    if (primary.getUrl() != null) {
      server("catchup.primary", primary, () -> {
        if (primary.getName() == null) {
          b.primary(primary.getUrl());
        } else {
          b.primary(primary.getName(), primary.getUrl());
        }
      });
    }
    List<CatchupProperties.Server> replicas = p.getReplicas();
    for (int i = 0; i < replicas.size(); i++) {
      CatchupProperties.Server r = replicas.get(i);
      String at = "catchup.replicas[" + i + "]";
      if (r.getName() == null || r.getUrl() == null) {
        throw new CatchupConfigurationException(at + (r.getName() == null ? ".name" : ".url"),
            "every replica needs a name (as the monitor names it) and a url", null);
      }
      server(at, r, () -> b.replica(r.getName(), r.getUrl()));
    }
    if (p.getUsername() != null || p.getPassword() != null) {
      if (p.getUsername() == null) {
        throw new CatchupConfigurationException("catchup.username",
            "catchup.password is set but catchup.username is not", null);
      }
      set("catchup.username", p.getUsername(), () -> b.credentials(p.getUsername(), p.getPassword()));
    }
    set("catchup.consistency", p.getConsistency(), () -> b.consistency(p.getConsistency()));
    set("catchup.read-policy", p.getReadPolicy(), () -> b.readPolicy(p.getReadPolicy()));
    set("catchup.max-wait", p.getMaxWait(), () -> b.maxWait(p.getMaxWait()));
    set("catchup.max-primary-fallbacks-per-second", p.getMaxPrimaryFallbacksPerSecond(),
        () -> b.maxPrimaryFallbacksPerSecond(p.getMaxPrimaryFallbacksPerSecond()));
    List<String> monitors = p.getMonitors();
    for (int i = 0; i < monitors.size(); i++) {
      String url = monitors.get(i);
      set("catchup.monitors[" + i + "]", url, () -> b.monitor(url));
    }
    set("catchup.monitor-token", p.getMonitorToken(), () -> b.monitorToken(p.getMonitorToken()));
    set("catchup.monitor-max-staleness", p.getMonitorMaxStaleness(),
        () -> b.monitorMaxStaleness(p.getMonitorMaxStaleness()));
    set("catchup.topology-check-interval", p.getTopologyCheckInterval(),
        () -> b.topologyCheckInterval(p.getTopologyCheckInterval()));
    set("catchup.reads-on-primary", p.getReadsOnPrimary(), () -> b.readsOnPrimary(p.getReadsOnPrimary()));
    CatchupProperties.Pool pool = p.getPool();
    set("catchup.pool.size", pool.getSize(), () -> b.poolSize(pool.getSize()));
    set("catchup.pool.connect-timeout", pool.getConnectTimeout(),
        () -> b.connectTimeout(pool.getConnectTimeout()));
    set("catchup.pool.replica-connect-timeout", pool.getReplicaConnectTimeout(),
        () -> b.replicaConnectTimeout(pool.getReplicaConnectTimeout()));
    for (CatchupDataSourceBuilderCustomizer c : customizers) {
      c.customize(b);
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw new CatchupConfigurationException(missingProperty(e.getMessage()), e.getMessage(), e);
    }
  }

  /** The property that sets what {@code build()}'s message says is missing. */
  static String missingProperty(String message) {
    String m = message == null ? "" : message;
    return MISSING.entrySet().stream()
        .filter(e -> m.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse("catchup");
  }

  private static void set(String property, Object value, Runnable apply) {
    if (value == null) {
      return;
    }
    try {
      apply.run();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CatchupConfigurationException(property, e.getMessage(), e);
    }
  }

  // A server's name and URL are checked by one builder call: the SDK's message says which of the
  // two it refused ("... name must match ...", "server name 'x' is used twice" vs. the URL's rules).
  private static void server(String at, CatchupProperties.Server s, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      boolean name = m.contains(" name must match") || m.startsWith("server name");
      throw new CatchupConfigurationException(at + (name ? ".name" : ".url"), m, e);
    }
  }
}
