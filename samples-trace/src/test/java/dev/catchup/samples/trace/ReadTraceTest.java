package dev.catchup.samples.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.sdk.CatchupMetrics;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.CatchupMetrics.Target;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The headers the demo driver tallies, from what Catchup's hooks and a naive split report. */
class ReadTraceTest {
  private final CatchupMetrics hooks = ReadTrace.metrics();

  @AfterEach
  void end() {
    ReadTrace.end();
  }

  @Test
  void headers_replicaReadAfterWaits_targetTotalWaitAndLastWaitedOn() {
    ReadTrace trace = ReadTrace.begin();

    hooks.waitedForMonitor(Duration.ofMillis(2), true);
    hooks.waited("replica2", Duration.ofMillis(1).plusNanos(500_000), true);
    hooks.readRouted(Target.REPLICA, "replica2", null);

    assertThat(trace.headers()).containsExactly(
        Map.entry(ReadTrace.TARGET, "replica2"),
        Map.entry(ReadTrace.WAITED_MS, "3.500"),
        Map.entry(ReadTrace.WAITED_ON, "replica"));
  }

  @Test
  void headers_fellBackToPrimary_targetPrimaryAndReason() {
    ReadTrace trace = ReadTrace.begin();

    hooks.fellBack(FallbackReason.NOT_CAUGHT_UP);
    hooks.readRouted(Target.PRIMARY, null, null);

    assertThat(trace.headers()).containsOnly(
        Map.entry(ReadTrace.TARGET, "primary"),
        Map.entry(ReadTrace.FALLBACK, "NOT_CAUGHT_UP"));
  }

  @Test
  void routed_naiveSplitChoice_isTheTarget() {
    ReadTrace trace = ReadTrace.begin();

    ReadTrace.routed("replica1");

    assertThat(trace.headers()).containsOnly(Map.entry(ReadTrace.TARGET, "replica1"));
  }

  @Test
  void hooks_outsideATracedRequest_recordNothing() {
    hooks.readRouted(Target.REPLICA, "replica1", null);
    ReadTrace.routed("replica1");

    assertThat(ReadTrace.current()).isNull();
    assertThat(ReadTrace.begin().headers()).isEmpty();
  }

  @Test
  void end_afterRequest_noCurrentTrace() {
    ReadTrace.begin();

    ReadTrace.end();

    assertThat(ReadTrace.current()).isNull();
  }
}
