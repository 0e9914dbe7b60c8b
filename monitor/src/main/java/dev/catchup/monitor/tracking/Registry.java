package dev.catchup.monitor.tracking;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
  private final String primaryName;
  private final Map<String, AtomicReference<ServerStatus>> servers = new LinkedHashMap<>();
  /** Every replica's lag, as of the last publish of it or of the primary. Set under {@link #publishing}. */
  private final Map<String, AtomicReference<ReplicaLag>> lags = new LinkedHashMap<>();
  /** Publishes one at a time, so that no replica's lag is left computed against an older primary. */
  private final Object publishing = new Object();
  private final GtidSet empty;
  private final CommitTimes commitTimes = new CommitTimes(COMMIT_TIMES);
  private final List<Consumer<ServerStatus>> listeners = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

  /**
   * @param flavor GTID flavor of every server
   * @param clock time source for ages and states
   * @param staleAfter a server not confirmed for longer than this is {@link ServerState#UNKNOWN}
   * @param primaryName the primary's name
   * @param replicaNames the replicas' names, in configuration order
   */
  public Registry(Flavor flavor, Clock clock, Duration staleAfter, String primaryName,
      List<String> replicaNames) {
    this.flavor = flavor;
    this.clock = clock;
    this.staleAfter = staleAfter;
    this.primaryName = primaryName;
    this.empty = GtidSet.empty(flavor);
    ServerStatus primary = ServerStatus.initial(primaryName, Role.PRIMARY, empty);
    servers.put(primaryName, new AtomicReference<>(primary));
    for (String r : replicaNames) {
      ServerStatus replica = ServerStatus.initial(r, Role.REPLICA, empty);
      servers.put(r, new AtomicReference<>(replica));
      lags.put(r, new AtomicReference<>(ReplicaLag.of(replica, primary, commitTimes, empty)));
    }
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

  /** The primary's latest status. */
  public ServerStatus primary() {
    return servers.get(primaryName).get();
  }

  /** Every replica's latest status, in configuration order. */
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

  /** Every server's latest status, the primary first. */
  public List<ServerStatus> all() {
    return servers.values().stream().map(AtomicReference::get).toList();
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
    return published != null && published.replica() == replica ? published
        : ReplicaLag.of(replica, primary(), commitTimes, empty);
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
    CompletableFuture<String> f = new CompletableFuture<>();
    Waiter w = new Waiter(gtids, replica, f);
    synchronized (waiters) {
      // The check and the add together, or concurrent callers could all pass the check.
      if (waiters.size() >= MAX_WAITERS) {
        throw new RejectedExecutionException("too many pending waiters (limit " + MAX_WAITERS
            + ")");
      }
      waiters.add(w);
    }
    f.whenComplete((name, error) -> waiters.remove(w));
    for (ServerStatus r : replicas()) {
      w.offer(r);
    }
    // After the first offers, so that even a zero timeout sees what is confirmed already.
    return f.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Calls {@code listener} with every status published from now on; close to stop. */
  public AutoCloseable subscribe(Consumer<ServerStatus> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Number of waiters pending (for metrics). */
  public int pendingWaiters() {
    return waiters.size();
  }

  /**
   * Replaces the status of {@code s.name()} and notifies waiters and subscribers. Called by the
   * trackers; public so that other status sources can feed a registry too.
   *
   * @throws IllegalArgumentException if the server is not configured
   */
  public void publish(ServerStatus s) {
    if (!servers.containsKey(s.name())) {
      throw new IllegalArgumentException("unknown server '" + s.name() + "'");
    }
    synchronized (publishing) {
      servers.get(s.name()).set(s);
      if (s.name().equals(primaryName)) {
        for (Map.Entry<String, AtomicReference<ReplicaLag>> e : lags.entrySet()) {
          e.getValue().set(ReplicaLag.of(servers.get(e.getKey()).get(), s, commitTimes, empty));
        }
      } else {
        lags.get(s.name()).set(ReplicaLag.of(s, primary(), commitTimes, empty));
      }
    }
    if (s.role() == Role.REPLICA) {
      for (Waiter w : waiters) {
        w.offer(s);
      }
    }
    for (Consumer<ServerStatus> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        log.warn("status listener failed: {}", e.toString());
      }
    }
  }

  CommitTimes commitTimes() {
    return commitTimes;
  }

  private final class Waiter {
    final GtidSet gtids;
    final String replica;
    final CompletableFuture<String> future;

    Waiter(GtidSet gtids, String replica, CompletableFuture<String> future) {
      this.gtids = gtids;
      this.replica = replica;
      this.future = future;
    }

    void offer(ServerStatus s) {
      if ((replica == null || replica.equals(s.name())) && !future.isDone()
          && state(s) == ServerState.UP && s.confirmed().contains(gtids)) {
        future.complete(s.name());
      }
    }
  }
}
