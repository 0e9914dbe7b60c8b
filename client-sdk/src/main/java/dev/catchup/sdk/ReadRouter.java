package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.CatchupMetrics.Target;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where a read runs. With a fresh monitor feed, a read whose token the monitor shows
 * confirmed on a replica runs there with no query of its own, and waiting policies wait in the
 * process for the monitor's push (see {@link MonitorFeed}). Otherwise (no monitor, or a stale one)
 * replicas are tried in rotation, skipping those in back-off: a replica already known to have the
 * token is used with no extra query; failing that, {@code WAIT} and {@code WAIT_THEN_FALLBACK} wait
 * on the first reachable replica (one query, which returns at once if the replica has it), while
 * {@code FALLBACK_TO_PRIMARY} and {@code FAIL} check each reachable replica without waiting. Those two
 * policies do the same under the monitor when its view does not cover a token written less than
 * 50 ms ago or received from elsewhere (the view trails the replicas by their confirmation), unless
 * it shows every replica behind at its last apply. While the monitor is followed, a replica it
 * reports not UP is never tried. When none serves, the policy picks the primary (within the fallback
 * cap) or {@link ReplicaNotCaughtUpException}. A token no replica is known to have and that names
 * transactions the primary never committed is refused first ({@link UncommittedTokenException};
 * see {@link PrimaryCommits}).
 */
final class ReadRouter {
  private static final Logger log = LoggerFactory.getLogger(ReadRouter.class);
  /** How far the monitor's view may trail what a replica has applied. */
  static final long MONITOR_TRAIL_NANOS = Duration.ofMillis(50).toNanos();
  private static final long FALLBACK_LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  private final java.util.concurrent.atomic.AtomicLong nextFallbackLog =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
  private final java.util.concurrent.atomic.AtomicLong fallbacksSinceLog =
      new java.util.concurrent.atomic.AtomicLong();

  private final List<Replica> replicas;
  private final PrimaryAccess primary;
  private final ServerWait serverWait;
  private final CatchupMetrics metrics;
  private final AtomicInteger next = new AtomicInteger();
  private final MonitorFeed feed;
  private final FallbackLimiter fallbacks;
  private final AtomicBoolean usingMonitor = new AtomicBoolean();
  private final PrimaryCommits primaryCommits;

  ReadRouter(List<Replica> replicas, PrimaryAccess primary, ServerWait serverWait,
      CatchupMetrics metrics, MonitorFeed feed, FallbackLimiter fallbacks) {
    this.fallbacks = fallbacks;
    this.replicas = replicas;
    this.primary = primary;
    this.serverWait = serverWait;
    this.metrics = metrics;
    this.feed = feed;
    this.primaryCommits = new PrimaryCommits(this::queryPrimaryExecuted, feed == null ? () -> null : feed::primaryConfirmed);
  }

  /** Whether reads currently follow the monitor, and why not when they do not. */
  MonitorFeed.Health monitorHealth() {
    if (feed == null) {
      return new MonitorFeed.Health(false, "no monitor configured");
    }
    MonitorFeed.Health h = feed.health();
    // The same test routing applies: a connected monitor that shows no replica UP (yet) is not
    // followed.
    return h.usable() && !feed.anyUp(availableNames())
        ? new MonitorFeed.Health(false, "the monitor reports no replica UP") : h;
  }

  /** What the monitor says of {@code replica}: UP, not UP, or null (no monitor, or nothing yet). */
  Boolean feedReportsUp(String replica) {
    return feed == null ? null : feed.reportsUp(replica);
  }

  /** What the monitor last said of {@code replica}, or null (no monitor, or nothing yet). */
  ReplicaViews.ReplicaView feedView(String replica) {
    return feed == null ? null : feed.view(replica);
  }

  /** Where a read connection was bound: a replica's name, or null for the primary. */
  record Route(Connection connection, String replica) {}

  /** Access to the primary's pool, for fallbacks and for STRONG reads. */
  interface PrimaryAccess {
    Connection borrow() throws SQLException;
  }

