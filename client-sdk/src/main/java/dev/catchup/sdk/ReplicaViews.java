package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the monitor last said of each replica, and the in-memory routing decision made on it: the
 * whole cost of routing a read whose token a replica already has. Thread-safe: the feed thread
 * updates, readers query.
 */
final class ReplicaViews {

  /** What the monitor last said of one replica. */
  record ReplicaView(String name, boolean up, GtidSet confirmed, Double secondsBehind, long version) {}

  private final Map<String, ReplicaView> views = new ConcurrentHashMap<>();

  /** Keeps {@code next} unless a newer version is held; returns what is held afterwards. */
  ReplicaView update(ReplicaView next) {
    return views.merge(next.name(), next, (old, nu) -> nu.version() >= old.version() ? nu : old);
  }

  /** Forgets everything (a new stream starts with a full snapshot). */
  void clear() {
    views.clear();
  }

  ReplicaView get(String name) {
    return views.get(name);
  }

  /** True when at least one of {@code names} is UP. */
  boolean anyUp(List<String> names) {
    for (String n : names) {
      ReplicaView v = views.get(n);
      if (v != null && v.up()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The least lag among UP replicas in {@code names}, or null if unknown: when none is UP, or when
   * any UP one reports no lag. A replica of unknown lag may be current (the monitor reports none
   * while the commit time of the one transaction it lacks is not known yet, which is common for a
   * current replica under writes), so the least cannot be told from the others.
   */
  Double leastLag(List<String> names) {
    Double least = null;
    for (String n : names) {
      ReplicaView v = views.get(n);
      if (v == null || !v.up()) {
        continue;
      }
      if (v.secondsBehind() == null) {
        return null;
      }
      if (least == null || v.secondsBehind() < least) {
        least = v.secondsBehind();
      }
    }
    return least;
  }

  /**
   * Among {@code names}, an UP replica that has {@code required}: the least behind; ties go to the
   * first in rotation from {@code start}, so equally caught-up replicas share the load. Null if
   * none has it.
   */
  String best(List<String> names, GtidSet required, int start) {
    String best = null;
    double bestLag = Double.MAX_VALUE;
    for (int k = 0; k < names.size(); k++) {
      String n = names.get(Math.floorMod(start + k, names.size()));
      ReplicaView v = views.get(n);
      if (v != null && v.up() && v.confirmed().contains(required)) {
        double lag = v.secondsBehind() == null ? Double.MAX_VALUE / 2 : v.secondsBehind();
        if (best == null || lag < bestLag) {
          best = n;
          bestLag = lag;
        }
      }
    }
    return best;
  }
}
