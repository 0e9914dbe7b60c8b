package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.CatchupMetrics.Target;
import dev.catchup.sdk.RoutingDecision.Action;
import dev.catchup.sdk.RoutingDecision.Attempt;
import dev.catchup.sdk.RoutingDecision.AwaitMonitor;
import dev.catchup.sdk.RoutingDecision.BriefWait;
import dev.catchup.sdk.RoutingDecision.Check;
import dev.catchup.sdk.RoutingDecision.Fail;
import dev.catchup.sdk.RoutingDecision.Lost;
import dev.catchup.sdk.RoutingDecision.FallBack;
import dev.catchup.sdk.RoutingDecision.Primary;
import dev.catchup.sdk.RoutingDecision.Read;
import dev.catchup.sdk.RoutingDecision.ReplicaState;
import dev.catchup.sdk.RoutingDecision.Run;
import dev.catchup.sdk.RoutingDecision.Snapshot;
import dev.catchup.sdk.RoutingDecision.Verify;
import dev.catchup.sdk.RoutingDecision.WaitOn;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes reads: performs what {@link RoutingDecision} decides (borrows, checks and waits on
 * replicas through {@link ReplicaAsker}, in-process waits on the {@link MonitorFeed}, the token
 * check against the primary, the fallback cap), records metrics and logs, and decides again on
 * what it learned. The rules
 * themselves (policies, consistency levels, the monitor's health, the token's age, back-off) live in
 * {@link RoutingDecision}, which sees only values.
 */
final class ReadRouter {
  private static final Logger log = LoggerFactory.getLogger(ReadRouter.class);
  private static final long FALLBACK_LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
  private static final MonitorFeed.Health NO_MONITOR =
      new MonitorFeed.Health(false, "no monitor configured");

  private final AtomicLong nextFallbackLog;
  private final AtomicLong fallbacksSinceLog = new AtomicLong();

  private final Servers servers;
  private final ServerWait serverWait;
  private final ReplicaAsker asker;
  private final CatchupMetrics metrics;
  private final AtomicInteger next = new AtomicInteger();
  private final MonitorFeed feed;
  private final FallbackLimiter fallbacks;
  private final AtomicBoolean usingMonitor = new AtomicBoolean();
  private final PrimaryCommits primaryCommits;
  private final Ticker ticker;

  /**
   * @param servers the servers, their pools and current roles (the rotation, the primary)
   * @param ticker the time of routing; sessions and the monitor feed must read the same one
   * @param waitSlice how long a wait runs before the read looks at the roles again: a read waiting
   *     for a token when the primary is replaced learns of the change within one slice, and fails
   *     at once if the change lost its writes
   */
  ReadRouter(Servers servers, ServerWait serverWait, CatchupMetrics metrics, MonitorFeed feed,
      FallbackLimiter fallbacks, Ticker ticker, Duration waitSlice) {
    this.asker = new ReplicaAsker(servers, serverWait, metrics, ticker, waitSlice.toNanos());
    this.fallbacks = fallbacks;
    this.servers = servers;
    this.serverWait = serverWait;
    this.metrics = metrics;
    this.feed = feed;
    this.ticker = ticker;
    this.nextFallbackLog = new AtomicLong(ticker.read());
    this.primaryCommits = new PrimaryCommits(this::queryPrimaryExecuted,
        feed == null ? name -> null : feed::primaryConfirmed, servers::roles);
    // A new primary had its fence's set when it was found: tokens within it need no query.
    servers.onPrimaryChange(r -> {
      primaryCommits.learn(r.generation(), r.fence().executed());
      if (feed != null) {
        feed.wakeWaiters(); // reads waiting in the process decide again: their token may be lost
      }
    });
  }

  /** Whether reads currently follow the monitor, and why not when they do not. */
  MonitorFeed.Health monitorHealth() {
    MonitorFeed.Health h = feed == null ? NO_MONITOR : feed.health();
    Snapshot s = snapshot(ticker.read(), false, h.usable());
    // The same test routing applies: a connected monitor that shows no replica UP (yet) is not
    // followed.
    return h.usable() && !RoutingDecision.follows(s)
        ? new MonitorFeed.Health(false, "the monitor reports no replica UP (" + h.reason() + ")")
        : h;
  }

