package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.ReplicaViews.ReplicaView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a read runs, decided from values alone: the read ({@link Read}), what is known of the
 * replicas, the monitor and the primary ({@link Snapshot}), how far this read has got
 * ({@link Attempt}) and the time. {@link ReadRouter} performs the {@link Action} and decides again
 * on what it learned, until an action routes the read or fails it. Every step moves the attempt on
 * (to a later {@link Stage}, or past the token check), so a read takes a handful of steps at most.
 *
 * <p>The stages, in order:
 * <ol>
 *   <li>{@code MONITOR}, while the monitor is followed (fresh, some available replica UP): a replica
 *       whose confirmed set holds the token runs the read with no query. Failing that, waiting
 *       policies wait in the process for the monitor's push, unless under
 *       {@code WAIT_THEN_FALLBACK} every replica is further behind than the read may wait; a
 *       read right after its own write first waits server-side on a replica the view shows
 *       current, for at most a short bound ({@link BriefWait}, see {@link MonitorStage}). The
 *       other two policies ask the servers only when the token may be on a replica the view has
 *       not caught up with: it is younger than {@link #MONITOR_TRAIL_NANOS} or came from elsewhere,
 *       and no replica is shown further behind than the trail.
 *   <li>{@code AWAITED}: the in-process wait ended with nothing. Past its deadline with the monitor
 *       still followed the read is not served; otherwise (the monitor went away, perhaps replaced
 *       by another since) the servers are asked for the rest of the wait.
 *   <li>{@code KNOWN}: a replica this process saw confirm the token runs the read with no query.
 *   <li>{@code SERVERS}: waiting policies wait on the first replica that answers (one budget, not
 *       one per replica), the others check each replica once.
 *   <li>{@code ASKED}: no replica served; the policy picks the primary or a failure.
 * </ol>
 * Before any of them, a token is checked against the {@link Roles}' {@link Fence}: after a change of
 * primary, a token naming writes that the new primary lacks and did not write itself names writes
 * lost with the old one, and the read fails at once ({@link Lost}); it never waits for them, and
 * never falls back to a primary that lacks them. A read about to fall back to the primary under a
 * token is first checked against that primary ({@link Verify}), as every read that asks replicas
 * is: a fallback read comes from a server that has the token.
 *
 * <p>While the monitor is followed, a replica it reports not UP is never asked (trying a dead one
 * costs a read up to the connect timeout). A token that names GTIDs other than the session's own
 * writes is checked against what the primary committed before any replica is asked about it
 * ({@link Verify}). Replicas in back-off are never tried.
 */
final class RoutingDecision {
  /** How far the monitor's view may trail what a replica has applied. */
  static final long MONITOR_TRAIL_NANOS = Duration.ofMillis(50).toNanos();

  private RoutingDecision() {}

  /**
   * What a read must see and how it may wait.
   *
   * @param required the GTIDs the read must see (empty for {@code EVENTUAL} and {@code PRIMARY})
   * @param written the session's own writes, whose age is known: the rest came from elsewhere
   * @param lastWriteNanos when the session last wrote (a ticker reading)
   * @param own whether {@code written} holds all of {@code required}: the token is the session's
   *     own writes, whose age is known (asked once per read, not by every rule that needs it)
   */
  record Read(Consistency consistency, ReadPolicy policy, Duration maxWait, GtidSet required,
      GtidSet written, long lastWriteNanos, boolean own) {

    Read(Consistency consistency, ReadPolicy policy, Duration maxWait, GtidSet required,
        GtidSet written, long lastWriteNanos) {
      this(consistency, policy, maxWait, required, written, lastWriteNanos,
          written.contains(required));
    }

    /**
     * Whether a token the monitor's view does not cover may still be on a replica the view has not
     * caught up with (it trails by the replica's confirmation): then a non-waiting policy checks
     * the replicas once rather than going to the primary or failing at once. True for the
     * session's own writes younger than the trail, and for a token with a part from elsewhere
     * (observed tokens, a STRONG read's primary set), whose age this process does not know.
     */
    boolean young(long nowNanos) {
      return !own || nowNanos - lastWriteNanos < MONITOR_TRAIL_NANOS;
    }

    /**
     * The token's age when it is the session's own writes (their newest is the last write), or
     * -1 when part of it came from elsewhere and its age is not known here.
     */
    long tokenAgeNanos(long nowNanos) {
      return own ? nowNanos - lastWriteNanos : -1;
    }
  }

  /**
   * One replica as routing sees it now.
   *
   * @param available false while it backs off after a failure
   * @param known what it confirmed to this process (a lower bound of what it applied)
   * @param view what the monitor last said of it, or null (no monitor, or nothing yet)
   */
  record ReplicaState(String name, boolean available, GtidSet known, ReplicaView view) {
    boolean reportedDown() {
      return view != null && !view.up();
    }
  }

  /**
   * Everything routing looks at besides the read.
   *
   * @param replicas every replica, in configuration order
   * @param monitorUsable whether a monitor is followed and its view fresh
   *     ({@link MonitorFeed#usable()}): the reason when not is text for people, built where shown
   * @param primary what the primary is known to have committed (the primary of {@code roles});
   *     read only for a token naming GTIDs besides the session's own writes ({@link #verify}), so
   *     the router leaves it {@link PrimaryCommits.Known#NOTHING} for a read of its own writes
   * @param roles who is primary, of which generation, and what it had when it became primary
   */
  record Snapshot(List<ReplicaState> replicas, boolean monitorUsable,
      PrimaryCommits.Known primary, Roles roles) {

    /** The configured roles (no change of primary yet). */
    Snapshot(List<ReplicaState> replicas, boolean monitorUsable, PrimaryCommits.Known primary) {
      this(replicas, monitorUsable, primary, Roles.configured("primary",
          replicas.stream().map(ReplicaState::name).toList(), false));
    }
  }

  /** How far a read has got; see the class comment. */
  enum Stage { MONITOR, AWAITED, KNOWN, SERVERS, ASKED }

  /**
   * One read's progress, immutable: each performed action gives the next attempt.
   *
   * @param startNanos when the read started; its waits end at {@code startNanos + maxWait}
   * @param first where this read starts in the rotation over the replicas
   * @param following whether the read follows the monitor (fixed when it starts)
   * @param verified the {@link Roles} generation whose primary the token was checked against, -1
   *     for none: a check against an earlier primary says nothing of the current one
   * @param anyReachable whether asking the replicas reached any of them
   * @param lastTried the replica asked last, for the failure's message
   * @param waitedBriefly whether the read ran its {@link BriefWait} already
   */
  record Attempt(long startNanos, int first, boolean following, Stage stage, long verified,
      boolean anyReachable, String lastTried, boolean waitedBriefly) {

    static Attempt start(Snapshot s, long nowNanos, int first) {
      return new Attempt(nowNanos, first, follows(s), Stage.MONITOR, -1, false, "none", false);
    }

    /** After a {@link Verify} that did not throw, decided on roles of {@code generation}. */
    Attempt afterVerify(long generation) {
      return new Attempt(startNanos, first, following, stage, generation, anyReachable, lastTried,
          waitedBriefly);
    }

    /** After a {@link BriefWait} that found no replica with the token: the monitor stage again. */
    Attempt afterBriefWait() {
      return new Attempt(startNanos, first, following, stage, verified, anyReachable, lastTried,
          true);
    }

    /**
     * After a {@link Run} none of whose replicas lent a connection: past the monitor's pick (also
     * one an {@link AwaitMonitor} found) come the replicas this process knows, past those the
     * servers.
     */
    Attempt afterRun(boolean byMonitor) {
      return at(byMonitor ? Stage.KNOWN : Stage.SERVERS);
    }

    /** After an {@link AwaitMonitor} that ended with no replica. */
    Attempt afterAwait() {
      return at(Stage.AWAITED);
    }

    /** After a {@link Check} or {@link WaitOn} that found no replica with the token. */
    Attempt afterAsking(boolean reachable, String tried) {
      return new Attempt(startNanos, first, following, Stage.ASKED, verified, reachable, tried,
          waitedBriefly);
    }

    private Attempt at(Stage next) {
      return new Attempt(startNanos, first, following, next, verified, anyReachable, lastTried,
          waitedBriefly);
    }
  }

  /** What to do next. */
  sealed interface Action permits Run, Verify, AwaitMonitor, BriefWait, Check, WaitOn, Primary,
      FallBack, Fail, Lost {}

  /**
   * Run on the first of {@code replicas} that lends a connection, with no query: each has the
   * token, as the monitor confirmed ({@code byMonitor}) or as it confirmed to this process.
   */
  record Run(List<String> replicas, boolean byMonitor) implements Action {}

  /** Refuse the token if the primary never committed {@code gtids} (see {@link PrimaryCommits}). */
  record Verify(GtidSet gtids) implements Action {}

  /** Wait in the process, holding no connection, until the monitor shows one of {@code replicas} UP with the token. */
  record AwaitMonitor(List<String> replicas, long deadlineNanos) implements Action {}

  /**
   * Wait server-side for the token on the first of {@code replicas} that answers, until
   * {@code deadlineNanos} (at most {@link MonitorStage#BRIEF_WAIT} away); without it, the monitor
   * stage again ({@link Attempt#afterBriefWait}): the read waits in the process, holding no
   * connection.
   */
  record BriefWait(List<String> replicas, long deadlineNanos) implements Action {}

  /** Ask each of {@code replicas} in turn, without waiting, whether it has the token. */
  record Check(List<String> replicas) implements Action {}

  /** Wait server-side for the token on the first of {@code replicas} that answers. */
  record WaitOn(List<String> replicas, long deadlineNanos) implements Action {}

  /** Run on the primary, as the read asked ({@code PRIMARY}). */
  record Primary() implements Action {}

  /**
   * No replica serves: run on the primary (within the fallback cap).
   *
   * @param replica the replica named in a failure's message
   */
  record FallBack(FallbackReason reason, String replica, Duration waited) implements Action {}

  /** No replica serves and the policy refuses the primary: fail the read. */
  record Fail(FallbackReason reason, String replica, Duration waited) implements Action {}

  /**
   * The token names writes lost in a failover: fail the read.
   *
   * @param lost the token's GTIDs that the primary lacks and that another server wrote
   * @param fence what the primary had when it became primary
   */
  record Lost(GtidSet lost, Fence fence) implements Action {}

  /** The next action for {@code read} at {@code attempt}, given {@code s} at {@code nowNanos}. */
  static Action decide(Read read, Snapshot s, Attempt attempt, long nowNanos) {
    if (read.consistency() == Consistency.PRIMARY) {
      return new Primary();
    }
    GtidSet required = read.required();
    Fence fence = s.roles().fence();
    if (fence != null && !required.isEmpty()) {
      GtidSet lost = fence.lost(required);
      if (!lost.isEmpty()) {
        return new Lost(lost, fence);
      }
    }
    Action next = route(read, s, attempt, nowNanos);
    if (next instanceof FallBack && !required.isEmpty()) {
      // The server a read falls back to must have the token too.
      Action verify = verify(read, s, attempt);
      if (verify != null) {
        return verify;
      }
    }
    return next;
  }

  /** {@link #decide} past the checks of the token against the primary's. */
  private static Action route(Read read, Snapshot s, Attempt attempt, long nowNanos) {
    GtidSet required = read.required();
    Stage stage = attempt.stage();
    if (stage == Stage.MONITOR && attempt.following() && !required.isEmpty()) {
      Action a = MonitorStage.decide(read, s, attempt, nowNanos);
      if (a != null) {
        return a;
      }
    } else if (stage == Stage.AWAITED && s.monitorUsable()
        && nowNanos - deadline(read, attempt) >= 0) {
      return notServed(read.policy(), true, "any", elapsed(attempt, nowNanos));
    }
    // A monitor that went away mid-wait (a wait with time left ended so; the feed may follow
    // another monitor by now, whose view need not show the token yet), or a token it may not show
    // yet: the servers can answer.
    if (stage.compareTo(Stage.KNOWN) <= 0) {
      List<String> known = candidates(s, attempt, required, true);
      if (!known.isEmpty()) {
        return new Run(known, false);
      }
    }
    if (stage.compareTo(Stage.SERVERS) <= 0 && !required.isEmpty()) {
      Action verify = verify(read, s, attempt);
      if (verify != null) {
        return verify;
      }
      List<String> ask = candidates(s, attempt, required, false);
      if (!ask.isEmpty()) {
        return waits(read.policy()) ? new WaitOn(ask, deadline(read, attempt)) : new Check(ask);
      }
    }
    return notServed(read.policy(), attempt.anyReachable(), attempt.lastTried(),
        elapsed(attempt, nowNanos));
  }

  /**
   * A check of the token against the primary, or null when none is needed: done already for the
   * current primary, the token is the session's own writes (the primary reported them; one that
   * took over since has them, as the fence check showed), or the primary is known to have it.
   */
  static Action verify(Read read, Snapshot s, Attempt attempt) {
    if (attempt.verified() == s.roles().generation() || read.own()) {
      return null;
    }
    GtidSet written = read.written();
    GtidSet foreign = written.isEmpty() ? read.required() : read.required().subtract(written);
    return s.primary().covers(foreign, s.roles().fence()) ? null : new Verify(foreign);
  }

  /**
   * The replicas to try, in rotation from the attempt's first: available, not reported down by a
   * followed monitor, and with {@code knownOnly} known to have {@code required}.
   */
  private static List<String> candidates(Snapshot s, Attempt attempt, GtidSet required,
      boolean knownOnly) {
    List<ReplicaState> all = s.replicas();
    List<String> out = new ArrayList<>(all.size());
    for (int k = 0; k < all.size(); k++) {
      ReplicaState r = all.get(Math.floorMod(attempt.first() + k, all.size()));
      if (!r.available() || (attempt.following() && r.reportedDown())) {
        continue;
      }
      if (knownOnly && !required.isEmpty()
          && !Coverage.covers(r.known(), required, s.roles().fence())) {
        continue;
      }
      out.add(r.name());
    }
    return out;
  }

  /**
   * No replica serves: the primary under the falling-back policies, and under {@code WAIT} when no
   * replica could be reached at all (there was nothing to wait on); a failure otherwise.
   */
  static Action notServed(ReadPolicy policy, boolean anyReachable, String replica,
      Duration waited) {
    FallbackReason reason = anyReachable ? FallbackReason.NOT_CAUGHT_UP
        : FallbackReason.NO_REPLICA_AVAILABLE;
    boolean toPrimary = policy == ReadPolicy.FALLBACK_TO_PRIMARY
        || policy == ReadPolicy.WAIT_THEN_FALLBACK
        || (!anyReachable && policy == ReadPolicy.WAIT);
    return toPrimary ? new FallBack(reason, replica, waited) : new Fail(reason, replica, waited);
  }

  /**
   * Whether reads follow the monitor: its view is fresh and shows at least one available replica
   * UP.
   */
  static boolean follows(Snapshot s) {
    return s.monitorUsable() && ReplicaViews.anyUp(available(s), ReplicaState::view);
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

  static boolean waits(ReadPolicy policy) {
    return policy == ReadPolicy.WAIT || policy == ReadPolicy.WAIT_THEN_FALLBACK;
  }

  static long deadline(Read read, Attempt attempt) {
    return attempt.startNanos() + read.maxWait().toNanos();
  }

  private static Duration elapsed(Attempt attempt, long nowNanos) {
    return Duration.ofNanos(nowNanos - attempt.startNanos());
  }

  static List<ReplicaState> available(Snapshot s) {
    List<ReplicaState> out = new ArrayList<>(s.replicas().size());
    for (ReplicaState r : s.replicas()) {
      if (r.available()) {
        out.add(r);
      }
    }
    return out;
  }

  static List<String> names(List<ReplicaState> replicas) {
    List<String> out = new ArrayList<>(replicas.size());
    for (ReplicaState r : replicas) {
      out.add(r.name());
    }
    return out;
  }
}
