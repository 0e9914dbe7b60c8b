package dev.catchup.monitor.tracking;

import dev.catchup.gtid.Flavor;
import java.util.ArrayList;
import java.util.List;

/** Starts and stops the trackers of a topology. */
public final class Trackers implements AutoCloseable {
  private final List<ServerTracker> trackers;
  private final HeartbeatWriter heartbeat;

  private Trackers(List<ServerTracker> trackers, HeartbeatWriter heartbeat) {
    this.trackers = trackers;
    this.heartbeat = heartbeat;
  }

  /** Starts one tracker for the primary and one per replica, all publishing to {@code registry}. */
  public static Trackers start(Flavor flavor, Registry registry, TrackerSettings settings,
      ServerEndpoint primary, List<ServerEndpoint> replicas) {
    List<ServerTracker> list = new ArrayList<>();
    list.add(new ServerTracker(primary, Role.PRIMARY, flavor, registry, settings));
    for (ServerEndpoint r : replicas) {
      list.add(new ServerTracker(r, Role.REPLICA, flavor, registry, settings));
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
