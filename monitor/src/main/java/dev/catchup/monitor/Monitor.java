package dev.catchup.monitor;

import dev.catchup.monitor.http.HttpApi;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.tracking.Trackers;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running monitor: one tracker per server and the HTTP API. Close it to stop everything. */
public final class Monitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Monitor.class);

  private final Registry registry;
  private final Trackers trackers;
  private final HttpApi http;

  private Monitor(Registry registry, Trackers trackers, HttpApi http) {
    this.registry = registry;
    this.trackers = trackers;
    this.http = http;
  }

  /** Starts tracking every configured server and serving HTTP. */
  public static Monitor start(MonitorConfig config) {
    log.info("starting Catchup monitor {}: {}", Version.current(), config);
    Registry registry = new Registry(config.flavor(), Clock.systemUTC(), config.staleAfter(),
        config.primary().name(), config.replicas().stream().map(MonitorConfig.Server::name).toList());
    Trackers trackers = Trackers.start(config.flavor(), registry, config.tracker(),
        endpoint(config, config.primary()),
        config.replicas().stream().map(r -> endpoint(config, r)).toList());
    try {
      HttpApi http = HttpApi.start(registry, config.http(), null);
      log.info("Catchup monitor serving http://{}:{}/ (status page; API at /status)",
          config.http().bindAddress(), http.port());
      return new Monitor(registry, trackers, http);
    } catch (RuntimeException e) {
      trackers.close();
      throw e;
    }
  }

  private static ServerEndpoint endpoint(MonitorConfig c, MonitorConfig.Server s) {
    return new ServerEndpoint(s.name(), s.host(), s.port(), c.user(), c.password(), c.tls());
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