  /** What the monitor says of {@code replica}: UP, not UP, or null (no monitor, or nothing yet). */
  Boolean feedReportsUp(String replica) {
    return feed == null ? null : feed.reportsUp(replica);
  }

  /** What the monitor last said of {@code replica}, or null (no monitor, or nothing yet). */
  ReplicaViews.ReplicaView feedView(String replica) {
    return feed == null ? null : feed.view(replica);
  }

  /**
   * Where a read connection was bound.
   *
   * @param replica the replica's name, or null on the primary
   * @param primary on the primary, its lease (its name and write capture); null on a replica
   */
  record Route(Connection connection, String replica, Servers.Lease primary) {}

  Route route(Session session, ReadOptions options) throws SQLException {
    if (options.consistency() == Consistency.PRIMARY) {
      // Nothing to resolve and no replica to rotate to (the decision agrees: Primary).
      return primaryRoute(session, options, null);
    }
    GtidSet required = required(session, options.consistency());
    Read read = new Read(options.consistency(), options.policy(), options.maxWait(), required,
        session.writtenToken().gtids(), session.lastWriteNanos());
    long now = ticker.read();
    Snapshot s = snapshot(now, !read.own());
    Attempt attempt = Attempt.start(s, now,
        Math.floorMod(next.getAndIncrement(), Math.max(1, s.replicas().size())));
    if (feed != null) {
      reportMode(attempt.following(), s.monitorUsable());
    }
    // Each action moves the attempt to a later stage (or past the token check), so this ends.
    while (true) {
      Action action = RoutingDecision.decide(read, s, attempt, now);
      if (action instanceof Run run) {
        Route r = runOn(session, options, run.replicas(), run.byMonitor(), required);
        if (r != null) {
          return r;
        }
        attempt = attempt.afterRun(run.byMonitor());
      } else if (action instanceof Verify verify) {
        primaryCommits.verify(verify.gtids());
        attempt = attempt.afterVerify(s.roles().generation());
      } else if (action instanceof AwaitMonitor await) {
        String name = awaitMonitor(await, required, s.roles());
        if (name == null) {
          attempt = attempt.afterAwait();
        } else {
          Route r = runOn(session, options, List.of(name), true, required);
          if (r != null) {
            return r;
          }
          attempt = attempt.afterRun(true);
        }
      } else if (action instanceof BriefWait brief) {
        // Held at most the brief bound; without the token the read waits in the process next.
        ReplicaAsker.Asked asked = asker.ask(brief.replicas(), ReplicaAsker.Asking.BRIEF_WAIT,
            brief.deadlineNanos(),
            required, s.roles().generation());
        if (asked.connection() != null) {
          return replicaRoute(session, options, asked.replica(), asked.connection());
        }
        attempt = attempt.afterBriefWait();
      } else if (action instanceof Check || action instanceof WaitOn) {
        ReplicaAsker.Asked asked = action instanceof WaitOn wait
            ? asker.ask(wait.replicas(), ReplicaAsker.Asking.WAIT, wait.deadlineNanos(), required,
                s.roles().generation())
            : asker.ask(((Check) action).replicas(), ReplicaAsker.Asking.CHECK, 0, required,
                s.roles().generation());
        if (asked.connection() != null) {
          return replicaRoute(session, options, asked.replica(), asked.connection());
        }
        if (!asked.rolesChanged()) {
          attempt = attempt.afterAsking(asked.anyReachable(), asked.lastTried());
        }
        // else the primary changed during the wait: decide again at the same stage on the new
        // roles (their fence fails a token lost in the change at once; any other waits on).
      } else if (action instanceof FallBack fallBack) {
        Route r = fallBack(session, options, required, fallBack, s.roles().generation());
        if (r != null) {
          return r;
        }
        // The primary changed since the decision: decide again on the new roles.
      } else if (action instanceof Lost lost) {
        throw new LostWritesException(lost.lost(), lost.fence().retained(lost.lost()),
            lost.fence().server());
      } else if (action instanceof Fail fail) {
        metrics.failed(fail.replica());
        throw new ReplicaNotCaughtUpException(fail.replica(), required.toString(), fail.waited(),
            fail.reason() == FallbackReason.NOT_CAUGHT_UP ? "policy " + options.policy()
                : "no replica is reachable, policy " + options.policy());
      } else if (action instanceof Primary) {
        return primaryRoute(session, options, null);
      } else {
        throw new AssertionError("unhandled routing action " + action);
      }
      now = ticker.read();
      s = snapshot(now, !read.own());
    }
  }

