package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.ReplicaViews.ReplicaView;
import dev.catchup.sdk.RoutingDecision.Attempt;
import dev.catchup.sdk.RoutingDecision.AwaitMonitor;
import dev.catchup.sdk.RoutingDecision.Fail;
import dev.catchup.sdk.RoutingDecision.Read;
import dev.catchup.sdk.RoutingDecision.ReplicaState;
import dev.catchup.sdk.RoutingDecision.Snapshot;
import dev.catchup.sdk.RoutingDecision.WaitOn;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The routing decision across a switch between monitors: an in-process wait ends when the
 * followed monitor goes silent or away, and by the time the read decides again the feed may follow
 * the other monitor, whose fresh view does not show the token yet. The read must then ask the
 * servers for the rest of its wait, not fail as if the wait had run out.
 */
class RoutingDuringMonitorSwitchTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final GtidSet OWN = GtidSet.parse(Flavor.MYSQL, U + ":1-10");
  private static final GtidSet EARLIER = GtidSet.parse(Flavor.MYSQL, U + ":1-3");
  private static final long NOW = 1_000_000_000_000L;
  private static final Duration MAX_WAIT = Duration.ofSeconds(5);

  @Test
  void decide_awaitEndedByTheMonitorsLoss_otherMonitorFollowedSince_asksTheServers() {
    Snapshot followingA = following(); // monitor a
    // Written a second ago: no brief server wait first (that is for a read right after its write).
    Read read = new Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT, MAX_WAIT, OWN, OWN,
        NOW - Duration.ofSeconds(1).toNanos());
    Attempt attempt = Attempt.start(followingA, NOW, 0);
    assertThat(RoutingDecision.decide(read, followingA, attempt, NOW))
        .isEqualTo(new AwaitMonitor(List.of("r1", "r2"), NOW + MAX_WAIT.toNanos()));
    // The wait ended 3 s in (monitor a went silent); monitor b is followed when the read decides.
    Snapshot followingB = following(); // monitor b: routing sees only that one is followed
    long later = NOW + Duration.ofSeconds(3).toNanos();
    assertThat(RoutingDecision.decide(read, followingB, attempt.afterAwait(), later))
        .isEqualTo(new WaitOn(List.of("r1", "r2"), NOW + MAX_WAIT.toNanos()));
    // A wait that ran out is not served, as before.
    long atDeadline = NOW + MAX_WAIT.toNanos();
    assertThat(RoutingDecision.decide(read, followingB, attempt.afterAwait(), atDeadline))
        .isEqualTo(new Fail(FallbackReason.NOT_CAUGHT_UP, "any", MAX_WAIT));
  }

  private static Snapshot following() {
    return new Snapshot(List.of(behind("r1"), behind("r2")), true,
        PrimaryCommits.Known.NOTHING);
  }

  private static ReplicaState behind(String name) {
    return new ReplicaState(name, true, GtidSet.empty(Flavor.MYSQL),
        new ReplicaView(name, true, EARLIER, 0.0, 1));
  }
}
