package dev.catchup.monitor;

import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.http.HttpApi;
import dev.catchup.monitor.topology.Seed;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.Trackers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running monitor: one tracker per server and the HTTP API. Close it to stop everything. */
public final class Monitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Monitor.class);

  private final Registry registry;
  private final Trackers trackers;
  private final HttpApi http;
  /** The configuration running now: the seed list as last reloaded, the rest as started. */
  private MonitorConfig running; // guarded by this

  private Monitor(Registry registry, Trackers trackers, HttpApi http, MonitorConfig config) {
    this.registry = registry;
    this.trackers = trackers;
    this.http = http;
    this.running = config;
  }

  /** Starts tracking every configured server and serving HTTP. */
  public static Monitor start(MonitorConfig config) {
    String version = Version.current();
    log.info("starting Catchup monitor {}: {}", version, config);
    Registry registry = new Registry(config.flavor(), Clock.systemUTC(), config.staleAfter(),
        seeds(config));
    Trackers trackers = Trackers.start(config.flavor(), registry, config.tracker(),
        endpoint(config, config.primary()),
        config.replicas().stream().map(r -> endpoint(config, r)).toList());
    try {
      HttpApi http = HttpApi.start(registry, config.http(), version, null);
      log.info("Catchup monitor serving http://{}:{}/ (status page; API at /status)",
          config.http().bindAddress(), http.port());
      return new Monitor(registry, trackers, http, config);
    } catch (RuntimeException e) {
      trackers.close();
      throw e;
    }
  }

  /** The configured servers, the configured primary first: the seed list of the topology. */
  static List<Seed> seeds(MonitorConfig config) {
    List<Seed> out = new ArrayList<>();
    out.add(new Seed(config.primary().name(), config.primary().host(), config.primary().port()));
    config.replicas().forEach(r -> out.add(new Seed(r.name(), r.host(), r.port())));
    return out;
  }

  private static ServerEndpoint endpoint(MonitorConfig c, MonitorConfig.Server s) {
    return new ServerEndpoint(s.name(), s.host(), s.port(), c.user(), c.password(), c.tls());
  }

  /**
   * Applies a reloaded configuration without a restart: servers added to the seed list are
   * tracked, servers removed are no longer, a server whose address changed is tracked again at the
   * new one, and the topology is derived again. Other settings that differ cannot change while
   * running: they are logged as needing a restart and the running values kept.
   *
   * @return what was applied and what was not
   */
  public synchronized String reload(MonitorConfig loaded) {
    ConfigReload plan = ConfigReload.of(running, loaded);
    if (!plan.serversUnchanged()) {
      MonitorConfig next = new MonitorConfig(running.flavor(), running.user(), running.password(),
          loaded.primary(), loaded.replicas(), running.staleAfter(), running.tracker(),
          running.http(), running.tls());
      List<ServerEndpoint> endpoints = new ArrayList<>();
      endpoints.add(endpoint(next, next.primary()));
      next.replicas().forEach(r -> endpoints.add(endpoint(next, r)));
      trackers.reseed(endpoints, () -> registry.reseed(seeds(next)));
      running = next;
    }
    String line = plan.describe();
    if (plan.needRestart().isEmpty()) {
      log.info("{}", line);
    } else {
      log.warn("{}", line);
    }
    return line;
  }

  /** What the monitor knows, for embedding and tests. */
  public Registry registry() {
    return registry;
  }

  /** The HTTP port actually bound. */
  public int httpPort() {
    return http.port();
  }

  /** Stops the HTTP API, then every tracker. */
  @Override
  public void close() {
    log.info("stopping Catchup monitor");
    http.close();
    trackers.close();
    log.info("Catchup monitor stopped");
  }
}
