package dev.catchup.monitor;

import dev.catchup.monitor.http.HttpApi;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.tracking.Seed;
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

  private Monitor(Registry registry, Trackers trackers, HttpApi http) {
    this.registry = registry;
    this.trackers = trackers;
    this.http = http;
  }

  /** Starts tracking every configured server and serving HTTP. */
  public static Monitor start(MonitorConfig config) {
    log.info("starting Catchup monitor: {}", config);
    Registry registry = new Registry(config.flavor(), Clock.systemUTC(), config.staleAfter(),
        seeds(config));
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