  /**
   * The values the decision reads: the roles, each reader's state, the monitor's, and with
   * {@code primary} what the primary of those roles is known to have. The decision looks at that
   * only for a token naming GTIDs besides the session's own writes: a read of its own writes
   * (nearly every read) skips its lookup and allocation.
   */
  private Snapshot snapshot(long now, boolean primary) {
    // usable(), not health(): every read passes here, and the reason is text for people.
    return snapshot(now, primary, feed != null && feed.usable(now));
  }

  private Snapshot snapshot(long now, boolean primary, boolean monitorUsable) {
    // One read of the roles and their readers: two reads could pair a generation with the other's.
    Servers.Current current = servers.current();
    Roles roles = current.roles();
    List<Replica> readers = current.readers();
    List<ReplicaState> states = new ArrayList<>(readers.size());
    for (Replica r : readers) {
      states.add(new ReplicaState(r.name(), r.isAvailable(now), r.knownApplied(),
          feed == null ? null : feed.view(r.name())));
    }
    return new Snapshot(states, monitorUsable,
        primary ? primaryCommits.snapshot(roles) : PrimaryCommits.Known.NOTHING, roles);
  }

  /** Logs and reports the switch between following the monitor and not, once each way. */
  private void reportMode(boolean following, boolean monitorUsable) {
    // Read first: every routed read passes here, and a compare-and-set, even one that fails,
    // takes the line exclusive from every other reading thread.
    if (usingMonitor.get() != following && usingMonitor.compareAndSet(!following, following)) {
      metrics.monitorMode(following);
      if (following) {
        log.info("reads follow the monitor");
      } else {
        // The reason is built here, once per switch, not per read. The snapshot decided: a usable
        // feed means its view showed no replica UP; an unusable one has its reason now, unless it
        // recovered since (its reason would then read "following the monitor").
        log.warn("reads ask the servers directly: {}", monitorUsable
            ? "the monitor reports no replica UP" : staleReason(feed.health()));
      }
    }
  }

  private static String staleReason(MonitorFeed.Health h) {
    return h.usable() ? "the monitor's view was stale (fresh again since)" : h.reason();
  }

  /** Runs on the first of {@code names} that lends a connection; null if none does. */
  private Route runOn(Session session, ReadOptions options, List<String> names,
      boolean byMonitor, GtidSet required) {
    for (String name : names) {
      Replica r = replica(name);
      Connection c = r == null ? null : r.borrow(ticker.read());
      if (c != null) {
        if (byMonitor) {
          r.confirmed(required); // should the monitor go away, this process still knows
        }
        return replicaRoute(session, options, r, c);
      }
    }
    return null;
  }

  /**
   * Waits in the process for the monitor to show a replica with the token, proven under the
   * current roles' fence as routing proves it; its name, or null. Ends early when the roles change
   * (the next decision sees the new fence). A replica the monitor shows with the token only by
   * sequence number (MariaDB, see {@link Coverage}) ends the wait with null too: the decision then
   * asks the servers, whose own state can prove it. The feed proves the replica it returns, so it
   * is not checked again here.
   */
  private String awaitMonitor(AwaitMonitor await, GtidSet required, Roles roles)
      throws SQLException {
    long waitStart = ticker.read();
    String name = null;
    try {
      name = feed.await(await.replicas(), required, await.deadlineNanos(),
          () -> servers.roles().fence(), () -> servers.roles().generation() != roles.generation());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a replica", "HY008", e);
    }
    metrics.waitedForMonitor(Duration.ofNanos(ticker.read() - waitStart), name != null);
    return name;
  }

