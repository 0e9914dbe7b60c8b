package dev.catchup.monitor.tracking;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest status of every server, shared as immutable snapshots behind atomic references.
 * Trackers publish; HTTP handlers, the event stream, the lag history and waiters read.
 *
 * <p>Each replica's lag is computed once per publish (of the replica, or of the primary, which
 * moves every replica's lag) into a {@link ReplicaLag} kept beside its status, so that the many
 * readers (stream, metrics, checks, history, views) share one computation. What grows with the
 * clock is derived when asked, from the injected clock: trust ({@link ServerState}), so a server
 * that stops being confirmed turns UNKNOWN without anyone having to notice, and the ages.
 */
public final class Registry {
  private static final Logger log = LoggerFactory.getLogger(Registry.class);
  private static final int COMMIT_TIMES = 1 << 16;
  /** Most {@link #awaitConfirmed} waiters pending at once. */
  public static final int MAX_WAITERS = 10_000;
  /** Longest timeout {@link #awaitConfirmed} accepts. */
  public static final Duration MAX_WAIT = Duration.ofHours(1);

  private final Flavor flavor;
  private final Clock clock;
  private final Duration staleAfter;
  /**
   * Every server, in configuration order; replaced whole (copy on write, under
   * {@link #publishing}) when the seed list changes, so readers never see it half changed.
   */
  private volatile Map<String, AtomicReference<ServerStatus>> servers;
  /**
   * Every server's lag against the primary, as of the last publish of it or of the primary (the
   * primary's own entry is unused). Replaced and set under {@link #publishing}.
   */
  private volatile Map<String, AtomicReference<ReplicaLag>> lags;
  /** The seed list, in configuration order; replaced under {@link #publishing}. */
  private volatile List<Seed> seeds;
  /** The topology: one immutable value, swapped under {@link #publishing}. */
  private final AtomicReference<ReplicationTopology> topology = new AtomicReference<>();
  /** The primary lag is computed against while there is none: the last one there was. */
  private volatile String lagPrimary;
  private final AtomicLong topologyChanges = new AtomicLong();
  /**
   * Publishes one at a time, so that no replica's lag is left computed against an older primary
   * and each topology change is derived from the statuses it follows.
   */
  private final Object publishing = new Object();
  private final GtidSet empty;
  private final CommitTimes commitTimes = new CommitTimes(COMMIT_TIMES);
  private final Subscriptions subscriptions = new Subscriptions();
  private final Waiters waiters = new Waiters(MAX_WAITERS, s -> state(s) == ServerState.UP);

  /**
   * A registry whose seeds are known by name only (replicas' sources are then matched by
   * server identity).
   *
   * @param flavor GTID flavor of every server
   * @param clock time source for ages and states
   * @param staleAfter a server not confirmed for longer than this is {@link ServerState#UNKNOWN}
   * @param primaryName the configured primary's name
   * @param replicaNames the configured replicas' names, in configuration order
   */
  public Registry(Flavor flavor, Clock clock, Duration staleAfter, String primaryName,
      List<String> replicaNames) {
    this(flavor, clock, staleAfter, Seed.named(primaryName, replicaNames));
  }

