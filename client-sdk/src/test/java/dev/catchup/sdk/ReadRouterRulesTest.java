package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The router's rules on values: which token a level requires, and when a token counts as young. */
class ReadRouterRulesTest {
  private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String B = "4a5b6c7d-0000-11e1-8000-000000000001";
  private static final ConsistencyToken OWN = ConsistencyToken.decode("mysql/" + A + ":1-10");
  private static final ConsistencyToken OBSERVED = ConsistencyToken.decode("mysql/" + B + ":1-5");
  private static final ConsistencyToken ALL = OWN.merge(OBSERVED);
  private static final long NOW = 1_000_000_000_000L;

  @Test
  void tokenFor_readYourWrites_includesObservedTokens() {
    assertThat(RoutingDecision.tokenFor(Consistency.READ_YOUR_WRITES, OWN, ALL)).isEqualTo(ALL);
  }

  @Test
  @SuppressWarnings("deprecation")
  void tokenFor_causal_isTheSameAsReadYourWrites() {
    assertThat(RoutingDecision.tokenFor(Consistency.CAUSAL, OWN, ALL)).isEqualTo(ALL);
  }

  @Test
  void tokenFor_eventual_requiresNothing() {
    assertThat(RoutingDecision.tokenFor(Consistency.EVENTUAL, OWN, ALL).isEmpty()).isTrue();
  }

  @Test
  void young_ownWriteWithinTheTrail_isYoung() {
    long lastWrite = NOW - RoutingDecision.MONITOR_TRAIL_NANOS + 1;
    assertThat(read(OWN.gtids(), OWN.gtids(), lastWrite).young(NOW)).isTrue();
  }

  @Test
  void young_ownWriteOlderThanTheTrail_isNotYoung() {
    long lastWrite = NOW - RoutingDecision.MONITOR_TRAIL_NANOS;
    assertThat(read(OWN.gtids(), OWN.gtids(), lastWrite).young(NOW)).isFalse();
  }

  @Test
  void young_observedPartNotCoveredByOwnWrites_isYoungHoweverOldTheLastWrite() {
    long longAgo = NOW - 3_600_000_000_000L;
    assertThat(read(ALL.gtids(), OWN.gtids(), longAgo).young(NOW)).isTrue();
    assertThat(read(OBSERVED.gtids(), GtidSet.empty(Flavor.MYSQL), longAgo).young(NOW))
        .isTrue();
  }

  @Test
  void young_observedTokenOwnWritesAlreadyCover_isNotYoungOnceOld() {
    ConsistencyToken covered = ConsistencyToken.decode("mysql/" + A + ":1-3");
    long longAgo = NOW - 3_600_000_000_000L;
    assertThat(read(OWN.merge(covered).gtids(), OWN.gtids(), longAgo).young(NOW)).isFalse();
  }

  /** A read of {@code required} by a session that wrote {@code written}, last at {@code lastWrite}. */
  private static RoutingDecision.Read read(GtidSet required, GtidSet written, long lastWrite) {
    return new RoutingDecision.Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT,
        Duration.ofSeconds(5), required, written, lastWrite);
  }

  @Test
  void waitIsInVain_replicaFurtherBehindThanTheWaitForAFreshWrite_isInVain() {
    assertThat(MonitorStage.waitIsInVain(6.0, Duration.ofSeconds(5), 0)).isTrue();
  }

  @Test
  void waitIsInVain_writeOldEnoughToArriveWithinTheWait_isNotInVain() {
    // 6 s behind, written 3 s ago: the replica applies it in about 3 s, within the 5 s wait.
    assertThat(MonitorStage.waitIsInVain(6.0, Duration.ofSeconds(5), 3_000_000_000L)).isFalse();
  }

  @Test
  void waitIsInVain_unknownLagOrUnknownTokenAge_isNeverInVain() {
    assertThat(MonitorStage.waitIsInVain(null, Duration.ofSeconds(5), 0)).isFalse();
    assertThat(MonitorStage.waitIsInVain(60.0, Duration.ofSeconds(5), -1)).isFalse();
  }
}
