package dev.catchup.monitor.tracking;

import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.topology.Seed;
import dev.catchup.monitor.topology.ServerFacts;
import dev.catchup.monitor.topology.TopologyResolver;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology as last derived from the servers' facts ({@link TopologyResolver}), the primary
 * lag is computed against, and the changes so far. The {@link Registry} derives and swaps it under
 * its publish lock, and announces a change after; any thread reads it. Kept apart from the
 * registry's statuses because it follows them: it is derived from them, never set by a tracker.
 */
final class CurrentTopology {
  // The registry's logger: a topology change is what the registry saw, wherever it is computed.
  private static final Logger log = LoggerFactory.getLogger(Registry.class);

  /**
   * The topology and the primary lag is computed against: the topology's, or while it has none the
   * last it had. One immutable value, swapped whole, so that a reader never sees a topology with
   * the lag primary of another (two fields written one after the other could be read between).
   */
  private record State(ReplicationTopology topology, String lagPrimary) {}

  private final AtomicReference<State> state;
  private final AtomicLong changes = new AtomicLong();

  CurrentTopology(ReplicationTopology initial) {
    state = new AtomicReference<>(new State(initial, initial.primary()));
  }

  ReplicationTopology get() {
    return state.get().topology();
  }

  /** The topology's primary, or while it has none the last one it had. */
  String lagPrimary() {
    return state.get().lagPrimary();
  }

  /** New generations since the registry was made. */
  long changes() {
    return changes.get();
  }

  /** The topology {@code statuses} show (the current instance when nothing changed). */
  ReplicationTopology resolve(List<Seed> seeds, Collection<ServerStatus> statuses) {
    Map<String, ServerFacts> facts = new HashMap<>();
    for (ServerStatus st : statuses) {
      if (st.facts() != null) {
        facts.put(st.name(), st.facts());
      }
    }
    return TopologyResolver.resolve(get(), seeds, facts);
  }

  /** Swaps in {@code after}; called under the registry's publish lock, so never concurrently. */
  void set(ReplicationTopology after) {
    String lag = after.primary() != null ? after.primary() : state.get().lagPrimary();
    state.set(new State(after, lag));
  }

  /**
   * Counts and logs the change from {@code before} to {@code after}, if it is one: WARN when it
   * leaves no primary or a conflict (reads then go by the last primary), else INFO.
   */
  void announce(ReplicationTopology before, ReplicationTopology after) {
    if (after.generation() == before.generation()) {
      return;
    }
    changes.incrementAndGet();
    String line = TopologyResolver.describe(before, after);
    if (after.primary() == null || after.conflict() != null) {
      log.warn("{}", line);
    } else {
      log.info("{}", line);
    }
  }
}
