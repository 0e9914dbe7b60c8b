package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.ReplicaViews.ReplicaView;
import dev.catchup.sdk.RoutingDecision.Action;
import dev.catchup.sdk.RoutingDecision.Attempt;
import dev.catchup.sdk.RoutingDecision.AwaitMonitor;
import dev.catchup.sdk.RoutingDecision.BriefWait;
import dev.catchup.sdk.RoutingDecision.Check;
import dev.catchup.sdk.RoutingDecision.Fail;
import dev.catchup.sdk.RoutingDecision.FallBack;
import dev.catchup.sdk.RoutingDecision.Lost;
import dev.catchup.sdk.RoutingDecision.Primary;
import dev.catchup.sdk.RoutingDecision.Read;
import dev.catchup.sdk.RoutingDecision.ReplicaState;
import dev.catchup.sdk.RoutingDecision.Run;
import dev.catchup.sdk.RoutingDecision.Snapshot;
import dev.catchup.sdk.RoutingDecision.Verify;
import dev.catchup.sdk.RoutingDecision.WaitOn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The routing decision as a table: every policy x consistency x topology state x monitor state x
 * replica state x token age, with the first action stated by rules written here from the documented behaviour (not
 * from the implementation), then hand-written rows for the subtle cases and the steps after the
 * first. Two replicas, r1 first in rotation; no server, no clock.
 */
class RoutingDecisionTest {
  private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String B = "4a5b6c7d-0000-11e1-8000-000000000001";
  private static final GtidSet NOTHING = GtidSet.empty(Flavor.MYSQL);
  /** The session's own writes. */
  private static final GtidSet OWN = mysql(A + ":1-10");
  /** A token another service passed on. */
  private static final GtidSet OBSERVED = mysql(B + ":1-5");
  /** What the primary has committed: more than this session knows of. */
  private static final GtidSet PRIMARY_SET = mysql(A + ":1-12," + B + ":1-5");
  /** What a replica that is behind has applied. */
  private static final GtidSet EARLIER = mysql(A + ":1-3");
  private static final long NOW = 1_000_000_000_000L;
  private static final Duration MAX_WAIT = Duration.ofSeconds(5);
  private static final long DEADLINE = NOW + MAX_WAIT.toNanos();
  private static final List<String> BOTH = List.of("r1", "r2");
  /** A monitor followed, its view fresh. */
  private static final boolean CONNECTED = true;
  /** The server promoted in a failover, its own GTIDs under this UUID. */
  private static final String C = "5c6d7e8f-0000-11e1-8000-000000000002";
  /** The promoted server got the old primary's A:1-12: nothing the session wrote was lost. */
  private static final Fence NO_LOSS = new Fence("p2", C, mysql(A + ":1-12," + B + ":1-5," + C
      + ":1-3"), null);
  /** The promoted server got only A:1-8: the session's A:9-10 went with the old primary. */
  private static final Fence LOSS = new Fence("p2", C, mysql(A + ":1-8," + B + ":1-5," + C
      + ":1-3"), null);
  private static final GtidSet LOST = mysql(A + ":9-10");

  enum MonitorState { NONE, FOLLOWING, STALE, DOWN, NO_REPLICA_UP }

  enum ReplicaCondition { COVERING, BEHIND, FAILED, IN_BACKOFF }

  enum TokenAge { YOUNG_OWN_WRITE, OLD_OWN_WRITE, OBSERVED_ELSEWHERE }

  /** The configured primary; a promoted one that has all the session wrote; one that lacks part. */
  enum TopologyState { UNCHANGED, PROMOTED_NOTHING_LOST, PROMOTED_OWN_WRITES_LOST }

  private static GtidSet mysql(String text) {
    return GtidSet.parse(Flavor.MYSQL, text);
  }

  // ---- the table ----

