package dev.catchup.monitor.tracking;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.background.Background;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts and stops the trackers of a topology. */
public final class Trackers implements AutoCloseable {
  private static final Duration GRANT_CHECK_TIMEOUT = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(Trackers.class);
  /**
   * How long {@link #close()} waits for every thread in total. A tracker blocked on a hung server
   * ends within the JDBC socket timeout (5 s); all stop at once, so this bounds the whole close.
   */
  static final Duration CLOSE_BUDGET = Duration.ofSeconds(8);

  private final List<Background> components;

  private Trackers(List<Background> components) {
    this.components = components;
  }

  /**
   * Checks the user's grants on every server (see {@link MonitorGrants}), then starts one tracker
   * for the primary and one per replica, all publishing to {@code registry}.
   *
   * @throws MissingGrantsException when a server reached now lacks a grant (a server not reachable
   *     now is checked when its tracker first connects, and what it lacks reported as its error)
   */
  public static Trackers start(Flavor flavor, Registry registry, TrackerSettings settings,
      ServerEndpoint primary, List<ServerEndpoint> replicas) {
    GrantCheck grants = new GrantCheck(flavor, settings.heartbeatInterval() != null, GRANT_CHECK_TIMEOUT);
    List<ServerEndpoint> unchecked = grants.verify(primary, replicas);
    List<ServerTracker> list = new ArrayList<>();
    list.add(new ServerTracker(primary, Role.PRIMARY, flavor, registry, settings));
    for (ServerEndpoint r : replicas) {
      list.add(new ServerTracker(r, Role.REPLICA, flavor, registry, settings));
    }
    for (int i = 0; i < list.size(); i++) {
      if (unchecked.contains(i == 0 ? primary : replicas.get(i - 1))) {
        list.get(i).checkGrantsWhenConnected(grants);
      }
    }
    list.forEach(ServerTracker::start);
    List<Background> components = new ArrayList<>();
    if (settings.heartbeatInterval() != null) {
      Duration every = settings.heartbeatInterval();
      HeartbeatWriter heartbeat = new HeartbeatWriter(primary, every, new Backoff(every,
          every.compareTo(settings.reconnectBackoffMax()) > 0 ? every : settings.reconnectBackoffMax()));
      heartbeat.start();
      components.add(heartbeat);
    }
    components.addAll(list);
    return new Trackers(List.copyOf(components));
  }

  /** Stops every tracker in parallel, waiting at most {@link #CLOSE_BUDGET} in total. */
  @Override
  public void close() {
    List<String> left = Background.stopAll(components, CLOSE_BUDGET);
    if (!left.isEmpty()) {
      // Daemon threads: they cannot keep the JVM alive, and each ends with its socket timeout.
      log.warn("still stopping after {}: {}", CLOSE_BUDGET, String.join(", ", left));
    }
  }
}
