package dev.catchup.sdk;

import dev.catchup.wire.StatusEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link Servers}' next roles come from, and the topology thread that runs them: discovery
 * without a monitor ({@link #discover}), and the followed monitor's topology ({@link #follow}).
 * Each hands what it found to {@link Servers#update}; neither swaps roles itself.
 *
 * <p>Discovery asks every server its role ({@link ServerProbe}) and decides with
 * {@link RoleDiscovery}. It runs when a borrow from the primary fails, when the primary refuses a
 * statement as read-only, and every {@code checkInterval} on the topology thread. Concurrent
 * callers share one run (a caller uses a run that started after it asked).
 *
 * <p>A primary the monitor's topology names is adopted once the server itself, asked once, acts as
 * primary (that answer is the new primary's fence, as in discovery), and the rotation becomes the
 * monitor's replicas of that primary. While a monitor's topology is followed the periodic
 * discovery is skipped (the monitor reconciles every second, faster than the check interval); a
 * write that finds the primary gone or read-only still asks the servers at once. Thread-safe.
 */
final class RoleSources implements AutoCloseable {
  // Under Servers' name, as before the split: the topology's log lines stay under one logger for
  // whoever tunes or captures them.
  private static final Logger log = LoggerFactory.getLogger(Servers.class);

  /** Where found roles go: {@link Servers#update}, with where they came from for its log line. */
  @FunctionalInterface
  interface Sink {
    void update(Roles next, String source);
  }

  private final Map<String, Servers.Server> servers;
  private final Servers.Asker asker;
  private final boolean readsOnPrimary;
  private final Supplier<Roles> roles;
  private final Sink sink;
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
   * @param servers every configured server by name, in configuration order
   * @param roles the current roles
   * @param sink applies the roles found
   */
  RoleSources(Map<String, Servers.Server> servers, Servers.Asker asker, boolean readsOnPrimary,
      Supplier<Roles> roles, Sink sink) {
    this.servers = servers;
    this.asker = asker;
    this.readsOnPrimary = readsOnPrimary;
    this.roles = roles;
    this.sink = sink;
    this.last = new RoleDiscovery.Outcome(roles.get(), null);
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

  /** See {@link Servers#followingMonitor}. */
  void followingMonitor(BooleanSupplier following) {
    this.followingMonitor = following;
  }

  /** See {@link Servers#follow}. */
  void follow(StatusEvent.Topology topology) {
    Objects.requireNonNull(topology, "topology");
    pending.set(topology);
    try {
      scheduler().execute(this::applyFollowedQuietly);
    } catch (RejectedExecutionException e) {
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

  /** See {@link Servers#applyFollowed}. */
  void applyFollowed() {
    discovering.lock();
    try {
      StatusEvent.Topology t = pending.get();
      if (t == null) {
        return;
      }
      Roles now = roles.get();
      MonitorRoles.Plan plan = MonitorRoles.plan(now, t, List.copyOf(servers.keySet()),
          readsOnPrimary);
      if (plan.note() != null && !plan.note().equals(lastNote)) {
        log.info("{}", plan.note());
      }
      lastNote = plan.note();
      if (plan.primary() == null) {
        if (plan.readers() != null) {
          sink.update(now.withReaders(plan.readers()), monitorSaid(t));
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
      sink.update(new Roles(now.generation() + 1, plan.primary(), plan.readers(),
          new Fence(a.name(), a.identity(), a.executed(), a.state())), monitorSaid(t));
      last = new RoleDiscovery.Outcome(roles.get(), null);
      reportProblem(null);
      pending.compareAndSet(t, null);
    } finally {
      discovering.unlock();
    }
  }

  /** See {@link Servers#tick}. */
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

  /** See {@link Servers#discover}. */
  RoleDiscovery.Outcome discover() {
    long arrived = started.get();
    discovering.lock();
    try {
      if (started.get() == arrived) {
        started.incrementAndGet();
        Collection<Servers.Server> all = servers.values();
        List<ServerAnswer> answers = new ArrayList<>(all.size());
        for (Servers.Server s : all) {
          answers.add(asker.ask(s));
        }
        last = RoleDiscovery.next(roles.get(), answers, readsOnPrimary);
        sink.update(last.roles(), " (found by asking the servers)");
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
      log.info("a primary is known again: {}", roles.get().primary());
    }
  }

  private static String monitorSaid(StatusEvent.Topology t) {
    return " (from the monitor's topology, its generation " + t.generation() + ")";
  }

  /** Stops the topology thread. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
