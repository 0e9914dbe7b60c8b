package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import dev.catchup.wire.StatusEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the followed monitor's stream has said so far: each replica's view ({@link ReplicaViews}),
 * what each server it calls primary confirmed, and its topology of the highest generation. The
 * reader thread applies events one at a time; anyone reads. Apart from the connection so that the
 * rules of applying an event (versions, demotions, generations) read without any I/O around them.
 */
final class FeedView {
  private final ReplicaViews replicas;
  private final FeedWaiters waiters;
  /** What the monitor last said of each server it calls primary (reader thread writes). */
  private final Map<String, StatusEvent> primaries = new ConcurrentHashMap<>();
  /** The followed stream's topology of the highest generation, or null (reader thread writes). */
  private volatile StatusEvent.Topology topology;
  private volatile Consumer<StatusEvent.Topology> topologyListener = t -> { };

  /** @param waiters woken by each replica view that may satisfy them */
  FeedView(ReplicaViews replicas, FeedWaiters waiters) {
    this.replicas = replicas;
    this.waiters = waiters;
  }

  /**
   * Forgets everything: a new connection (perhaps to another monitor, or a restarted one) starts
   * with a full snapshot whose versions and generations are unrelated to what was held.
   */
  void clear() {
    replicas.clear();
    primaries.clear();
    topology = null;
  }

  /** See {@link MonitorFeed#primaryConfirmed}. */
  GtidSet primaryConfirmed(String server) {
    StatusEvent e = primaries.get(server);
    return e == null ? null : e.confirmed();
  }

  /** See {@link MonitorFeed#onTopology}. */
  void onTopology(Consumer<StatusEvent.Topology> listener) {
    this.topologyListener = listener;
  }

  StatusEvent.Topology topology() {
    return topology;
  }

  /** Applies one status event (reader thread); ignores anything older than what is held. */
  void apply(StatusEvent event) {
    StatusEvent.Topology t = event.topology();
    if (t != null) {
      StatusEvent.Topology held = topology;
      if (held == null || t.generation() > held.generation()) {
        topology = t;
        topologyListener.accept(t);
      }
    }
    StatusEvent before = primaries.get(event.name());
    if (before == null || event.version() >= before.version()) {
      if (event.isPrimary()) {
        // What the primary confirmed it has committed: a token beyond it names transactions it may
        // never have committed (see ReadRouter).
        primaries.put(event.name(), event);
      } else {
        primaries.remove(event.name()); // no longer primary (demoted, or down and unknown)
      }
    }
    if (!event.isReplica()) {
      ReplicaViews.ReplicaView held = replicas.get(event.name());
      if (held != null && held.up() && !event.isPrimary()) {
        // A replica the monitor no longer calls one (down, or writable beside the primary): its
        // last UP view must not route reads to it.
        replicas.update(new ReplicaViews.ReplicaView(event.name(), false, held.confirmed(), null,
            event.version()));
      }
      return;
    }
    ReplicaViews.ReplicaView next = new ReplicaViews.ReplicaView(event.name(), event.isUp(),
        event.confirmed(), event.secondsBehind(), event.version());
    waiters.wakeSatisfied(replicas.update(next));
  }
}
