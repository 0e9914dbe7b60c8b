package dev.catchup.monitor.tracking;

import dev.catchup.background.Background;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.grants.GrantCheck;
import dev.catchup.monitor.heartbeat.HeartbeatWriter;
import dev.catchup.monitor.topology.Role;
import dev.catchup.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the trackers of a topology, and adds or removes them when the seed list
 * changes ({@link #reseed}). The heartbeat writer (heartbeat mode) writes on whichever server the
 * registry's topology names the primary.
 */
public final class Trackers implements AutoCloseable {
  private static final Duration GRANT_CHECK_TIMEOUT = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(Trackers.class);
  /**
   * How long {@link #close()} waits for every thread in total. A tracker blocked on a hung server
   * ends within the JDBC socket timeout (5 s); all stop at once, so this bounds the whole close.
   */
  static final Duration CLOSE_BUDGET = Duration.ofSeconds(8);

  private final Flavor flavor;
  private final Registry registry;
  private final TrackerSettings settings;
  private final GrantCheck grants;
  private final HeartbeatWriter heartbeat;
  /** The trackers by server name, in seed order; guarded by this. */
  private final Map<String, ServerTracker> trackers = new LinkedHashMap<>();
  /** Each tracked server's endpoint; replaced whole, so the heartbeat writer reads it unlocked. */
  private volatile Map<String, ServerEndpoint> endpoints = Map.of();
  private boolean closed; // guarded by this

  private Trackers(Flavor flavor, Registry registry, TrackerSettings settings, GrantCheck grants) {
    this.flavor = flavor;
    this.registry = registry;
    this.settings = settings;
    this.grants = grants;
    if (settings.heartbeatInterval() != null) {
      Duration every = settings.heartbeatInterval();
      heartbeat = new HeartbeatWriter(this::currentPrimary, every, new Backoff(every,
          every.compareTo(settings.reconnectBackoffMax()) > 0 ? every : settings.reconnectBackoffMax()),
          registry.clock());
    } else {
      heartbeat = null;
    }
  }

  /**
   * Checks the user's grants on every server (see
   * {@link dev.catchup.monitor.grants.MonitorGrants}), then starts one tracker for the primary and
   * one per replica, all publishing to {@code registry}.
   *
   * @throws dev.catchup.monitor.grants.MissingGrantsException when a server reached now lacks a
   *     grant (a server not reachable now is checked once it answers its tracker, and what it
   *     lacks reported as its error)
   */
  public static Trackers start(Flavor flavor, Registry registry, TrackerSettings settings,
      ServerEndpoint primary, List<ServerEndpoint> replicas) {
    GrantCheck grants = new GrantCheck(flavor, settings.heartbeatInterval() != null, GRANT_CHECK_TIMEOUT);
    List<ServerEndpoint> unchecked = grants.verify(primary, replicas);
    Trackers t = new Trackers(flavor, registry, settings, grants);
    List<ServerEndpoint> all = new ArrayList<>();
    all.add(primary);
    all.addAll(replicas);
    synchronized (t) {
      for (ServerEndpoint e : all) {
        t.track(e, registry.topology().roleOf(e.name()), unchecked.contains(e));
      }
    }
    if (t.heartbeat != null) {
      t.heartbeat.start();
    }
    return t;
  }

  /** The endpoint of the topology's primary, or null when there is none. */
  private ServerEndpoint currentPrimary() {
    String p = registry.topology().primary();
    return p == null ? null : endpoints.get(p);
  }

  private void track(ServerEndpoint e, Role role, boolean checkLater) {
    ServerTracker tracker = new ServerTracker(e, role, flavor, registry, settings);
    if (checkLater) {
      tracker.checkGrantsOnceAnswered(grants::checkLater);
    }
    trackers.put(e.name(), tracker);
    Map<String, ServerEndpoint> m = new LinkedHashMap<>(endpoints);
    m.put(e.name(), e);
    endpoints = Map.copyOf(m);
    tracker.start();
  }

  /**
   * Tracks exactly {@code wanted} (in the registry's seed order): starts a tracker for each server
   * not tracked yet (its grants checked once it answers) and stops the tracker of each
   * server no longer wanted, or whose address changed (it is tracked again at the new one).
   * {@code between} runs after the stops and before the starts: where the registry is
   * {@link Registry#reseed reseeded}, so that no stopping tracker publishes a server the registry
   * dropped and no new one publishes a server it does not know yet.
   *
   * @return what was started and stopped, for the log
   */
  public synchronized List<String> reseed(List<ServerEndpoint> wanted, Runnable between) {
    if (closed) {
      throw new IllegalStateException("trackers are closed");
    }
    List<String> changes = new ArrayList<>();
    Map<String, ServerEndpoint> byName = new LinkedHashMap<>();
    wanted.forEach(e -> byName.put(e.name(), e));
    List<ServerTracker> stopping = new ArrayList<>();
    for (String name : List.copyOf(trackers.keySet())) {
      ServerEndpoint want = byName.get(name);
      ServerEndpoint have = endpoints.get(name);
      if (want == null || !sameAddress(want, have)) {
        stopping.add(trackers.remove(name));
        Map<String, ServerEndpoint> m = new LinkedHashMap<>(endpoints);
        m.remove(name);
        endpoints = Map.copyOf(m);
        changes.add("untracked " + name);
      }
    }
    List<String> left = Background.stopAll(stopping, CLOSE_BUDGET);
    if (!left.isEmpty()) {
      log.warn("still stopping after {}: {}", CLOSE_BUDGET, String.join(", ", left));
    }
    between.run();
    for (ServerEndpoint e : wanted) {
      if (!trackers.containsKey(e.name())) {
        track(e, registry.topology().roleOf(e.name()), true);
        changes.add("tracking " + e.name());
      }
    }
    return changes;
  }

  private static boolean sameAddress(ServerEndpoint a, ServerEndpoint b) {
    return b != null && a.host().equals(b.host()) && a.port() == b.port();
  }

  /** Names of the servers tracked now. */
  public synchronized List<String> tracked() {
    return List.copyOf(trackers.keySet());
  }

  /** Stops every tracker in parallel, waiting at most {@link #CLOSE_BUDGET} in total. */
  @Override
  public void close() {
    List<Background> components = new ArrayList<>();
    synchronized (this) {
      closed = true;
      if (heartbeat != null) {
        components.add(heartbeat);
      }
      components.addAll(trackers.values());
    }
    List<String> left = Background.stopAll(components, CLOSE_BUDGET);
    if (!left.isEmpty()) {
      // Daemon threads: they cannot keep the JVM alive, and each ends with its socket timeout.
      log.warn("still stopping after {}: {}", CLOSE_BUDGET, String.join(", ", left));
    }
  }
}