  Route route(Session session, ReadOptions options) throws SQLException {
    if (options.consistency() == Consistency.PRIMARY) {
      return primaryRoute(session, options, null);
    }
    GtidSet required = required(session, options.consistency());
    long start = System.nanoTime();
    int first = Math.floorMod(next.getAndIncrement(), replicas.size());
    // While the monitor is followed, a replica it reports not UP is not tried: trying a dead one
    // costs a read up to replicaConnectTimeout, again after each back-off.
    boolean followMonitor = feed != null && followMonitor();
    if (!required.isEmpty() && followMonitor) {
      Route viaMonitor = routeWithMonitor(session, options, required, start, first);
      if (viaMonitor != null) {
        return viaMonitor;
      }
    }

    // First choice: a replica known to have the token already, at the cost of no query at all.
    for (int k = 0; k < replicas.size(); k++) {
      Replica r = replicas.get((first + k) % replicas.size());
      if (r.isAvailable(System.nanoTime()) && (required.isEmpty() || r.knownToHave(required))
          && !(followMonitor && reportedDown(r))) {
        Connection c = r.borrow(System.nanoTime());
        if (c != null) {
          return replicaRoute(session, options, r, c);
        }
      }
    }
    boolean anyReachable = false;
    String lastTried = "none";
    if (!required.isEmpty()) {
      verifyCommitted(session, required);
      // Then ask the servers: one check per replica, or one wait on the first reachable one.
      for (int k = 0; k < replicas.size(); k++) {
        Replica r = replicas.get((first + k) % replicas.size());
        if (!r.isAvailable(System.nanoTime()) || (followMonitor && reportedDown(r))) {
          continue;
        }
        Connection c = r.borrow(System.nanoTime());
        if (c == null) {
          if (r.isBusy()) {
            anyReachable = true; // alive but saturated: not a reason to call replicas unreachable
            lastTried = r.name() + " (pool exhausted)";
          }
          continue;
        }
        boolean answered = false;
        try {
          boolean ok = serves(r, c, required, options, start);
          answered = true;
          anyReachable = true;
          lastTried = r.name();
          if (ok) {
            return replicaRoute(session, options, r, c);
          }
        } catch (SQLException e) {
          // The replica died under us (a pooled connection can outlive its server briefly).
          r.markFailed(System.nanoTime(), e);
        }
        close(c);
        if (answered && waits(options.policy())) {
          break; // the wait budget is spent on one replica, not multiplied by their number
        }
      }
    }
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    return notServed(session, options, required, anyReachable, lastTried, waited);
  }

  /**
   * Whether reads follow the monitor now: it is fresh and reports at least one replica UP. Logs and
   * reports the switch each way once.
   */
  private boolean followMonitor() {
    MonitorFeed.Health health = feed.health();
    boolean usable = health.usable() && feed.anyUp(availableNames());
    if (usingMonitor.compareAndSet(!usable, usable)) {
      metrics.monitorMode(usable);
      if (usable) {
        log.info("reads follow the monitor");
      } else {
        log.warn("reads ask the servers directly: {}", health.usable()
            ? "the monitor reports no replica UP" : health.reason());
      }
    }
    return usable;
  }

  /** True when the (followed) monitor reports {@code r} and not as UP. */
  private boolean reportedDown(Replica r) {
    return Boolean.FALSE.equals(feed.reportsUp(r.name()));
  }

  /**
   * Refuses a token naming transactions the primary never committed (see {@link PrimaryCommits}).
   * The session's own writes need no check: the primary reported them.
   */
  private void verifyCommitted(Session session, GtidSet required) throws SQLException {
    GtidSet written = session.writtenToken().gtids();
    if (!written.contains(required)) {
      primaryCommits.verify(written.isEmpty() ? required : required.subtract(written));
    }
  }