  /**
   * Goes to the primary for a read no replica serves, within the fallback cap; null when the
   * primary is no longer the one of {@code generation} (the decision was checked against it).
   */
  private Route fallBack(Session session, ReadOptions options, GtidSet required, FallBack f,
      long generation) throws SQLException {
    if (!fallbacks.tryAcquire()) {
      metrics.failed(f.replica());
      throw new ReplicaNotCaughtUpException(f.replica(), required.toString(), f.waited(),
          "reads falling back to the primary are over the limit of " + fallbacks.perSecond()
              + " a second; shed instead of loading the primary");
    }
    Servers.Lease lease = servers.primary();
    if (lease.generation() != generation) {
      ReplicaAsker.close(lease.connection());
      return null;
    }
    metrics.fellBack(f.reason());
    logFallback(options.policy(), f.reason() == FallbackReason.NOT_CAUGHT_UP, f.waited(),
        required);
    return primaryRoute(session, options, f.reason(), lease);
  }

  private Replica replica(String name) {
    return servers.handle(name);
  }

  private Route replicaRoute(Session session, ReadOptions options, Replica r, Connection c) {
    metrics.readRouted(Target.REPLICA, r.name(), options.consistency());
    log.debug("read for {} on replica {}", session, r.name());
    return new Route(c, r.name(), null);
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
    long now = ticker.read();
    if (now - due >= 0 && nextFallbackLog.compareAndSet(due, now + FALLBACK_LOG_INTERVAL_NANOS)) {
      fallbacksSinceLog.addAndGet(-since);
      log.warn("read falls back to the primary: {} (waited {} ms for {}){}", why,
          waited.toMillis(), abbreviated(required),
          since > 1 ? "; " + since + " such fallbacks in the last 10 s" : "");
    }
  }

  private Route primaryRoute(Session session, ReadOptions options, FallbackReason reason)
      throws SQLException {
    return primaryRoute(session, options, reason, servers.primary());
  }

  private Route primaryRoute(Session session, ReadOptions options, FallbackReason reason,
      Servers.Lease lease) {
    metrics.readRouted(Target.PRIMARY, null, options.consistency());
    log.debug("read for {} on the primary {}{}", session, lease.server(),
        reason == null ? "" : " (" + reason + ")");
    return new Route(lease.connection(), null, lease);
  }

  /** The GTIDs a read at {@code consistency} must see. */
  private GtidSet required(Session session, Consistency consistency) throws SQLException {
    GtidSet required = consistency == Consistency.STRONG ? primaryExecuted()
        : RoutingDecision.tokenFor(consistency, session.writtenToken(), session.token()).gtids();
    int unknown = session.unknownWrites();
    if (unknown > 0 && consistency != Consistency.EVENTUAL) {
      // Some write's GTID could not be read: everything the primary has now covers it.
      GtidSet executed = consistency == Consistency.STRONG ? required : primaryExecuted();
      session.resolveUnknownWrites(executed, unknown);
      required = required.union(executed);
    }
    return required;
  }

  private GtidSet primaryExecuted() throws SQLException {
    long gen = primaryCommits.generation();
    GtidSet executed = queryPrimaryExecuted();
    primaryCommits.learn(gen, executed);
    return executed;
  }

  private GtidSet queryPrimaryExecuted() throws SQLException {
    metrics.extraQuery("primary");
    try (Connection c = servers.primary().connection()) {
      return serverWait.executed(c);
    }
  }

  private static String abbreviated(GtidSet s) {
    String t = s.toString().replace("\n", "");
    return t.length() > 120 ? t.substring(0, 120) + "..." : t;
  }
}
