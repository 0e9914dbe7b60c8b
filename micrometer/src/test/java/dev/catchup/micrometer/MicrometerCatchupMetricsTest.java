package dev.catchup.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.CatchupMetrics.Target;
import dev.catchup.sdk.Consistency;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerCatchupMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerCatchupMetrics metrics = new MicrometerCatchupMetrics(registry);

  private double reads(String target, String replica, String consistency) {
    return registry.get("catchup.reads").tags("target", target, "replica", replica,
        "consistency", consistency).counter().count();
  }

  @Test
  void readRouted_replica_countedByTargetReplicaAndConsistency() {
    metrics.readRouted(Target.REPLICA, "replica1", Consistency.READ_YOUR_WRITES);
    metrics.readRouted(Target.REPLICA, "replica1", Consistency.READ_YOUR_WRITES);
    metrics.readRouted(Target.REPLICA, "replica2", Consistency.EVENTUAL);

    assertThat(reads("replica", "replica1", "read_your_writes")).isEqualTo(2);
    assertThat(reads("replica", "replica2", "eventual")).isEqualTo(1);
    assertThat(reads("replica", "replica1", "eventual")).isZero();
  }

  @Test
  void readRouted_primary_countedWithReplicaNone() {
    metrics.readRouted(Target.PRIMARY, null, Consistency.STRONG);

    assertThat(reads("primary", "none", "strong")).isEqualTo(1);
    assertThat(reads("primary", "none", "primary")).isZero();
  }

  @Test
  void readRouted_seenTags_noRegistryLookupPerRead() {
    metrics.readRouted(Target.REPLICA, "replica1", Consistency.EVENTUAL);
    Counter first = registry.get("catchup.reads").tags("replica", "replica1", "consistency",
        "eventual").counter();
    // A hook that asked the registry per read would register the meter again.
    registry.remove(first);

    metrics.readRouted(Target.REPLICA, "replica1", Consistency.EVENTUAL);

    assertThat(first.count()).isEqualTo(2);
    assertThat(registry.find("catchup.reads").tags("replica", "replica1", "consistency",
        "eventual").counter()).isNull();
  }

  @Test
  void waited_reachedAndTimeout_timedByReplicaAndOutcome() {
    metrics.waited("replica1", Duration.ofMillis(30), true);
    metrics.waited("replica1", Duration.ofMillis(20), true);
    metrics.waited("replica1", Duration.ofSeconds(2), false);

    Timer reached = registry.get("catchup.wait").tags("replica", "replica1", "outcome", "reached")
        .timer();
    Timer timeout = registry.get("catchup.wait").tags("replica", "replica1", "outcome", "timeout")
        .timer();
    assertThat(reached.count()).isEqualTo(2);
    assertThat(reached.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50);
    assertThat(timeout.count()).isEqualTo(1);
    assertThat(timeout.totalTime(TimeUnit.SECONDS)).isEqualTo(2);
  }

  @Test
  void briefWaited_missed_isABriefTimeoutNotATimeout_reachedIsAWaitReached() {
    metrics.briefWaited("replica1", Duration.ofMillis(20), false);
    metrics.briefWaited("replica1", Duration.ofMillis(4), true);

    assertThat(registry.get("catchup.wait").tags("replica", "replica1", "outcome", "timeout")
        .timer().count()).isZero();
    Timer brief = registry.get("catchup.wait")
        .tags("replica", "replica1", "outcome", "brief_timeout").timer();
    assertThat(brief.count()).isEqualTo(1);
    assertThat(brief.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
    assertThat(registry.get("catchup.wait").tags("replica", "replica1", "outcome", "reached")
        .timer().count()).isEqualTo(1);
  }

  @Test
  void waitedForMonitor_reachedAndTimeout_timedByOutcome() {
    metrics.waitedForMonitor(Duration.ofMillis(5), true);
    metrics.waitedForMonitor(Duration.ofMillis(500), false);

    Timer reached = registry.get("catchup.monitor.wait").tag("outcome", "reached").timer();
    Timer timeout = registry.get("catchup.monitor.wait").tag("outcome", "timeout").timer();
    assertThat(reached.count()).isEqualTo(1);
    assertThat(reached.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5);
    assertThat(timeout.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500);
  }

  @Test
  void fellBack_eachReason_countedByReason() {
    metrics.fellBack(FallbackReason.NOT_CAUGHT_UP);
    metrics.fellBack(FallbackReason.NOT_CAUGHT_UP);
    metrics.fellBack(FallbackReason.NO_REPLICA_AVAILABLE);

    assertThat(registry.get("catchup.fallbacks").tag("reason", "not_caught_up").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("catchup.fallbacks").tag("reason", "no_replica_available").counter()
        .count()).isEqualTo(1);
  }

  @Test
  void failed_describedReplica_taggedByItsNameOnly() {
    // What the SDK passes: a name, a name with a detail, "any" with the lag, "none".
    metrics.failed("replica1");
    metrics.failed("replica1 (pool exhausted)");
    metrics.failed("any (3 s behind)");
    metrics.failed("any (17 s behind)");
    metrics.failed("any");
    metrics.failed("none");
    metrics.failed(null);

    assertThat(registry.get("catchup.read.failures").tag("replica", "replica1").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("catchup.read.failures").tag("replica", "any").counter().count())
        .isEqualTo(3);
    assertThat(registry.get("catchup.read.failures").tag("replica", "none").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("catchup.read.failures").counters()).hasSize(3);
  }

  @Test
  void extraQuery_eachServer_countedByServer() {
    metrics.extraQuery("replica2");
    metrics.extraQuery("primary");
    metrics.extraQuery("primary");

    assertThat(registry.get("catchup.extra.queries").tag("server", "primary").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("catchup.extra.queries").tag("server", "replica2").counter().count())
        .isEqualTo(1);
  }

  @Test
  void gtidRecorded_tokenSizes_summarised() {
    metrics.gtidRecorded(1);
    metrics.gtidRecorded(3);

    var summary = registry.get("catchup.token.sources").summary();
    assertThat(summary.count()).isEqualTo(2);
    assertThat(summary.totalAmount()).isEqualTo(4);
    assertThat(summary.max()).isEqualTo(3);
  }

  @Test
  void monitorMode_switches_countedByModeSwitchedTo() {
    metrics.monitorMode(true);
    metrics.monitorMode(false);
    metrics.monitorMode(true);

    assertThat(registry.get("catchup.routing.switches").tag("mode", "monitor").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("catchup.routing.switches").tag("mode", "direct").counter().count())
        .isEqualTo(1);
  }

  @Test
  void constructor_knownTags_registeredAtZeroUpFront() {
    // Series that exist before the first event: a rate over them starts from zero.
    assertThat(registry.get("catchup.reads").tag("target", "primary").counters())
        .hasSize(Consistency.values().length);
    assertThat(registry.get("catchup.fallbacks").counters())
        .hasSize(FallbackReason.values().length);
    assertThat(registry.get("catchup.monitor.wait").timers()).hasSize(2);
    assertThat(registry.get("catchup.routing.switches").counters()).hasSize(2);
    assertThat(registry.get("catchup.token.sources").summary().count()).isZero();
  }

  @Test
  void commonTags_everyMeter_carriesThem() {
    SimpleMeterRegistry tagged = new SimpleMeterRegistry();
    MicrometerCatchupMetrics m = new MicrometerCatchupMetrics(tagged, Tags.of("datasource", "orders"));
    MeterCatalogTest.exerciseEveryHook(m);

    assertThat(tagged.getMeters()).isNotEmpty().allSatisfy(meter ->
        assertThat(meter.getId().getTag("datasource")).as("%s", meter.getId()).isEqualTo("orders"));
  }

  @Test
  void serverNames_pastTheCap_taggedOther() {
    for (int i = 0; i < ServerTags.MAX_VALUES + 10; i++) {
      metrics.extraQuery("server" + i);
    }

    assertThat(registry.get("catchup.extra.queries").counters()).hasSize(ServerTags.MAX_VALUES + 1);
    assertThat(registry.get("catchup.extra.queries").tag("server", "other").counter().count())
        .isEqualTo(10);
  }

  @Test
  void meters_carryDescriptionsAndBaseUnits() {
    MeterCatalogTest.exerciseEveryHook(metrics);

    for (Meter m : registry.getMeters()) {
      assertThat(m.getId().getDescription()).as("%s", m.getId()).isNotBlank();
      if (m instanceof Counter) {
        assertThat(m.getId().getBaseUnit()).as("%s", m.getId()).isNotBlank();
      }
    }
  }

  @Test
  void poolMetrics_setsHikarisMicrometerTracker() {
    HikariConfig config = new HikariConfig();

    MicrometerCatchupMetrics.poolMetrics(registry).accept(config);

    assertThat(config.getMetricsTrackerFactory()).isInstanceOf(MicrometerMetricsTrackerFactory.class);
  }

  @Test
  void constructor_nullRegistry_throwsNamingIt() {
    var e = assertThrows(NullPointerException.class, () -> new MicrometerCatchupMetrics(null));
    assertThat(e).hasMessage("registry must not be null");
    var p = assertThrows(NullPointerException.class, () -> MicrometerCatchupMetrics.poolMetrics(null));
    assertThat(p).hasMessage("registry must not be null");
    var t = assertThrows(NullPointerException.class,
        () -> new MicrometerCatchupMetrics(registry, null));
    assertThat(t).hasMessage("commonTags must not be null");
  }
}
