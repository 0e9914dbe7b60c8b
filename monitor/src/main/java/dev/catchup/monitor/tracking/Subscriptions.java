package dev.catchup.monitor.tracking;

import dev.catchup.monitor.topology.ReplicationTopology;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who hears of the registry's publishes: status listeners (the stream, the lag history) and
 * topology listeners. A listener that throws is logged and skipped; the others still hear.
 */
final class Subscriptions {
  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

  private final List<Consumer<ServerStatus>> statuses = new CopyOnWriteArrayList<>();
  private final List<Consumer<ReplicationTopology>> topologies = new CopyOnWriteArrayList<>();

  AutoCloseable onStatus(Consumer<ServerStatus> listener) {
    statuses.add(listener);
    return () -> statuses.remove(listener);
  }

  AutoCloseable onTopology(Consumer<ReplicationTopology> listener) {
    topologies.add(listener);
    return () -> topologies.remove(listener);
  }

  void status(ServerStatus s) {
    tell(statuses, s, "status");
  }

  void topology(ReplicationTopology t) {
    tell(topologies, t, "topology");
  }

  private static <T> void tell(List<Consumer<T>> listeners, T value, String what) {
    for (Consumer<T> l : listeners) {
      try {
        l.accept(value);
      } catch (RuntimeException e) {
        log.warn("{} listener failed: {}", what, e.toString());
      }
    }
  }
}
