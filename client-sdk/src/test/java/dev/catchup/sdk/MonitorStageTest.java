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
import dev.catchup.sdk.RoutingDecision.Read;
import dev.catchup.sdk.RoutingDecision.ReplicaState;
import dev.catchup.sdk.RoutingDecision.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The monitor stage for a token the monitor's view does not show yet, as a table: token age x the
 * replicas' lag in the view x policy x flavor, with the action stated from the documented rule
 * (the brief server-side wait right after the session's own write, the check under the policies
 * that do not wait, MariaDB's whole-second lag), then the steps after a brief wait. Two replicas,
 * both UP with the same lag, r1 first in rotation; no server, no clock.
 */
class MonitorStageTest {
  private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final long NOW = 1_000_000_000_000L;
  private static final Duration MAX_WAIT = Duration.ofSeconds(5);
  private static final long DEADLINE = NOW + MAX_WAIT.toNanos();
  private static final long BRIEF_END = NOW + MonitorStage.BRIEF_WAIT.toNanos();
  private static final List<String> BOTH = List.of("r1", "r2");
  /** A monitor followed, its view fresh. */
  private static final boolean CONNECTED = true;

  /** The token's age, or "observed": a token from elsewhere, of unknown age. */
  enum Age {
    JUST_WRITTEN(Duration.ofNanos(300_000)), UNDER_TRAIL(Duration.ofMillis(49)),
    AT_TRAIL(Duration.ofMillis(50)), OLD(Duration.ofSeconds(2)), OBSERVED(null);

    final Duration age;

    Age(Duration age) {
      this.age = age;
    }

    boolean young() {
      return this == JUST_WRITTEN || this == UNDER_TRAIL || this == OBSERVED;
    }
  }

  /** The view's lag of both replicas. */
  enum Lag {
    NONE(0.0), WITHIN_TRAIL(0.04), BEYOND_TRAIL(0.3), WITHIN_A_SECOND_MORE(1.04), FAR(3.0),
    UNKNOWN(null);

    final Double seconds;

    Lag(Double seconds) {
      this.seconds = seconds;
    }

    /** Shown behind beyond the trail, once the flavor's precision is taken off. */
    boolean behind(Flavor flavor) {
      double precision = flavor == Flavor.MARIADB ? 1.0 : 0.0;
      return seconds != null && seconds - precision > 0.05;
    }
  }

  @Test
  void decide_tokenTheViewLacks_isWhatTheRuleSays() {
    List<String> wrong = new ArrayList<>();
    for (Flavor flavor : Flavor.values()) {
      for (Age age : Age.values()) {
        for (Lag lag : Lag.values()) {
          for (ReadPolicy policy : ReadPolicy.values()) {
            Read read = read(flavor, policy, age, MAX_WAIT);
            Snapshot s = snapshot(flavor, lag.seconds);
            Action action = RoutingDecision.decide(read, s, Attempt.start(s, NOW, 0), NOW);
            Action expected = expected(flavor, policy, age, lag);
            if (!action.equals(expected)) {
              wrong.add(flavor + " token " + age + ", lag " + lag + ", " + policy + ": expected "
                  + expected + " but was " + action);
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /**
   * Waiting policies: a brief server-side wait for the session's own write younger than the trail
   * on replicas not shown behind; else in the process (WAIT_THEN_FALLBACK goes to the primary at
   * once only when the least lag, less the precision, and the write's age prove the wait vain).
   * The others: a check for a young token (or one of unknown age) unless every replica is shown
   * behind; else the primary or a failure at once.
   */
  private static Action expected(Flavor flavor, ReadPolicy policy, Age age, Lag lag) {
    boolean behind = lag.behind(flavor);
    if (policy == ReadPolicy.WAIT || policy == ReadPolicy.WAIT_THEN_FALLBACK) {
      if (age != Age.OBSERVED && age.young() && !behind) {
        return new BriefWait(BOTH, BRIEF_END);
      }
      return new AwaitMonitor(BOTH, DEADLINE); // never further behind than 3 s of a 5 s wait
    }
    if (age.young() && !behind) {
      return new Check(BOTH);
    }
    return policy == ReadPolicy.FAIL
        ? new Fail(FallbackReason.NOT_CAUGHT_UP, "any", Duration.ZERO)
        : new FallBack(FallbackReason.NOT_CAUGHT_UP, "any", Duration.ZERO);
  }

  @Test
  void briefWait_withoutTheToken_continuesInProcessForTheRestOfMaxWait_neverAgain() {
    Snapshot s = snapshot(Flavor.MYSQL, 0.0);
    Read read = read(Flavor.MYSQL, ReadPolicy.WAIT_THEN_FALLBACK, Age.JUST_WRITTEN, MAX_WAIT);
    Attempt attempt = Attempt.start(s, NOW, 0);
    assertThat(RoutingDecision.decide(read, s, attempt, NOW))
        .isEqualTo(new BriefWait(BOTH, BRIEF_END));
    long later = BRIEF_END + 1_000;
    assertThat(RoutingDecision.decide(read, s, attempt.afterBriefWait(), later))
        .as("the same read's deadline, not one from now")
        .isEqualTo(new AwaitMonitor(BOTH, DEADLINE));
    assertThat(RoutingDecision.decide(read, s, attempt.afterBriefWait().afterAwait(), DEADLINE))
        .isEqualTo(new FallBack(FallbackReason.NOT_CAUGHT_UP, "any", MAX_WAIT));
  }

  @Test
  void briefWait_maxWaitShorterThanTheBound_endsAtTheReadsDeadline_andNoneWithoutTime() {
    Snapshot s = snapshot(Flavor.MYSQL, 0.0);
    Duration shortWait = Duration.ofMillis(5);
    Read read = read(Flavor.MYSQL, ReadPolicy.WAIT, Age.JUST_WRITTEN, shortWait);
    assertThat(RoutingDecision.decide(read, s, Attempt.start(s, NOW, 0), NOW))
        .isEqualTo(new BriefWait(BOTH, NOW + shortWait.toNanos()));
    Read none = read(Flavor.MYSQL, ReadPolicy.WAIT, Age.JUST_WRITTEN, Duration.ZERO);
    assertThat(RoutingDecision.decide(none, s, Attempt.start(s, NOW, 0), NOW))
        .isEqualTo(new AwaitMonitor(BOTH, NOW));
  }

  @Test
  void briefWait_onlyOnTheReplicasNotShownBehind_inRotation() {
    GtidSet earlier = GtidSet.parse(Flavor.MYSQL, A + ":1-3");
    ReplicaState far = new ReplicaState("r1", true, GtidSet.empty(Flavor.MYSQL),
        new ReplicaView("r1", true, earlier, 4.0, 1));
    ReplicaState current = new ReplicaState("r2", true, GtidSet.empty(Flavor.MYSQL),
        new ReplicaView("r2", true, earlier, 0.0, 1));
    ReplicaState down = new ReplicaState("r3", true, GtidSet.empty(Flavor.MYSQL),
        new ReplicaView("r3", false, earlier, 0.0, 1));
    ReplicaState current4 = new ReplicaState("r4", true, GtidSet.empty(Flavor.MYSQL),
        new ReplicaView("r4", true, earlier, null, 1));
    Snapshot s = new Snapshot(List.of(far, current, down, current4), CONNECTED,
        PrimaryCommits.Known.NOTHING);
    Read read = read(Flavor.MYSQL, ReadPolicy.WAIT, Age.JUST_WRITTEN, MAX_WAIT);
    assertThat(RoutingDecision.decide(read, s, Attempt.start(s, NOW, 3), NOW))
        .isEqualTo(new BriefWait(List.of("r4", "r2"), BRIEF_END));
  }

  @Test
  void behind_mariadbLagWithinItsSecondOfPrecision_isNotBehind() {
    assertThat(MonitorStage.behind(0.9, MonitorStage.lagPrecisionSeconds(Flavor.MARIADB)))
        .isFalse();
    assertThat(MonitorStage.behind(1.06, MonitorStage.lagPrecisionSeconds(Flavor.MARIADB)))
        .isTrue();
    assertThat(MonitorStage.behind(0.06, MonitorStage.lagPrecisionSeconds(Flavor.MYSQL)))
        .isTrue();
    assertThat(MonitorStage.behind(0.05, MonitorStage.lagPrecisionSeconds(Flavor.MYSQL)))
        .isFalse();
  }

  private static Read read(Flavor flavor, ReadPolicy policy, Age age, Duration maxWait) {
    GtidSet token = token(flavor);
    boolean own = age != Age.OBSERVED;
    long lastWrite = own ? NOW - age.age.toNanos() : NOW - Long.MAX_VALUE / 2;
    return new Read(Consistency.READ_YOUR_WRITES, policy, maxWait, token,
        own ? token : GtidSet.empty(flavor), lastWrite);
  }

  private static GtidSet token(Flavor flavor) {
    return flavor == Flavor.MYSQL ? GtidSet.parse(flavor, A + ":1-10")
        : GtidSet.parse(flavor, "0-1-10");
  }

  /** Both replicas UP at an earlier position of the token's server, {@code lag} behind. */
  private static Snapshot snapshot(Flavor flavor, Double lag) {
    GtidSet earlier = flavor == Flavor.MYSQL ? GtidSet.parse(flavor, A + ":1-3")
        : GtidSet.parse(flavor, "0-1-3");
    List<ReplicaState> rs = new ArrayList<>();
    for (String name : BOTH) {
      rs.add(new ReplicaState(name, true, GtidSet.empty(flavor),
          new ReplicaView(name, true, earlier, lag, 1)));
    }
    // The primary is known to have the token: an observed one needs no check against it.
    return new Snapshot(rs, CONNECTED, new PrimaryCommits.Known(null, token(flavor)));
  }
}