  /**
   * Routes on the monitor's confirmed sets (the caller checked the monitor is followed): a replica
   * that has the token is used with no query at all; otherwise the read waits in the process for
   * the monitor's push (holding no connection) under the waiting policies. Returns null to fall back
   * to asking the servers directly: when the monitor goes away mid-wait, or the replica it names
   * cannot be reached.
   */
  private Route routeWithMonitor(Session session, ReadOptions options, GtidSet required, long start,
      int first) throws SQLException {
    List<String> names = availableNames();
    String name = names.isEmpty() ? null : feed.best(names, required, first);
    if (name == null) {
      verifyCommitted(session, required);
      ReadPolicy policy = options.policy();
      if (!waits(policy)) {
        // The monitor's view trails a replica by its confirmation, a few ms. A token younger than
        // that may already be on a replica the view does not show it on yet: one check query
        // there beats a primary read or a failure. An older token the view does not cover is not
        // on any replica, and a replica the view shows behind at its last apply is not asked.
        boolean young = young(System.nanoTime(), session.lastWriteNanos(), required,
            session.writtenToken().gtids());
        Double least = feed.leastLag(names);
        if (young && (least == null || least <= MONITOR_TRAIL_NANOS / 1e9)) {
          return null;
        }
        return notServed(session, options, required, true, "any", Duration.ZERO);
      }
      Double least = feed.leastLag(names);
      if (policy == ReadPolicy.WAIT_THEN_FALLBACK
          && waitIsInVain(least, options.maxWait(), tokenAgeNanos(session, required))) {
        // Every replica is further behind than the read may wait: do not wait in vain.
        return notServed(session, options, required, true, "any (" + least + " s behind)",
            Duration.ZERO);
      }
      long deadline = start + options.maxWait().toNanos();
      long waitStart = System.nanoTime();
      try {
        name = feed.await(names, required, deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for a replica", "HY008", e);
      }
      metrics.waitedForMonitor(Duration.ofNanos(System.nanoTime() - waitStart), name != null);
      if (name == null) {
        if (!feed.health().usable()) {
          return null; // the monitor went away mid-wait: the servers can still answer
        }
        return notServed(session, options, required, true, "any",
            Duration.ofNanos(System.nanoTime() - start));
      }
    }
    Replica r = replica(name);
    Connection c = r == null ? null : r.borrow(System.nanoTime());
    if (c == null) {
      return null;
    }
    r.confirmed(required);
    return replicaRoute(session, options, r, c);
  }

  /**
   * The age of {@code required} when it is the session's own writes (their newest is the last
   * write), or -1 when part of it came from elsewhere and its age is not known here.
   */
  private static long tokenAgeNanos(Session session, GtidSet required) {
    return session.writtenToken().gtids().contains(required)
        ? System.nanoTime() - session.lastWriteNanos() : -1;
  }

  /**
   * Whether waiting for a token the monitor's view does not cover is in vain: no UP replica can
   * apply it within {@code maxWait}. A replica {@code leastLag} seconds behind applies a write about
   * that long after it was committed, so a token written {@code age} ago arrives in about
   * {@code leastLag - age}. Without a known lag or a known age nothing proves the wait vain.
   *
   * @param leastLag the least {@code secondsBehind} among UP replicas, null when unknown
   * @param tokenAgeNanos how long ago the token was written, -1 when not known
   */
  static boolean waitIsInVain(Double leastLag, Duration maxWait, long tokenAgeNanos) {
    if (leastLag == null || tokenAgeNanos < 0) {
      return false;
    }
    return leastLag - tokenAgeNanos / 1e9 > maxWait.toNanos() / 1e9;
  }

  private List<String> availableNames() {
    long now = System.nanoTime();
    List<String> out = new ArrayList<>(replicas.size());
    for (Replica r : replicas) {
      if (r.isAvailable(now)) {
        out.add(r.name());
      }
    }
    return out;
  }

  private Replica replica(String name) {
    for (Replica r : replicas) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  private Route replicaRoute(Session session, ReadOptions options, Replica r, Connection c) {
    metrics.readRouted(Target.REPLICA, r.name(), options.consistency());
    log.debug("read for {} on replica {}", session, r.name());
    return new Route(c, r.name());
  }

  private static boolean waits(ReadPolicy policy) {
    return policy == ReadPolicy.WAIT || policy == ReadPolicy.WAIT_THEN_FALLBACK;
  }

  /** Checks or waits on an open replica connection; remembers success. */
  private boolean serves(Replica r, Connection c, GtidSet required, ReadOptions options, long start)
      throws SQLException {
    boolean ok;
    metrics.extraQuery(r.name());
    if (waits(options.policy())) {
      Duration budget = options.maxWait().minusNanos(System.nanoTime() - start);
      long waitStart = System.nanoTime();
      ok = serverWait.await(c, required, budget.isNegative() ? Duration.ZERO : budget);
      metrics.waited(r.name(), Duration.ofNanos(System.nanoTime() - waitStart), ok);
    } else {
      ok = serverWait.check(c, required);
    }
    if (ok) {
      r.confirmed(required);
    }
    return ok;
  }

  private Route notServed(Session session, ReadOptions options, GtidSet required,
      boolean anyReachable, String replica, Duration waited) throws SQLException {
    FallbackReason reason = anyReachable ? FallbackReason.NOT_CAUGHT_UP
        : FallbackReason.NO_REPLICA_AVAILABLE;
    boolean toPrimary = options.policy() == ReadPolicy.FALLBACK_TO_PRIMARY
        || options.policy() == ReadPolicy.WAIT_THEN_FALLBACK
        // With no replica at all, only FAIL refuses the primary: WAIT has nothing to wait on.
        || (!anyReachable && options.policy() == ReadPolicy.WAIT);
    if (toPrimary && !fallbacks.tryAcquire()) {
      metrics.failed(replica);
      throw new ReplicaNotCaughtUpException(replica, required.toString(), waited,
          "reads falling back to the primary are over the limit of " + fallbacks.perSecond()
              + " a second; shed instead of loading the primary");
    }
    if (toPrimary) {
      metrics.fellBack(reason);
      logFallback(options.policy(), anyReachable, waited, required);
      return primaryRoute(session, options, reason);
    }
    metrics.failed(replica);
    throw new ReplicaNotCaughtUpException(replica, required.toString(), waited,
        anyReachable ? "policy " + options.policy() : "no replica is reachable, policy FAIL");
  }

  /**
   * Under FALLBACK_TO_PRIMARY going to the primary is the policy working: debug only. A wait that
   * ran out, or no replica at all, is worth a warning, but at most one every 10 s with a count
   * (a stalled replica under load would otherwise log thousands a second).
   */
  private void logFallback(ReadPolicy policy, boolean anyReachable, Duration waited,
      GtidSet required) {
    String why = anyReachable ? "no replica has the token yet" : "no replica is reachable";
    if (policy == ReadPolicy.FALLBACK_TO_PRIMARY && anyReachable) {
      log.debug("read falls back to the primary: {}", why);
      return;
    }
    long since = fallbacksSinceLog.incrementAndGet();
    long due = nextFallbackLog.get();
    long now = System.nanoTime();
    if (now - due >= 0 && nextFallbackLog.compareAndSet(due, now + FALLBACK_LOG_INTERVAL_NANOS)) {
      fallbacksSinceLog.addAndGet(-since);
      log.warn("read falls back to the primary: {} (waited {} ms for {}){}", why,
          waited.toMillis(), abbreviated(required),
          since > 1 ? "; " + since + " such fallbacks in the last 10 s" : "");
    }
  }

  private Route primaryRoute(Session session, ReadOptions options, FallbackReason reason)
      throws SQLException {
    Connection c = primary.borrow();
    metrics.readRouted(Target.PRIMARY, null, options.consistency());
    log.debug("read for {} on the primary{}", session, reason == null ? "" : " (" + reason + ")");
    return new Route(c, null);
  }

  /** The GTIDs a read at {@code consistency} must see. */
  private GtidSet required(Session session, Consistency consistency) throws SQLException {
    GtidSet required = consistency == Consistency.STRONG ? primaryExecuted()
        : tokenFor(consistency, session.writtenToken(), session.token()).gtids();
    int unknown = session.unknownWrites();
    if (unknown > 0 && consistency != Consistency.EVENTUAL) {
      // Some write's GTID could not be read: everything the primary has now covers it.
      GtidSet executed = consistency == Consistency.STRONG ? required : primaryExecuted();
      session.resolveUnknownWrites(executed, unknown);
      required = required.union(executed);
    }
    return required;
  }

  /**
   * The token a read at {@code consistency} must see, from the session's own writes and everything
   * it must see ({@code all}: own writes and observed tokens). Not for {@code STRONG}, which asks the
   * primary, nor {@code PRIMARY}, which is not routed.
   */
  @SuppressWarnings("deprecation") // CAUSAL stays routable for code written against it
  static ConsistencyToken tokenFor(Consistency consistency, ConsistencyToken written,
      ConsistencyToken all) {
    return switch (consistency) {
      case EVENTUAL -> ConsistencyToken.empty(written.flavor());
      // An observed token names the same user's writes made elsewhere: as binding as its own.
      case READ_YOUR_WRITES, CAUSAL -> all;
      case STRONG, PRIMARY -> throw new IllegalStateException(consistency + " has no session token");
    };
  }

  /**
   * Whether a token the monitor's view does not cover may still be on a replica the view has not
   * caught up with (it trails by the replica's confirmation): then a non-waiting policy checks the
   * replicas once rather than going to the primary or failing at once. True for the session's own
   * writes younger than the trail, and for any part of the token that came from elsewhere (observed
   * tokens, a STRONG read's primary set), whose age this process does not know.
   */
  static boolean young(long nowNanos, long lastWriteNanos, GtidSet required, GtidSet written) {
    return nowNanos - lastWriteNanos < MONITOR_TRAIL_NANOS || !written.contains(required);
  }

  private GtidSet primaryExecuted() throws SQLException {
    GtidSet executed = queryPrimaryExecuted();
    primaryCommits.learn(executed);
    return executed;
  }

  private GtidSet queryPrimaryExecuted() throws SQLException {
    metrics.extraQuery("primary");
    try (Connection c = primary.borrow()) {
      return serverWait.executed(c);
    }
  }

  private static String abbreviated(GtidSet s) {
    String t = s.toString().replace("\n", "");
    return t.length() > 120 ? t.substring(0, 120) + "..." : t;
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing a replica connection failed: {}", e.getMessage());
    }
  }
}
