package dev.catchup.monitor.tracking;

import dev.catchup.gtid.Flavor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts and stops the trackers of a topology. */
public final class Trackers implements AutoCloseable {
  private static final Duration GRANT_CHECK_TIMEOUT = Duration.ofSeconds(3);
  private final List<ServerTracker> trackers;
  private final HeartbeatWriter heartbeat;

  private Trackers(List<ServerTracker> trackers, HeartbeatWriter heartbeat) {
    this.trackers = trackers;
    this.heartbeat = heartbeat;
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
    HeartbeatWriter heartbeat = settings.heartbeatInterval() == null ? null
        : new HeartbeatWriter(primary, settings.heartbeatInterval());
    if (heartbeat != null) {
      heartbeat.start();
    }
    return new Trackers(list, heartbeat);
  }

  @Override
  public void close() {
    if (heartbeat != null) {
      heartbeat.close();
    }
    trackers.forEach(ServerTracker::close);
  }
}