  /**
   * @param flavor GTID flavor of every server
   * @param clock time source for ages and states
   * @param staleAfter a server not confirmed for longer than this is {@link ServerState#UNKNOWN}
   * @param seeds the seed list, the configured primary first: the topology starts as the
   *     configuration states it ({@link ReplicationTopology#configured}, generation 1) and follows
   *     what the servers say of themselves from then on
   */
  public Registry(Flavor flavor, Clock clock, Duration staleAfter, List<Seed> seeds) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("seeds must name at least one server");
    }
    this.flavor = flavor;
    this.clock = clock;
    this.staleAfter = staleAfter;
    this.empty = GtidSet.empty(flavor);
    this.seeds = List.copyOf(seeds);
    ReplicationTopology t = ReplicationTopology.configured(seeds.get(0).name(),
        seeds.subList(1, seeds.size()).stream().map(Seed::name).toList());
    topology.set(t);
    lagPrimary = t.primary();
    Map<String, AtomicReference<ServerStatus>> map = new LinkedHashMap<>();
    Map<String, AtomicReference<ReplicaLag>> lagMap = new LinkedHashMap<>();
    for (ReplicationTopology.Member m : t.members()) {
      map.put(m.name(), new AtomicReference<>(ServerStatus.initial(m.name(), m.role(), empty)));
    }
    ServerStatus primary = map.get(t.primary()).get();
    for (Map.Entry<String, AtomicReference<ServerStatus>> e : map.entrySet()) {
      lagMap.put(e.getKey(), new AtomicReference<>(
          ReplicaLag.of(e.getValue().get(), primary, commitTimes, empty)));
    }
    servers = map;
    lags = lagMap;
  }

  public Flavor flavor() {
    return flavor;
  }

  public Clock clock() {
    return clock;
  }

  public Duration staleAfter() {
    return staleAfter;
  }

  /** The topology as last derived: swapped atomically, never changed in place. */
  public ReplicationTopology topology() {
    return topology.get();
  }

  /** Topology changes (new generations) since the registry was made. */
  public long topologyChanges() {
    return topologyChanges.get();
  }

  /** The seed list, in configuration order. */
  public List<Seed> seeds() {
    return seeds;
  }

  /**
   * The primary's latest status; while the topology has none, the last primary there was (its
   * role then says it is not the primary), so that lag stays computed against real sets.
   */
  public ServerStatus primary() {
    Map<String, AtomicReference<ServerStatus>> map = servers;
    String p = topology.get().primary();
    AtomicReference<ServerStatus> ref = p == null ? null : map.get(p);
    if (ref == null) {
      ref = map.get(lagPrimary);
    }
    return ref != null ? ref.get() : map.values().iterator().next().get();
  }

  /** Every replica's latest status (role {@link Role#REPLICA}), in configuration order. */
  public List<ServerStatus> replicas() {
    List<ServerStatus> out = new ArrayList<>();
    for (AtomicReference<ServerStatus> ref : servers.values()) {
      ServerStatus s = ref.get();
      if (s.role() == Role.REPLICA) {
        out.add(s);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Every server that is not the primary (replicas and servers of unknown role), in configuration order. */
  public List<ServerStatus> others() {
    String p = topology.get().primary();
    return servers.values().stream().map(AtomicReference::get).filter(s -> !s.name().equals(p))
        .toList();
  }

  /** Every server's latest status, the primary (if any) first, then configuration order. */
  public List<ServerStatus> all() {
    String p = topology.get().primary();
    List<ServerStatus> out = new ArrayList<>();
    Map<String, AtomicReference<ServerStatus>> map = servers;
    if (p != null && map.containsKey(p)) {
      out.add(map.get(p).get());
    }
    for (AtomicReference<ServerStatus> ref : map.values()) {
      ServerStatus s = ref.get();
      if (!s.name().equals(p)) {
        out.add(s);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The named server's latest status. */
  public Optional<ServerStatus> status(String name) {
    AtomicReference<ServerStatus> ref = servers.get(name);
    return ref == null ? Optional.empty() : Optional.of(ref.get());
  }

  /** Whether what is known of {@code s} can be trusted now. */
  public ServerState state(ServerStatus s) {
    Duration age = s.confirmationAge(clock.instant());
    if (age == null || age.compareTo(staleAfter) > 0 || s.feed() != FeedState.CONNECTED) {
      return ServerState.UNKNOWN;
    }
    return ServerState.UP;
  }

  /**
   * Only {@code lag(replica).secondsBehind()}: what every stream event carries, without the rest
   * of the report.
   */
  public Double secondsBehind(ServerStatus replica) {
    return lagOf(replica).secondsBehind(clock.instant());
  }

  /** The lag of {@code replica} against the primary, as computed when last published. */
  public LagReport lag(ServerStatus replica) {
    ReplicaLag lag = lagOf(replica);
    ServerState state = state(replica) == ServerState.UP && state(lag.primary()) == ServerState.UP
        ? ServerState.UP : ServerState.UNKNOWN;
    return lag.report(state, clock.instant());
  }

  /**
   * The lag computed when {@code replica} (or the primary since) was published; computed now for a
   * status that is not the latest published, against the latest primary, as it always was.
   */
  private ReplicaLag lagOf(ServerStatus replica) {
    AtomicReference<ReplicaLag> ref = lags.get(replica.name());
    ReplicaLag published = ref == null ? null : ref.get();
    ServerStatus primary = primary();
    return published != null && published.replica() == replica && published.primary() == primary
        ? published : ReplicaLag.of(replica, primary, commitTimes, empty);
  }

  /** Replicas that are UP and have confirmed every GTID of {@code gtids}, in configuration order. */
  public List<String> replicasHaving(GtidSet gtids) {
    List<String> out = new ArrayList<>();
    for (ServerStatus r : replicas()) {
      if (state(r) == ServerState.UP && r.confirmed().contains(gtids)) {
        out.add(r.name());
      }
    }
    return out;
  }

  /**
   * Completes with the name of a replica ({@code replica}, or any when null) once it is UP and has
   * confirmed {@code gtids}; at once if one already has. Every waiter costs a check on each
   * published status, so there is a timeout (the future then fails with a
   * {@link java.util.concurrent.TimeoutException}) and at most {@link #MAX_WAITERS} wait at once.
   * Cancel the future to stop waiting sooner.
   *
   * @param timeout how long to wait, between zero (only what is confirmed already) and
   *     {@link #MAX_WAIT}
   * @throws IllegalArgumentException if the timeout is null or out of range
   * @throws RejectedExecutionException if {@link #MAX_WAITERS} are already waiting
   */
  public CompletableFuture<String> awaitConfirmed(GtidSet gtids, String replica, Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException("timeout must be between PT0S and " + MAX_WAIT
          + ", was " + timeout);
    }
    return waiters.add(gtids, replica, timeout, replicas());
  }

  /** Calls {@code listener} with every new topology from now on (under the publish lock: be quick); close to stop. */
  public AutoCloseable subscribeTopology(Consumer<ReplicationTopology> listener) {
    return subscriptions.onTopology(listener);
  }

  /** Calls {@code listener} with every status published from now on; close to stop. */
  public AutoCloseable subscribe(Consumer<ServerStatus> listener) {
    return subscriptions.onStatus(listener);
  }

  /** Number of waiters pending (for metrics). */
  public int pendingWaiters() {
    return waiters.pending();
  }

  /**
   * Replaces the status of {@code s.name()}, derives the topology again from every server's facts
   * ({@link TopologyResolver}), and notifies waiters and subscribers. The status is stored with the
   * server's role in the topology, and with a version above the one it replaces. Called by the
   * trackers; public so that other status sources can feed a registry too.
   *
   * @throws IllegalArgumentException if the server is not in the seed list
   */
  public void publish(ServerStatus s) {
    List<ServerStatus> notify = new ArrayList<>();
    ReplicationTopology before;
    ReplicationTopology after;
    synchronized (publishing) {
      Map<String, AtomicReference<ServerStatus>> map = servers;
      AtomicReference<ServerStatus> ref = map.get(s.name());
      if (ref == null) {
        throw new IllegalArgumentException("unknown server '" + s.name() + "'");
      }
      before = topology.get();
      ServerStatus old = ref.get();
      ref.set(s.as(before.roleOf(s.name()), Math.max(s.version(), old.version() + 1)));
      after = resolve(before);
      if (after == before) {
        ServerStatus stored = ref.get();
        updateLags(stored.name().equals(before.primary()) ? null : stored);
        notify.add(stored);
      } else {
        notify.addAll(adopt(before, after));
      }
    }
    afterPublish(before, after, notify);
  }

  /**
   * Applies a new seed list (a configuration reload): servers added start as never read (role
   * {@link Role#UNKNOWN} until their tracker reads them), servers removed are dropped, and the
   * topology is derived again.
   */
  public void reseed(List<Seed> newSeeds) {
    if (newSeeds.isEmpty()) {
      throw new IllegalArgumentException("seeds must name at least one server");
    }
    List<ServerStatus> notify;
    ReplicationTopology before;
    ReplicationTopology after;
    synchronized (publishing) {
      Map<String, AtomicReference<ServerStatus>> old = servers;
      Map<String, AtomicReference<ServerStatus>> map = new LinkedHashMap<>();
      Map<String, AtomicReference<ReplicaLag>> lagMap = new LinkedHashMap<>();
      for (Seed seed : newSeeds) {
        AtomicReference<ServerStatus> ref = old.get(seed.name());
        map.put(seed.name(), ref != null ? ref
            : new AtomicReference<>(ServerStatus.initial(seed.name(), Role.UNKNOWN, empty)));
        AtomicReference<ReplicaLag> lag = lags.get(seed.name());
        lagMap.put(seed.name(), lag != null ? lag : new AtomicReference<>());
      }
      seeds = List.copyOf(newSeeds);
      servers = map;
      lags = lagMap;
      before = topology.get();
      after = resolve(before);
      notify = adopt(before, after);
    }
    afterPublish(before, after, notify);
  }

  /** The topology the current facts show (the same instance when nothing changed). */
  private ReplicationTopology resolve(ReplicationTopology current) {
    Map<String, ServerFacts> facts = new HashMap<>();
    for (AtomicReference<ServerStatus> ref : servers.values()) {
      ServerStatus st = ref.get();
      if (st.facts() != null) {
        facts.put(st.name(), st.facts());
      }
    }
    return TopologyResolver.resolve(current, seeds, facts);
  }

  /**
   * Swaps in {@code after}: every status takes its new role (with a new version, so that readers
   * holding the old one take it), every lag is computed against the new primary. Under the lock.
   */
  private List<ServerStatus> adopt(ReplicationTopology before, ReplicationTopology after) {
    topology.set(after);
    if (after.primary() != null) {
      lagPrimary = after.primary();
    }
    List<ServerStatus> out = new ArrayList<>();
    for (AtomicReference<ServerStatus> ref : servers.values()) {
      ServerStatus st = ref.get();
      Role role = after.roleOf(st.name());
      if (st.role() != role || after.generation() != before.generation()) {
        st = st.as(role, st.version() + 1);
        ref.set(st);
      }
      out.add(st);
    }
    updateLags(null);
    return out;
  }

  /** Recomputes the lag of {@code changed}, or of every server when null (the primary moved). */
  private void updateLags(ServerStatus changed) {
    ServerStatus primary = primary();
    Map<String, AtomicReference<ServerStatus>> map = servers;
    for (Map.Entry<String, AtomicReference<ReplicaLag>> e : lags.entrySet()) {
      if (changed == null || changed.name().equals(e.getKey())) {
        ServerStatus st = map.get(e.getKey()).get();
        e.getValue().set(ReplicaLag.of(st, primary, commitTimes, empty));
      }
    }
  }

  private void afterPublish(ReplicationTopology before, ReplicationTopology after,
      List<ServerStatus> notify) {
    if (after.generation() != before.generation()) {
      topologyChanges.incrementAndGet();
      String line = TopologyResolver.describe(before, after);
      if (after.primary() == null || after.conflict() != null) {
        log.warn("{}", line);
      } else {
        log.info("{}", line);
      }
    }
    if (after != before) {
      subscriptions.topology(after);
    }
    for (ServerStatus st : notify) {
      if (st.role() == Role.REPLICA) {
        waiters.offer(st);
      }
      subscriptions.status(st);
    }
  }

  CommitTimes commitTimes() {
    return commitTimes;
  }
}
