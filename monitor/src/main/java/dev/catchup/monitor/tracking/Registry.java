package dev.catchup.monitor.tracking;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.topology.Seed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The latest status of every server, shared as immutable snapshots behind atomic references.
 * Trackers publish; HTTP handlers, the event stream, the lag history and waiters read.
 *
 * <p>Each replica's lag is computed once per publish (of the replica, or of the primary, which
 * moves every replica's lag) into a {@link ReplicaLag} kept beside its status, so that the many
 * readers (stream, metrics, checks, history, views) share one computation. What grows with the
 * clock is derived when asked, from the injected clock: trust ({@link ServerState}), so a server
 * that stops being confirmed turns UNKNOWN without anyone having to notice, and the ages.
 *
 * <p>The registry holds the statuses and orders the publishes; what follows from them lives beside
 * it, each part written under its publish lock: the lags ({@code LagTable}), the topology
 * ({@code CurrentTopology}), the waiters ({@code Waiters}) and the listeners
 * ({@code Subscriptions}).
 */
public final class Registry {
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
  /** Every server's lag against the primary; reseeded and updated under {@link #publishing}. */
  private final LagTable lags;
  /** The seed list, in configuration order; replaced under {@link #publishing}. */
  private volatile List<Seed> seeds;
  /** The topology, derived and swapped under {@link #publishing}. */
  private final CurrentTopology topology;
  /**
   * Publishes one at a time, so that no replica's lag is left computed against an older primary
   * and each topology change is derived from the statuses it follows.
   */
  private final Object publishing = new Object();
  private final GtidSet empty;
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
    this.lags = new LagTable(empty);
    this.seeds = List.copyOf(seeds);
    ReplicationTopology t = ReplicationTopology.configured(seeds.get(0).name(),
        seeds.subList(1, seeds.size()).stream().map(Seed::name).toList());
    topology = new CurrentTopology(t);
    Map<String, AtomicReference<ServerStatus>> map = new LinkedHashMap<>();
    for (ReplicationTopology.Member m : t.members()) {
      map.put(m.name(), new AtomicReference<>(ServerStatus.initial(m.name(), m.role(), empty)));
    }
    servers = map;
    lags.reseed(map.keySet());
    lags.update(current(), primary());
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
    return topology.changes();
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
    AtomicReference<ServerStatus> ref = map.get(topology.lagPrimary());
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
    return current().stream().filter(s -> !s.name().equals(p)).toList();
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

  /**
   * The status of {@code name} with the topology its role was taken from, read together: a
   * publish that moves the topology swaps it, then re-stamps every status, under one lock; read
   * apart, the two can disagree for a moment (a new topology, a role from the old one).
   */
  public Optional<InTopology> statusInTopology(String name) {
    synchronized (publishing) {
      AtomicReference<ServerStatus> ref = servers.get(name);
      return ref == null ? Optional.empty() : Optional.of(new InTopology(ref.get(), topology.get()));
    }
  }

  /** A server's status and the topology it is stamped with. */
  public record InTopology(ServerStatus status, ReplicationTopology topology) {}

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
    return lags.of(replica, primary());
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

  /**
   * Calls {@code listener} with every new topology from now on, on the publishing thread (a
   * tracker's: be quick); close to stop.
   */
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
   * ({@link dev.catchup.monitor.topology.TopologyResolver}), and notifies waiters and subscribers.
   * The status is stored with the server's role in the topology, and with a version above the one
   * it replaces. Called by the trackers; public so that other status sources can feed a registry
   * too.
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
      after = topology.resolve(seeds, current());
      if (after == before) {
        ServerStatus stored = ref.get();
        // The primary moves every replica's lag; a replica only its own.
        lags.update(stored.name().equals(before.primary()) ? current() : List.of(stored), primary());
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
      for (Seed seed : newSeeds) {
        AtomicReference<ServerStatus> ref = old.get(seed.name());
        map.put(seed.name(), ref != null ? ref
            : new AtomicReference<>(ServerStatus.initial(seed.name(), Role.UNKNOWN, empty)));
      }
      seeds = List.copyOf(newSeeds);
      servers = map;
      lags.reseed(map.keySet()); // adopt() below computes every lag, the added servers' too
      before = topology.get();
      after = topology.resolve(seeds, current());
      notify = adopt(before, after);
    }
    afterPublish(before, after, notify);
  }

  /**
   * Swaps in {@code after}: every status takes its new role (with a new version, so that readers
   * holding the old one take it), every lag is computed against the new primary. Under the lock.
   */
  private List<ServerStatus> adopt(ReplicationTopology before, ReplicationTopology after) {
    topology.set(after);
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
    lags.update(out, primary()); // the primary may have moved: every lag changes
    return out;
  }

  /** Every server's latest status, in configuration order. */
  private List<ServerStatus> current() {
    return servers.values().stream().map(AtomicReference::get).toList();
  }

  private void afterPublish(ReplicationTopology before, ReplicationTopology after,
      List<ServerStatus> notify) {
    topology.announce(before, after);
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
    return lags.commitTimes();
  }
}
