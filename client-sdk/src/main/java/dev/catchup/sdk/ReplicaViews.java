package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the monitor last said of each replica, and the in-memory routing decision made on it: the
 * whole cost of routing a read whose token a replica already has. Thread-safe: the feed thread
 * updates, readers query.
 */
final class ReplicaViews {

  /** What the monitor last said of one replica. */
  record ReplicaView(String name, boolean up, GtidSet confirmed, Double secondsBehind, long version) {}

  private final Map<String, ReplicaView> views = new ConcurrentHashMap<>();
  /** Made once: a lookup allocates no lambda per call. */
  private final Function<String, ReplicaView> lookup = views::get;

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
    return anyUp(names, lookup);
  }

  /** See {@link #leastLag(List, Function)}; {@code names} are looked up in this view. */
  Double leastLag(List<String> names) {
    return leastLag(names, lookup);
  }

  /** See {@link #best(List, Function, GtidSet, int)}; {@code names} are looked up in this view. */
  String best(List<String> names, GtidSet required, int start) {
    return best(names, lookup, required, start);
  }

  /** See {@link #bestProven(List, Function, GtidSet, int, Fence)}; looked up in this view. */
  Pick bestProven(List<String> names, GtidSet required, int start, Fence fence) {
    return bestProven(names, lookup, required, start, fence);
  }

  // The rules below read each replica's view through {@code view} (null when the monitor said
  // nothing of it), so that the routing decision applies them to its snapshot as well.

  /** True when at least one of {@code replicas} is UP. */
  static <T> boolean anyUp(List<T> replicas, Function<T, ReplicaView> view) {
    for (T r : replicas) {
      ReplicaView v = view.apply(r);
      if (v != null && v.up()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The least lag among UP replicas in {@code replicas}, or null if unknown: when none is UP, or
   * when any UP one reports no lag. A replica of unknown lag may be current (the monitor reports
   * none while the commit time of the one transaction it lacks is not known yet, which is common
   * for a current replica under writes), so the least cannot be told from the others.
   */
  static <T> Double leastLag(List<T> replicas, Function<T, ReplicaView> view) {
    Double least = null;
    for (T r : replicas) {
      ReplicaView v = view.apply(r);
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
   * Among {@code replicas}, an UP replica that has {@code required}: the least behind; ties go to
   * the first in rotation from {@code start}, so equally caught-up replicas share the load. Its
   * name, or null if none has it.
   */
  static <T> String best(List<T> replicas, Function<T, ReplicaView> view, GtidSet required,
      int start) {
    Pick p = pick(replicas, view, required, start, false, null);
    return p == null ? null : p.name();
  }

  /**
   * What the views say of a token, from one walk: the replica to run on, proven, or that some view
   * passes it by sequence number only.
   *
   * @param proven whether {@code name} has the token by the server-aware rule of {@link Coverage};
   *     false when none has it so but some view passes it by sequence number (then {@code name} is
   *     the best of those)
   */
  record Pick(String name, boolean proven) {}

  /**
   * {@link #best(List, Function, GtidSet, int)} where a replica counts as having {@code required}
   * only by the server-aware rule of {@link Coverage#covers} under {@code fence}, which routing
   * decides on (a MariaDB view is a position, which by sequence number alone may pass a GTID lost
   * in a failover); when none has it so, the best that passes by sequence number, not proven. Null
   * when no UP replica passes it at all.
   */
  static <T> Pick bestProven(List<T> replicas, Function<T, ReplicaView> view, GtidSet required,
      int start, Fence fence) {
    return pick(replicas, view, required, start, true, fence);
  }

  /** One walk: proven ones before unproven, then the least behind, then rotation order. */
  private static <T> Pick pick(List<T> replicas, Function<T, ReplicaView> view,
      GtidSet required, int start, boolean prove, Fence fence) {
    ReplicaView best = null;
    boolean bestProven = false;
    double bestLag = Double.MAX_VALUE;
    for (int k = 0; k < replicas.size(); k++) {
      ReplicaView v = view.apply(replicas.get(Math.floorMod(start + k, replicas.size())));
      if (v == null || !v.up()) {
        continue;
      }
      Coverage.Level level = prove ? Coverage.level(v.confirmed(), required, fence)
          : v.confirmed().contains(required) ? Coverage.Level.PROVEN : Coverage.Level.NONE;
      if (level == Coverage.Level.NONE) {
        continue;
      }
      boolean proven = level == Coverage.Level.PROVEN;
      double lag = v.secondsBehind() == null ? Double.MAX_VALUE / 2 : v.secondsBehind();
      if (best == null || (proven && !bestProven) || (proven == bestProven && lag < bestLag)) {
        best = v;
        bestProven = proven;
        bestLag = lag;
      }
    }
    return best == null ? null : new Pick(best.name(), bestProven);
  }
}