  /** One case per policy and consistency; each runs its 60 rows (a case per row costs seconds). */
  static Stream<Arguments> table() {
    List<Arguments> cases = new ArrayList<>();
    for (ReadPolicy policy : ReadPolicy.values()) {
      for (Consistency consistency : Consistency.values()) {
        cases.add(Arguments.of(policy, consistency));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("table")
  void decide_firstStep_isWhatTheRulesSay(ReadPolicy policy, Consistency consistency) {
    List<String> wrong = new ArrayList<>();
    for (TopologyState topology : TopologyState.values()) {
      for (MonitorState monitor : MonitorState.values()) {
        for (ReplicaCondition replicas : ReplicaCondition.values()) {
          for (TokenAge age : TokenAge.values()) {
            Read read = read(policy, consistency, age, topology);
            Snapshot s = snapshot(monitor, replicas, topology);
            Action action = RoutingDecision.decide(read, s, Attempt.start(s, NOW, 0), NOW);
            Action expected = expected(policy, consistency, monitor, replicas, age, topology);
            if (!action.equals(expected)) {
              wrong.add("topology " + topology + ", monitor " + monitor + ", replicas " + replicas
                  + ", token " + age + ": expected " + expected + " but was " + action);
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("table")
  void decide_whenNothingServes_endsInAFewStepsOnThePrimaryOrAFailure(ReadPolicy policy,
      Consistency consistency) {
    for (TopologyState topology : TopologyState.values()) {
      for (MonitorState monitor : MonitorState.values()) {
        for (ReplicaCondition replicas : ReplicaCondition.values()) {
          for (TokenAge age : TokenAge.values()) {
            Read read = read(policy, consistency, age, topology);
            Action end = walk(read, snapshot(monitor, replicas, topology));
            String row = topology + " " + monitor + " " + replicas + " " + age + ": " + end;
            assertThat(ends(end)).as(row).isTrue();
            if (end instanceof Fail f) {
              // Only FAIL refuses the primary when no replica is reachable; WAIT fails only after
              // reaching one.
              assertThat(policy == ReadPolicy.FAIL
                  || (policy == ReadPolicy.WAIT && f.reason() == FallbackReason.NOT_CAUGHT_UP))
                  .as(row).isTrue();
            }
            boolean namesLost = topology == TopologyState.PROMOTED_OWN_WRITES_LOST
                && read.required().contains(LOST);
            assertThat(end instanceof Lost).as(row).isEqualTo(namesLost);
          }
        }
      }
    }
  }

  /**
   * Every walk that ends on the primary under a token the primary is not known to have checks the
   * token against it first: a fallback read comes from a server that has the token.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("table")
  void decide_fallBackUnderAnUnknownToken_isVerifiedAgainstThePrimaryFirst(ReadPolicy policy,
      Consistency consistency) {
    for (MonitorState monitor : MonitorState.values()) {
      for (ReplicaCondition replicas : ReplicaCondition.values()) {
        Read read = read(policy, consistency, TokenAge.OBSERVED_ELSEWHERE, TopologyState.UNCHANGED);
        Snapshot known = snapshot(monitor, replicas, TopologyState.UNCHANGED);
        Snapshot s = new Snapshot(known.replicas(), known.monitorUsable(), PrimaryCommits.Known.NOTHING,
            known.roles());
        List<Action> steps = new ArrayList<>();
        walk(read, s, steps);
        String row = monitor + " " + replicas + ": " + steps;
        if (steps.get(steps.size() - 1) instanceof FallBack && !read.required().isEmpty()) {
          assertThat(steps.stream().anyMatch(a -> a instanceof Verify)).as(row).isTrue();
        }
      }
    }
  }

  /**
   * A read of the session's own writes never looks at what the primary is known to have: the
   * router leaves that part of the snapshot out for it (a lookup and an allocation per read), and
   * every walk comes out the same without it.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("table")
  void decide_ownWrites_sameStepsWithNothingKnownOfThePrimary(ReadPolicy policy,
      Consistency consistency) {
    for (TokenAge age : List.of(TokenAge.YOUNG_OWN_WRITE, TokenAge.OLD_OWN_WRITE)) {
      for (TopologyState topology : TopologyState.values()) {
        Read read = read(policy, consistency, age, topology);
        if (!read.own()) {
          continue; // STRONG after a promotion: the new primary's set is not all own writes
        }
        for (MonitorState monitor : MonitorState.values()) {
          for (ReplicaCondition replicas : ReplicaCondition.values()) {
            Snapshot s = snapshot(monitor, replicas, topology);
            List<Action> known = new ArrayList<>();
            List<Action> blind = new ArrayList<>();
            walk(read, s, known);
            walk(read, new Snapshot(s.replicas(), s.monitorUsable(), PrimaryCommits.Known.NOTHING,
                s.roles()), blind);
            assertThat(blind).as(age + " " + topology + " " + monitor + " " + replicas)
                .isEqualTo(known);
          }
        }
      }
    }
  }

  /**
   * Applies the decision repeatedly as if nothing served (every borrow fails, no wait finds the
   * token, every replica asked answers "not yet"); the action it ends on, or the seventh.
   */
  private static Action walk(Read read, Snapshot s) {
    return walk(read, s, new ArrayList<>());
  }

  private static Action walk(Read read, Snapshot s, List<Action> steps) {
    Attempt attempt = Attempt.start(s, NOW, 0);
    Action action = RoutingDecision.decide(read, s, attempt, NOW);
    steps.add(action);
    for (int step = 0; step < 6 && !ends(action); step++) {
      if (action instanceof Verify) {
        attempt = attempt.afterVerify(s.roles().generation());
      } else if (action instanceof Run run) {
        attempt = attempt.afterRun(run.byMonitor());
      } else if (action instanceof AwaitMonitor) {
        attempt = attempt.afterAwait();
      } else if (action instanceof BriefWait) {
        attempt = attempt.afterBriefWait();
      } else {
        attempt = attempt.afterAsking(true, "r1");
      }
      action = RoutingDecision.decide(read, s, attempt, NOW);
      steps.add(action);
    }
    return action;
  }

  private static boolean ends(Action a) {
    return a instanceof Primary || a instanceof FallBack || a instanceof Fail
        || a instanceof Lost;
  }

  /**
   * The expected first action, from the documented rules: PRIMARY reads go to the primary; a read
   * that must see nothing runs on any reachable replica; a followed monitor (fresh, an available
   * replica UP) names a covering replica, or makes waiting policies wait for its push (right after
   * the session's own write, a brief server-side wait on the current replicas first), and lets the
   * others ask the servers only for a token it may not show yet (younger than 50 ms or of unknown
   * age, with replicas within 50 ms); otherwise a replica this process knows has the token runs the
   * read, then waiting policies wait on the replicas and the others check them; with no replica to
   * try only FAIL refuses the primary. Before all that but PRIMARY reads, a token naming writes
   * the promoted primary lacks and did not write fails the read at once, whatever the policy, the
   * monitor or the replicas say (a replica may show it by MariaDB's sequence-only comparison).
   */
  @SuppressWarnings("deprecation")
  private static Action expected(ReadPolicy policy, Consistency consistency, MonitorState monitor,
      ReplicaCondition replicas, TokenAge age, TopologyState topology) {
    if (consistency == Consistency.PRIMARY) {
      return new Primary();
    }
    boolean ownWrites = age != TokenAge.OBSERVED_ELSEWHERE;
    boolean routedOnToken = consistency == Consistency.READ_YOUR_WRITES
        || consistency == Consistency.CAUSAL;
    if (topology == TopologyState.PROMOTED_OWN_WRITES_LOST && ownWrites && routedOnToken) {
      return new Lost(LOST, LOSS);
    }
    boolean reachable = replicas != ReplicaCondition.IN_BACKOFF;
    if (consistency == Consistency.EVENTUAL) {
      return reachable ? new Run(BOTH, false) : noReplica(policy);
    }
    boolean waits = policy == ReadPolicy.WAIT || policy == ReadPolicy.WAIT_THEN_FALLBACK;
    boolean monitorFollowed = monitor == MonitorState.FOLLOWING
        && (replicas == ReplicaCondition.COVERING || replicas == ReplicaCondition.BEHIND);
    if (monitorFollowed) {
      if (replicas == ReplicaCondition.COVERING) {
        return new Run(List.of("r1"), true); // equally current: the first in rotation
      }
      if (waits) {
        // Right after its own write, 20 ms behind (current): a brief server-side wait first.
        if (age == TokenAge.YOUNG_OWN_WRITE && routedOnToken) {
          return new BriefWait(BOTH, NOW + MonitorStage.BRIEF_WAIT.toNanos());
        }
        return new AwaitMonitor(BOTH, DEADLINE); // 20 ms behind: a 5 s wait is not in vain
      }
      // A STRONG read's set comes from the primary: its age is not known either.
      boolean mayBeOnAReplica = age != TokenAge.OLD_OWN_WRITE || consistency == Consistency.STRONG;
      if (mayBeOnAReplica) {
        return new Check(BOTH);
      }
      return policy == ReadPolicy.FAIL
          ? new Fail(FallbackReason.NOT_CAUGHT_UP, "any", Duration.ZERO)
          : new FallBack(FallbackReason.NOT_CAUGHT_UP, "any", Duration.ZERO);
    }
    if (replicas == ReplicaCondition.COVERING) {
      return new Run(BOTH, false); // known from earlier checks: no query
    }
    if (!reachable) {
      return noReplica(policy);
    }
    return waits ? new WaitOn(BOTH, DEADLINE) : new Check(BOTH);
  }

  private static Action noReplica(ReadPolicy policy) {
    return policy == ReadPolicy.FAIL
        ? new Fail(FallbackReason.NO_REPLICA_AVAILABLE, "none", Duration.ZERO)
        : new FallBack(FallbackReason.NO_REPLICA_AVAILABLE, "none", Duration.ZERO);
  }

  // ---- hand-written rows: the subtle cases ----

  private static final Duration YOUNG = Duration.ofMillis(1);

  @Test
  void monitorTrail_ownWriteJustUnder50ms_checksTheReplicas_at50ms_fallsBack() {
    Snapshot s = following(behind("r1", 0.02), behind("r2", 0.02));
    long trail = RoutingDecision.MONITOR_TRAIL_NANOS;
    assertThat(first(ownRead(ReadPolicy.FALLBACK_TO_PRIMARY, NOW - trail + 1), s))
        .isEqualTo(new Check(BOTH));
    assertThat(first(ownRead(ReadPolicy.FALLBACK_TO_PRIMARY, NOW - trail), s))
        .isEqualTo(new FallBack(FallbackReason.NOT_CAUGHT_UP, "any", Duration.ZERO));
    assertThat(first(ownRead(ReadPolicy.FAIL, NOW - trail), s))
        .isEqualTo(new Fail(FallbackReason.NOT_CAUGHT_UP, "any", Duration.ZERO));
  }

  @Test
  void monitorTrail_youngTokenButEveryReplicaFurtherBehindThanTheTrail_isNotChecked() {
    Snapshot s = following(behind("r1", 0.051), behind("r2", 3.0));
    assertThat(first(ownRead(ReadPolicy.FALLBACK_TO_PRIMARY, NOW - YOUNG.toNanos()), s))
        .isEqualTo(new FallBack(FallbackReason.NOT_CAUGHT_UP, "any", Duration.ZERO));
  }

  @Test
  void monitorTrail_youngTokenWithAReplicaOfUnknownLag_checksTheReplicas() {
    Snapshot s = following(behind("r1", null), behind("r2", 3.0));
    assertThat(first(ownRead(ReadPolicy.FAIL, NOW - YOUNG.toNanos()), s))
        .isEqualTo(new Check(BOTH));
  }

  @Test
  void waitInVain_everyReplicaFurtherBehindThanTheWait_fallsBackAtOnce() {
    Snapshot s = following(behind("r1", 10.0), behind("r2", 12.0));
    assertThat(first(ownRead(ReadPolicy.WAIT_THEN_FALLBACK, NOW - YOUNG.toNanos()), s))
        .isEqualTo(new FallBack(FallbackReason.NOT_CAUGHT_UP, "any (10.0 s behind)",
            Duration.ZERO));
  }

  @Test
  void waitInVain_notUnderWait_norForAnOldEnoughWrite_norAnUnknownAgeOrLag_waits() {
    Snapshot farBehind = following(behind("r1", 10.0), behind("r2", 12.0));
    AwaitMonitor await = new AwaitMonitor(BOTH, DEADLINE);
    assertThat(first(ownRead(ReadPolicy.WAIT, NOW - YOUNG.toNanos()), farBehind))
        .as("WAIT never gives up early").isEqualTo(await);
    assertThat(first(ownRead(ReadPolicy.WAIT_THEN_FALLBACK,
        NOW - Duration.ofSeconds(6).toNanos()), farBehind))
        .as("written 6 s ago, 10 s behind: arrives in about 4 s").isEqualTo(await);
    Read observed = new Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT_THEN_FALLBACK,
        MAX_WAIT, OBSERVED, NOTHING, NOW - Long.MAX_VALUE / 2);
    Snapshot committed = snapshot(CONNECTED, new PrimaryCommits.Known(PRIMARY_SET, null),
        behind("r1", 10.0), behind("r2", 12.0));
    assertThat(first(observed, committed)).as("a token of unknown age").isEqualTo(await);
    Snapshot unknownLag = following(behind("r1", 10.0), behind("r2", null));
    assertThat(first(ownRead(ReadPolicy.WAIT_THEN_FALLBACK, NOW - YOUNG.toNanos()), unknownLag))
        .as("r2 may be current: a brief wait there first")
        .isEqualTo(new BriefWait(List.of("r2"), NOW + MonitorStage.BRIEF_WAIT.toNanos()));
    assertThat(first(ownRead(ReadPolicy.WAIT_THEN_FALLBACK, NOW - Duration.ofSeconds(1).toNanos()),
        unknownLag)).as("r2 may be current").isEqualTo(await);
  }

  @Test
  void tokenBeyondThePrimary_isVerifiedBeforeAnyReplicaIsAskedOrWaitedFor() {
    GtidSet required = OWN.union(OBSERVED);
    Read read = new Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT, MAX_WAIT, required, OWN,
        NOW - YOUNG.toNanos());
    PrimaryCommits.Known onlyOwn = new PrimaryCommits.Known(mysql(A + ":1-12"), null);
    Verify verify = new Verify(OBSERVED); // the session's own writes need no check
    Snapshot viaMonitor = snapshot(CONNECTED, onlyOwn, behind("r1", 0.0), behind("r2", 0.0));
    assertThat(first(read, viaMonitor)).isEqualTo(verify);
    Snapshot direct = snapshot(NO_MONITOR, onlyOwn, unknown("r1"), unknown("r2"));
    assertThat(first(read, direct)).isEqualTo(verify);
    Attempt verified = Attempt.start(direct, NOW, 0).afterVerify(0);
    assertThat(RoutingDecision.decide(read, direct, verified, NOW))
        .isEqualTo(new WaitOn(BOTH, DEADLINE));
  }

  @Test
  void tokenBeyondThePrimary_aReplicaKnownToHaveIt_orThePrimaryKnownToHaveIt_needsNoCheck() {
    GtidSet required = OWN.union(OBSERVED);
    Read read = new Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT, MAX_WAIT, required, OWN,
        NOW - YOUNG.toNanos());
    ReplicaState knows = new ReplicaState("r1", true, required, null);
    assertThat(first(read, snapshot(NO_MONITOR, PrimaryCommits.Known.NOTHING, knows,
        unknown("r2")))).isEqualTo(new Run(List.of("r1"), false));
    PrimaryCommits.Known monitorSaysSo = new PrimaryCommits.Known(null, PRIMARY_SET);
    assertThat(first(read, snapshot(NO_MONITOR, monitorSaysSo, unknown("r1"), unknown("r2"))))
        .isEqualTo(new WaitOn(BOTH, DEADLINE));
    Read own = ownRead(ReadPolicy.WAIT, NOW - YOUNG.toNanos());
    assertThat(first(own, snapshot(NO_MONITOR, PrimaryCommits.Known.NOTHING, unknown("r1"),
        unknown("r2")))).as("own writes: the primary reported them")
        .isEqualTo(new WaitOn(BOTH, DEADLINE));
  }

  @Test
  void replicaNotUpInAFollowedMonitor_isNotAsked_evenAfterTheMonitorGoesAway() {
    ReplicaState down = new ReplicaState("r1", true, NOTHING,
        new ReplicaView("r1", false, EARLIER, null, 1));
    Snapshot s = snapshot(CONNECTED, PrimaryCommits.Known.NOTHING, down, behind("r2", 0.0));
    assertThat(first(ownRead(ReadPolicy.FAIL, NOW - YOUNG.toNanos()), s))
        .isEqualTo(new Check(List.of("r2")));
    Read waiting = ownRead(ReadPolicy.WAIT, NOW - YOUNG.toNanos());
    Attempt attempt = Attempt.start(s, NOW, 0);
    assertThat(RoutingDecision.decide(waiting, s, attempt, NOW)).as("a brief wait on r2 only")
        .isEqualTo(new BriefWait(List.of("r2"), NOW + MonitorStage.BRIEF_WAIT.toNanos()));
    assertThat(RoutingDecision.decide(waiting, s, attempt.afterBriefWait(), NOW))
        .isEqualTo(new AwaitMonitor(BOTH, DEADLINE)); // the monitor itself waits for r1 to be UP
    Snapshot gone = snapshot(MONITOR_LOST,
        PrimaryCommits.Known.NOTHING, down, behind("r2", 0.0));
    assertThat(RoutingDecision.decide(waiting, gone, attempt.afterAwait(), NOW + 1000))
        .isEqualTo(new WaitOn(List.of("r2"), DEADLINE));
    Read eventual = new Read(Consistency.EVENTUAL, ReadPolicy.FAIL, MAX_WAIT, NOTHING, OWN, NOW);
    assertThat(first(eventual, s)).isEqualTo(new Run(List.of("r2"), false));
    Snapshot stale = snapshot(MONITOR_STALE,
        PrimaryCommits.Known.NOTHING, down, behind("r2", 0.0));
    assertThat(first(ownRead(ReadPolicy.FAIL, NOW - YOUNG.toNanos()), stale))
        .as("an unfollowed monitor's word does not keep a replica from being asked")
        .isEqualTo(new Check(BOTH));
  }

  @Test
  void awaitEnded_monitorStillFollowed_isNotServed_monitorGone_asksTheServers() {
    Snapshot s = following(behind("r1", 0.0), behind("r2", 0.0));
    long later = NOW + MAX_WAIT.toNanos();
    Attempt awaited = Attempt.start(s, NOW, 0).afterAwait();
    assertThat(RoutingDecision.decide(ownRead(ReadPolicy.WAIT_THEN_FALLBACK, NOW), s, awaited,
        later)).isEqualTo(new FallBack(FallbackReason.NOT_CAUGHT_UP, "any", MAX_WAIT));
    assertThat(RoutingDecision.decide(ownRead(ReadPolicy.WAIT, NOW), s, awaited, later))
        .isEqualTo(new Fail(FallbackReason.NOT_CAUGHT_UP, "any", MAX_WAIT));
    Snapshot gone = snapshot(MONITOR_LOST,
        PrimaryCommits.Known.NOTHING, behind("r1", 0.0), behind("r2", 0.0));
    assertThat(RoutingDecision.decide(ownRead(ReadPolicy.WAIT, NOW), gone, awaited, NOW + 7))
        .as("the rest of the same budget").isEqualTo(new WaitOn(BOTH, DEADLINE));
  }

  @Test
  void monitorsPickCannotLend_theOthersAreAsked_andAfterAskingThePolicyDecides() {
    Snapshot s = following(covering("r1", 0.0), behind("r2", 0.0));
    Read read = ownRead(ReadPolicy.WAIT, NOW);
    Attempt attempt = Attempt.start(s, NOW, 0);
    assertThat(RoutingDecision.decide(read, s, attempt, NOW))
        .isEqualTo(new Run(List.of("r1"), true));
    // r1's borrow failed: it backs off, and what it had applied is forgotten.
    Snapshot after = snapshot(CONNECTED, PrimaryCommits.Known.NOTHING,
        new ReplicaState("r1", false, NOTHING, s.replicas().get(0).view()), behind("r2", 0.0));
    attempt = attempt.afterRun(true);
    assertThat(RoutingDecision.decide(read, after, attempt, NOW + 9))
        .isEqualTo(new WaitOn(List.of("r2"), DEADLINE));
    attempt = attempt.afterAsking(true, "r2 (pool exhausted)");
    assertThat(RoutingDecision.decide(read, after, attempt, NOW + 9))
        .isEqualTo(new Fail(FallbackReason.NOT_CAUGHT_UP, "r2 (pool exhausted)",
            Duration.ofNanos(9)));
  }

  @Test
  void knownReplicasCannotLend_theServersAreAsked() {
    ReplicaState known = new ReplicaState("r1", true, OWN, null);
    Snapshot s = snapshot(NO_MONITOR, PrimaryCommits.Known.NOTHING, known, unknown("r2"));
    Read read = ownRead(ReadPolicy.FALLBACK_TO_PRIMARY, NOW);
    Attempt attempt = Attempt.start(s, NOW, 0);
    assertThat(RoutingDecision.decide(read, s, attempt, NOW))
        .isEqualTo(new Run(List.of("r1"), false));
    assertThat(RoutingDecision.decide(read, s, attempt.afterRun(false), NOW))
        .as("r1's pool was exhausted: it still may answer a check").isEqualTo(new Check(BOTH));
  }

  @Test
  void rotation_startsAtTheAttemptsFirst_andTheMonitorPrefersTheLeastBehind() {
    Snapshot equal = following(covering("r1", 0.0), covering("r2", 0.0));
    Read read = ownRead(ReadPolicy.FAIL, NOW);
    assertThat(RoutingDecision.decide(read, equal, Attempt.start(equal, NOW, 1), NOW))
        .isEqualTo(new Run(List.of("r2"), true));
    Snapshot lagging = following(covering("r1", 0.5), covering("r2", 0.1));
    assertThat(first(read, lagging)).isEqualTo(new Run(List.of("r2"), true));
    Snapshot known = snapshot(NO_MONITOR, PrimaryCommits.Known.NOTHING,
        new ReplicaState("r1", true, OWN, null), new ReplicaState("r2", true, OWN, null));
    assertThat(RoutingDecision.decide(read, known, Attempt.start(known, NOW, 1), NOW))
        .isEqualTo(new Run(List.of("r2", "r1"), false));
  }

  @Test
  void fallBack_afterThePrimaryChangedMidRead_isVerifiedAgainstTheNewPrimary() {
    Read read = new Read(Consistency.READ_YOUR_WRITES, ReadPolicy.FALLBACK_TO_PRIMARY, MAX_WAIT,
        OBSERVED, NOTHING, NOW - Long.MAX_VALUE / 2);
    Snapshot before = snapshot(NO_MONITOR, new PrimaryCommits.Known(PRIMARY_SET, null),
        unknown("r1"), unknown("r2"));
    Attempt attempt = Attempt.start(before, NOW, 0);
    assertThat(RoutingDecision.decide(read, before, attempt, NOW))
        .as("the old primary was known to have it").isEqualTo(new Check(BOTH));
    attempt = attempt.afterAsking(true, "r2");
    Snapshot after = new Snapshot(before.replicas(), NO_MONITOR, PrimaryCommits.Known.NOTHING,
        new Roles(1, "p2", BOTH, NO_LOSS));
    assertThat(RoutingDecision.decide(read, after, attempt, NOW + 5))
        .as("nothing is known of the new primary: check before falling back to it")
        .isEqualTo(new Verify(OBSERVED));
    assertThat(RoutingDecision.decide(read, after, attempt.afterVerify(1), NOW + 5))
        .isEqualTo(new FallBack(FallbackReason.NOT_CAUGHT_UP, "r2", Duration.ofNanos(5)));
  }

  @Test
  void verify_doneAgainstAnEarlierPrimary_isDoneAgain() {
    Read read = new Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT, MAX_WAIT, OBSERVED,
        NOTHING, NOW - Long.MAX_VALUE / 2);
    Snapshot promoted = new Snapshot(List.of(unknown("r1"), unknown("r2")), NO_MONITOR,
        PrimaryCommits.Known.NOTHING, new Roles(1, "p2", BOTH, NO_LOSS));
    Attempt checkedOnTheOldOne = Attempt.start(promoted, NOW, 0).afterVerify(0);
    assertThat(RoutingDecision.decide(read, promoted, checkedOnTheOldOne, NOW))
        .isEqualTo(new Verify(OBSERVED));
  }

  @Test
  void lost_evenWhenTheMonitorShowsAReplicaCovering_orTheReadOnlyObservedThem() {
    Snapshot s = new Snapshot(List.of(covering("r1", 0.0), covering("r2", 0.0)), CONNECTED,
        new PrimaryCommits.Known(LOSS.executed(), null), new Roles(1, "p2", BOTH, LOSS));
    assertThat(first(ownRead(ReadPolicy.FALLBACK_TO_PRIMARY, NOW), s))
        .isEqualTo(new Lost(LOST, LOSS));
    Read observedOnly = new Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT, MAX_WAIT,
        mysql(A + ":1-10"), NOTHING, NOW - Long.MAX_VALUE / 2);
    assertThat(first(observedOnly, s)).isEqualTo(new Lost(LOST, LOSS));
    Read written = new Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT, MAX_WAIT,
        mysql(A + ":1-8," + C + ":1-9"), mysql(C + ":1-9"), NOW);
    assertThat(first(written, s)).as("what the new primary wrote is never lost")
        .isNotInstanceOf(Lost.class);
  }

  // ---- MariaDB after a failover: positions compare by sequence number only ----

  private static GtidSet maria(String text) {
    return GtidSet.parse(Flavor.MARIADB, text);
  }

  /** The session wrote 0-1-105 on server 1; server 2 was promoted at 0-1-100 and wrote to 110. */
  private static final GtidSet MARIA_OWN = maria("0-1-105");

  private static Read mariaRead(ReadPolicy policy, GtidSet token) {
    return new Read(Consistency.READ_YOUR_WRITES, policy, MAX_WAIT, token, token,
        NOW - Duration.ofSeconds(1).toNanos());
  }

  /** Two replicas the monitor shows UP at {@code position}, nothing known to this process. */
  private static List<ReplicaState> mariaViews(String position) {
    GtidSet empty = GtidSet.empty(Flavor.MARIADB);
    return List.of(
        new ReplicaState("r1", true, empty, new ReplicaView("r1", true, maria(position), 0.0, 1)),
        new ReplicaState("r2", true, empty, new ReplicaView("r2", true, maria(position), 0.0, 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.catchup.sdk.RoutingDecisionTest#policies")
  void mariadbWindow_viewOfTheNewServersSequence_doesNotCoverTheLostToken_theServersAreAsked(
      ReadPolicy policy) {
    // No fence yet: the SDK has not learned of the promotion (configured roles).
    Snapshot s = new Snapshot(mariaViews("0-2-110"), CONNECTED,
        new PrimaryCommits.Known(null, maria("0-2-110")));
    Action a = first(mariaRead(policy, MARIA_OWN), s);
    List<String> both = List.of("r1", "r2");
    assertThat(a).isEqualTo(policy == ReadPolicy.WAIT || policy == ReadPolicy.WAIT_THEN_FALLBACK
        ? new WaitOn(both, DEADLINE) : new Check(both));
  }

  static Stream<ReadPolicy> policies() {
    return Stream.of(ReadPolicy.values());
  }

  @Test
  void mariadbWindow_knownSetOfTheNewServersSequence_doesNotCoverTheLostToken() {
    GtidSet empty = GtidSet.empty(Flavor.MARIADB);
    Snapshot s = snapshot(NO_MONITOR, PrimaryCommits.Known.NOTHING,
        new ReplicaState("r1", true, maria("0-2-110"), null),
        new ReplicaState("r2", true, empty, null));
    assertThat(first(mariaRead(ReadPolicy.WAIT, MARIA_OWN), s))
        .isEqualTo(new WaitOn(List.of("r1", "r2"), DEADLINE));
  }

  @Test
  void mariadb_sameServersPosition_coversWithNoQuery_andTheFenceProvesTheLineage() {
    Snapshot steady = new Snapshot(mariaViews("0-1-110"), CONNECTED, PrimaryCommits.Known.NOTHING);
    assertThat(first(mariaRead(ReadPolicy.WAIT, MARIA_OWN), steady))
        .isEqualTo(new Run(List.of("r1"), true));
    Fence promoted = new Fence("p2", "2", maria("0-1-100"),
        dev.catchup.gtid.MariaDbBinlogState.parse("0-1-100"));
    Snapshot after = new Snapshot(mariaViews("0-2-110"), CONNECTED, PrimaryCommits.Known.NOTHING,
        new Roles(1, "p2", BOTH, promoted));
    assertThat(first(mariaRead(ReadPolicy.WAIT, maria("0-1-100")), after))
        .as("0-1-100 reached the new primary before it was promoted")
        .isEqualTo(new Run(List.of("r1"), true));
    assertThat(first(mariaRead(ReadPolicy.WAIT, MARIA_OWN), after))
        .isEqualTo(new Lost(MARIA_OWN, promoted));
  }

  @Test
  void primaryConsistency_goesToThePrimary_whateverTheReplicas() {
    Read read = new Read(Consistency.PRIMARY, ReadPolicy.FAIL, MAX_WAIT, NOTHING, OWN, NOW);
    Snapshot none = snapshot(NO_MONITOR, PrimaryCommits.Known.NOTHING);
    assertThat(first(read, none)).isEqualTo(new Primary());
  }

  /** No monitor configured; for routing the same as one lost or stale: not usable. */
  private static final boolean NO_MONITOR = false;
  private static final boolean MONITOR_LOST = false;
  private static final boolean MONITOR_STALE = false;

  private static Action first(Read read, Snapshot s) {
    return RoutingDecision.decide(read, s, Attempt.start(s, NOW, 0), NOW);
  }

  private static Read ownRead(ReadPolicy policy, long lastWriteNanos) {
    return new Read(Consistency.READ_YOUR_WRITES, policy, MAX_WAIT, OWN, OWN, lastWriteNanos);
  }

  private static Snapshot following(ReplicaState... replicas) {
    return snapshot(CONNECTED, PrimaryCommits.Known.NOTHING, replicas);
  }

  private static Snapshot snapshot(boolean monitorUsable, PrimaryCommits.Known primary,
      ReplicaState... replicas) {
    return new Snapshot(List.of(replicas), monitorUsable, primary);
  }

  /** Available, UP in the monitor's view at {@code EARLIER}, {@code lag} seconds behind. */
  private static ReplicaState behind(String name, Double lag) {
    return new ReplicaState(name, true, NOTHING, new ReplicaView(name, true, EARLIER, lag, 1));
  }

  /** Available, UP in the monitor's view with everything confirmed; this process knows nothing. */
  private static ReplicaState covering(String name, double lag) {
    return new ReplicaState(name, true, NOTHING, new ReplicaView(name, true, PRIMARY_SET, lag, 1));
  }

  /** Available; nothing known, no monitor. */
  private static ReplicaState unknown(String name) {
    return new ReplicaState(name, true, NOTHING, null);
  }

  // ---- the rows' values ----

  @SuppressWarnings("deprecation")
  private static Read read(ReadPolicy policy, Consistency consistency, TokenAge age,
      TopologyState topology) {
    GtidSet written = age == TokenAge.OBSERVED_ELSEWHERE ? NOTHING : OWN;
    GtidSet all = age == TokenAge.OBSERVED_ELSEWHERE ? OBSERVED : OWN;
    long lastWrite = switch (age) {
      case YOUNG_OWN_WRITE -> NOW - Duration.ofMillis(10).toNanos();
      case OLD_OWN_WRITE -> NOW - Duration.ofSeconds(1).toNanos();
      case OBSERVED_ELSEWHERE -> NOW - Long.MAX_VALUE / 2; // never wrote
    };
    GtidSet required = switch (consistency) {
      case EVENTUAL, PRIMARY -> NOTHING;
      case READ_YOUR_WRITES, CAUSAL -> all;
      case STRONG -> primarySet(topology); // read from the primary of the day
    };
    return new Read(consistency, policy, MAX_WAIT, required, written, lastWrite);
  }

  /** What the primary of {@code topology} has committed. */
  private static GtidSet primarySet(TopologyState topology) {
    return switch (topology) {
      case UNCHANGED -> PRIMARY_SET;
      case PROMOTED_NOTHING_LOST -> NO_LOSS.executed();
      case PROMOTED_OWN_WRITES_LOST -> LOSS.executed();
    };
  }

  private static Roles roles(TopologyState topology) {
    return switch (topology) {
      case UNCHANGED -> Roles.configured("p1", BOTH, false);
      case PROMOTED_NOTHING_LOST -> new Roles(1, "p2", BOTH, NO_LOSS);
      case PROMOTED_OWN_WRITES_LOST -> new Roles(1, "p2", BOTH, LOSS);
    };
  }

  private static Snapshot snapshot(MonitorState monitor, ReplicaCondition condition,
      TopologyState topology) {
    List<ReplicaState> replicas = new ArrayList<>();
    // A covering replica has what the primary of the day has, and what the old one had.
    GtidSet everything = PRIMARY_SET.union(primarySet(topology));
    for (String name : BOTH) {
      replicas.add(replica(name, condition, monitor, everything));
    }
    boolean monitorUsable = switch (monitor) {
      case NONE -> NO_MONITOR;
      case FOLLOWING, NO_REPLICA_UP -> CONNECTED;
      case STALE -> MONITOR_STALE;
      case DOWN -> MONITOR_LOST;
    };
    return new Snapshot(replicas, monitorUsable,
        new PrimaryCommits.Known(primarySet(topology), null), roles(topology));
  }

  private static ReplicaState replica(String name, ReplicaCondition c, MonitorState monitor,
      GtidSet everything) {
    ReplicaView view = switch (c) {
      case COVERING -> new ReplicaView(name, true, everything, 0.0, 1);
      case BEHIND -> new ReplicaView(name, true, EARLIER, 0.02, 1);
      case FAILED -> new ReplicaView(name, false, EARLIER, null, 1);
      // The monitor still reaches it; this process does not.
      case IN_BACKOFF -> new ReplicaView(name, true, everything, 0.0, 1);
    };
    if (monitor == MonitorState.NONE) {
      view = null;
    } else if (monitor == MonitorState.NO_REPLICA_UP) {
      view = new ReplicaView(name, false, view.confirmed(), null, 2);
    }
    GtidSet known = switch (c) {
      case COVERING -> everything;
      case BEHIND -> EARLIER;
      case FAILED, IN_BACKOFF -> NOTHING; // a failure forgets what it had applied
    };
    return new ReplicaState(name, c != ReplicaCondition.IN_BACKOFF, known, view);
  }
}
