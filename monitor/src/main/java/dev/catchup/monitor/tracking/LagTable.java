package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every server's lag against the primary ({@link ReplicaLag}), as of the last publish of it or of
 * the primary, with the primary's commit times it is computed from. The {@link Registry} writes it
 * under its publish lock (so no lag is left computed against an older primary); any thread reads
 * it. Kept apart from the registry because it is the one place lag is computed: every consumer
 * (stream, metrics, checks, history, views) reads what a publish computed here instead of counting
 * the sets again.
 */
final class LagTable {
  /** The primary's most recent transactions whose commit times are kept (see {@link CommitTimes}). */
  private static final int COMMIT_TIMES = 1 << 16;

  private final GtidSet empty;
  private final CommitTimes commitTimes = new CommitTimes(COMMIT_TIMES);
  /**
   * Per server, in configuration order (the primary's own entry is unused). Replaced whole by
   * {@link #reseed}, its entries set by {@link #update}: both under the registry's publish lock.
   */
  private volatile Map<String, AtomicReference<ReplicaLag>> lags = Map.of();

  /** @param empty the empty set of the servers' flavor: a lag of a server never read */
  LagTable(GtidSet empty) {
    this.empty = empty;
  }

  /** What the primary's tracker records commit times in. */
  CommitTimes commitTimes() {
    return commitTimes;
  }

  /**
   * Follows a new seed list: servers kept keep their lag, servers added have none until the next
   * {@link #update} (the registry updates every server after a reseed), servers removed are dropped.
   */
  void reseed(Collection<String> names) {
    Map<String, AtomicReference<ReplicaLag>> old = lags;
    Map<String, AtomicReference<ReplicaLag>> next = new LinkedHashMap<>();
    for (String name : names) {
      AtomicReference<ReplicaLag> ref = old.get(name);
      next.put(name, ref != null ? ref : new AtomicReference<>());
    }
    lags = next;
  }

  /** Computes the lag of each of {@code changed} against {@code primary}, for every reader to share. */
  void update(Collection<ServerStatus> changed, ServerStatus primary) {
    Map<String, AtomicReference<ReplicaLag>> map = lags;
    for (ServerStatus s : changed) {
      AtomicReference<ReplicaLag> ref = map.get(s.name());
      if (ref != null) {
        ref.set(ReplicaLag.of(s, primary, commitTimes, empty));
      }
    }
  }

  /**
   * The lag computed when {@code replica} (or {@code primary} since) was published; computed now
   * for a status that is not the latest published (a reader holding an older snapshot), against
   * {@code primary}, as it always was.
   */
  ReplicaLag of(ServerStatus replica, ServerStatus primary) {
    AtomicReference<ReplicaLag> ref = lags.get(replica.name());
    ReplicaLag published = ref == null ? null : ref.get();
    return published != null && published.replica() == replica && published.primary() == primary
        ? published : ReplicaLag.of(replica, primary, commitTimes, empty);
  }
}
