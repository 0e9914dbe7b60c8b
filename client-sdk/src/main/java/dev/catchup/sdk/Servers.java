package dev.catchup.sdk;

import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.wire.StatusEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured servers (one pool each) and their current {@link Roles}: which pool writes borrow
 * from and which servers are in the read rotation. The roles are one immutable value swapped
 * atomically ({@link #update}); discovery without a monitor ({@link #discover}) is one source of
 * the next value, and {@link #update} is the entry point for others (the monitor's topology).
 *
 * <p>Discovery asks every server its role ({@link ServerProbe}) and decides with
 * {@link RoleDiscovery}. It runs when a borrow from the primary fails, when the primary refuses a
 * statement as read-only, and every {@code checkInterval} on a daemon thread this object owns.
 * Concurrent callers share one run (a caller uses a run that started after it asked). When the
 * primary changes, the connections of the old and the new primary are retired (soft-evicted:
 * closed when returned, never reused), and listeners learn the new roles. Thread-safe.
 *
 * <p>With a monitor, its topology ({@link #follow}) is the other source: a primary it names is
 * adopted once the server itself, asked once, acts as primary (that answer is the new primary's
 * fence, as in discovery), and the rotation becomes the monitor's replicas of that primary. While
 * a monitor's topology is followed the periodic discovery is skipped (the monitor reconciles every
 * second, faster than the check interval); a write that finds the primary gone or read-only still
 * asks the servers at once.
 */
final class Servers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Servers.class);

  /**
   * One configured server.
   *
   * @param handle its pool, back-off and what it is known to have applied
   * @param capture how writes on it are recorded, chosen once for this server
   * @param connector discovery's own connection to it
   */
  record Server(String name, HikariDataSource pool, Replica handle, WriteCaptureChoice capture,
      ServerProbe.Connector connector) {}

  /** A borrowed connection of the primary of {@code generation}. */
  record Lease(Connection connection, String server, long generation,
      WriteCaptureChoice capture) {}

  /** Asks one server its role (a {@link ServerProbe} in production). */
  @FunctionalInterface
  interface Asker {
    ServerAnswer ask(Server server);
  }

  /** The roles and the handles of their readers, swapped together. */
  record Current(Roles roles, List<Replica> readers) {}

  private final Map<String, Server> servers;
  private final ServerProbe probe;
  private final Asker asker;
  private final boolean readsOnPrimary;
  private final Duration primaryConnectTimeout;
  private final Duration replicaConnectTimeout;
  private final AtomicReference<Current> current;
  private final List<Consumer<Roles>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ReentrantLock discovering = new ReentrantLock();
  /** Discoveries started so far; incremented under {@link #discovering}. */
  private final AtomicLong started = new AtomicLong();
  /** The last discovery's outcome; guarded by {@link #discovering}. */
  private RoleDiscovery.Outcome last;
  private volatile String lastProblem;
  private ScheduledExecutorService scheduler;
  private boolean periodic;
  /** The monitor's latest topology not yet applied, or null; applied under {@link #discovering}. */
  private final AtomicReference<StatusEvent.Topology> pending = new AtomicReference<>();
  /** Whether a monitor's topology is followed now: the periodic discovery is then skipped. */
  private volatile BooleanSupplier followingMonitor = () -> false;
  /** The last note logged about a monitor topology not adopted; guarded by {@link #discovering}. */
  private String lastNote;

  /**
   * @param servers every configured server, in configuration order
   * @param initial the configured roles
   */
  Servers(List<Server> servers, Roles initial, ServerProbe probe, boolean readsOnPrimary,
      Duration primaryConnectTimeout, Duration replicaConnectTimeout) {
    this(servers, initial, probe, s -> probe.ask(s.name(), s.connector()), readsOnPrimary,
        primaryConnectTimeout, replicaConnectTimeout);
  }

  /** @param asker how a server is asked its role (tests answer for servers they do not run) */
  Servers(List<Server> servers, Roles initial, ServerProbe probe, Asker asker,
      boolean readsOnPrimary, Duration primaryConnectTimeout, Duration replicaConnectTimeout) {
    Map<String, Server> byName = new LinkedHashMap<>();
    for (Server s : servers) {
      byName.put(s.name(), s);
    }
    this.servers = Collections.unmodifiableMap(byName);
    this.probe = probe;
    this.asker = asker;
    this.readsOnPrimary = readsOnPrimary;
    this.primaryConnectTimeout = primaryConnectTimeout;
    this.replicaConnectTimeout = replicaConnectTimeout;
    this.current = new AtomicReference<>(new Current(initial, handles(initial.readers())));
    this.last = new RoleDiscovery.Outcome(initial, null);
  }

  /** Starts re-discovering every {@code interval} on a daemon thread, until {@link #close()}. */
  synchronized void start(Duration interval) {
    if (periodic) {
      return;
    }
    periodic = true;
    long ms = interval.toMillis();
    scheduler().scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The topology thread, made on first use. */
  private synchronized ScheduledExecutorService scheduler() {
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "catchup-topology");
        t.setDaemon(true);
        return t;
      });
    }
    return scheduler;
  }

  /**
   * Tells whether a monitor's topology is followed now; while it is, the periodic discovery only
   * retries a monitor topology not applied yet.
   */
  void followingMonitor(BooleanSupplier following) {
    this.followingMonitor = following;
  }

  /**
   * The followed monitor's topology changed (a later generation, or the first one of a monitor).
   * Returns at once: the change is applied on the topology thread, since adopting a new primary
   * asks it for its fence, and the monitor's stream must not wait for a server.
   */
  void follow(StatusEvent.Topology topology) {
    Objects.requireNonNull(topology, "topology");
    pending.set(topology);
    try {
      scheduler().execute(this::applyFollowedQuietly);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("closed: the monitor's topology is not applied"); // closing
    }
  }

  private void applyFollowedQuietly() {
    try {
      applyFollowed();
    } catch (RuntimeException e) {
      log.warn("applying the monitor's topology failed: {}", e.toString());
    }
  }

  /**
   * Applies the pending monitor topology, if any (see {@link MonitorRoles}). A new primary is
   * adopted only if it answers as a primary; otherwise the topology stays pending, retried by the
   * next topology or the next periodic tick.
   */
  void applyFollowed() {
    discovering.lock();
    try {
      StatusEvent.Topology t = pending.get();
      if (t == null) {
        return;
      }
      Roles now = roles();
      MonitorRoles.Plan plan = MonitorRoles.plan(now, t, names(), readsOnPrimary);
      if (plan.note() != null) {
        if (!plan.note().equals(lastNote)) {
          log.info("{}", plan.note());
        }
        lastNote = plan.note();
      } else {
        lastNote = null;
      }
      if (plan.primary() == null) {
        if (plan.readers() != null) {
          update(now.withReaders(plan.readers()), monitorSaid(t));
        }
        pending.compareAndSet(t, null);
        return;
      }
      ServerAnswer a = asker.ask(servers.get(plan.primary()));
      if (!a.actsAsPrimary()) {
        // The monitor and the server disagree for now (a stale monitor, or a server that changed
        // again since): the server decides. Retried with the next topology or tick.
        log.info("the monitor names {} primary (its generation {}), but {}: keeping {}",
            plan.primary(), t.generation(), a.said(), now.primary());
        return;
      }
      update(new Roles(now.generation() + 1, plan.primary(), plan.readers(),
          new Fence(a.name(), a.identity(), a.executed(), a.state())), monitorSaid(t));
      last = new RoleDiscovery.Outcome(roles(), null);
      reportProblem(null);
      pending.compareAndSet(t, null);
    } finally {
      discovering.unlock();
    }
  }

  /** The periodic check: discovery, unless a monitor's topology is followed. */
  void tick() {
    try {
      if (followingMonitor.getAsBoolean()) {
        applyFollowed();
      } else {
        discover();
      }
    } catch (RuntimeException e) {
      log.warn("topology check failed: {}", e.toString());
    }
  }

  /** Called with the new roles after each change of primary. */
  void onPrimaryChange(Consumer<Roles> listener) {
    listeners.add(listener);
  }

  Roles roles() {
    return current.get().roles();
  }

  /** The roles and their readers, read together: never of two different generations. */
  Current current() {
    return current.get();
  }

  /** The handles of the servers in the read rotation now, in configuration order. */
  List<Replica> readers() {
    return current.get().readers();
  }

  /** The handle of a configured server, or null. */
  Replica handle(String name) {
    Server s = servers.get(name);
    return s == null ? null : s.handle();
  }

  /** The current primary's pool. */
  HikariDataSource primaryPool() {
    return servers.get(roles().primary()).pool();
  }

  /** Every configured server's handle. */
  List<Replica> all() {
    return servers.values().stream().map(Server::handle).toList();
  }

  /** Configured names, primary first. */
  List<String> names() {
    return List.copyOf(servers.keySet());
  }

  /**
   * A connection of the current primary. When the borrow fails, the servers are asked who is
   * primary now, and a new primary lends the connection instead: nothing was sent on the failed
   * borrow, so nothing is repeated.
   *
   * @throws SQLException the borrow's failure, with what discovery found when it found no primary
   */
  Lease primary() throws SQLException {
    Roles r = roles();
    try {
      return lease(r);
    } catch (SQLException e) {
      RoleDiscovery.Outcome o = discover();
      Roles now = roles();
      if (!now.primary().equals(r.primary())) {
        return lease(now);
      }
      if (o.problem() != null) {
        throw new SQLException("cannot borrow a connection of the primary " + r.primary() + " ("
            + e.getMessage() + "), and " + o.problem(), "08001", e);
      }
      throw e;
    }
  }

  private Lease lease(Roles r) throws SQLException {
    Server s = servers.get(r.primary());
    Connection c = s.capture().borrow(s.pool()::getConnection);
    return new Lease(c, s.name(), r.generation(), s.capture());
  }

  /**
   * A statement on {@code server}'s connection failed with {@code e}: when it is the current
   * primary refusing a write as read-only, or its connection broke (SQLState class 08, a pooled
   * connection of a server that died), the servers are asked who is primary now, so that the next
   * write goes there. The failed statement itself is not repeated: its outcome may be unknown, and
   * is the caller's to handle.
   */
  void statementFailed(String server, SQLException e) {
    if (!server.equals(roles().primary())) {
      return;
    }
    if (probe.isReadOnlyRefusal(e)) {
      // DEBUG: under load every write of a switchover says so; the change itself is logged once.
      log.debug("the primary {} refused a write as read-only: asking the servers who is primary now",
          server);
      discover();
    } else if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
      log.debug("a connection of the primary {} broke ({}): asking the servers who is primary now",
          server, e.getMessage().lines().findFirst().orElse(""));
      discover();
    }
  }

  /**
   * Asks every server its role and applies the outcome; concurrent callers share one run that
   * started after they called.
   */
  RoleDiscovery.Outcome discover() {
    long arrived = started.get();
    discovering.lock();
    try {
      if (started.get() == arrived) {
        started.incrementAndGet();
        List<ServerAnswer> answers = new ArrayList<>(servers.size());
        for (Server s : servers.values()) {
          answers.add(asker.ask(s));
        }
        last = RoleDiscovery.next(roles(), answers, readsOnPrimary);
        update(last.roles(), " (found by asking the servers)");
        reportProblem(last.problem());
      }
      return last;
    } finally {
      discovering.unlock();
    }
  }

  private void reportProblem(String problem) {
    String before = lastProblem;
    lastProblem = problem;
    if (problem != null && before == null) {
      log.warn("{}; writes fail until one server is primary", problem);
    } else if (problem == null && before != null) {
      log.info("a primary is known again: {}", roles().primary());
    }
  }

  /**
   * Makes {@code next} the current roles unless a later generation is held already: the entry point
   * of every source of topology. Logs what changed in one line; on a change of primary retires
   * the connections of the old and the new primary and tells the listeners.
   */
  synchronized void update(Roles next) {
    update(next, "");
  }

  private static String monitorSaid(StatusEvent.Topology t) {
    return " (from the monitor's topology, its generation " + t.generation() + ")";
  }

  /** {@link #update(Roles)}, with where the roles came from for the log line. */
  private synchronized void update(Roles next, String source) {
    Objects.requireNonNull(next, "next");
    Roles before = roles();
    if (next.generation() < before.generation()) {
      return; // older news than what is held
    }
    if (!servers.containsKey(next.primary()) || !servers.keySet().containsAll(next.readers())) {
      throw new IllegalArgumentException("roles name servers that are not configured: " + next
          + "; configured: " + servers.keySet());
    }
    String change = RoleDiscovery.change(before, next);
    if (change == null) {
      return;
    }
    current.set(new Current(next, handles(next.readers())));
    log.info("{}{}", change, source);
    if (!before.primary().equals(next.primary())) {
      retire(before.primary(), replicaConnectTimeout);
      retire(next.primary(), primaryConnectTimeout);
      for (Consumer<Roles> l : listeners) {
        l.accept(next);
      }
    }
  }

  /** Closes a server's connections as they come back (none is reused) and sets its borrow timeout. */
  private void retire(String name, Duration connectTimeout) {
    HikariDataSource pool = servers.get(name).pool();
    try {
      pool.getHikariConfigMXBean().setConnectionTimeout(connectTimeout.toMillis());
      var mx = pool.getHikariPoolMXBean();
      if (mx != null) {
        mx.softEvictConnections();
      }
    } catch (RuntimeException e) {
      log.debug("could not retire the connections of {}: {}", name, e.toString());
    }
  }

  private List<Replica> handles(List<String> names) {
    List<Replica> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(servers.get(n).handle());
    }
    return Collections.unmodifiableList(out);
  }

  /** Stops discovery and closes every pool. */
  @Override
  public void close() {
    synchronized (this) {
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
    }
    for (Server s : servers.values()) {
      s.pool().close();
    }
  }
}
