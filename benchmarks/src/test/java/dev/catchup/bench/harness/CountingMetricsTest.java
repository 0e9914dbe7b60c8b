package dev.catchup.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CountingMetricsTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final CountingMetrics metrics = CountingMetrics.recordingWaits(now::get);

  /** Reports a wait that ends at {@code end} after lasting {@code nanos}, as the SDK does. */
  private void waitEndingAt(long end, long nanos, boolean inProcess) {
    now.set(end);
    if (inProcess) {
      metrics.waitedForMonitor(Duration.ofNanos(nanos), true);
    } else {
      metrics.waited("replica1", Duration.ofNanos(nanos), true);
    }
  }

  @Test
  void drainWaits_overlappingServerAndInProcessWaits_peakIsMostAtOnce() {
    waitEndingAt(1_000, 900, false);  // 100..1000
    waitEndingAt(1_200, 700, true);   // 500..1200
    waitEndingAt(1_100, 300, false);  // 800..1100: three at once from 800 to 1000
    waitEndingAt(3_000, 500, true);   // 2500..3000, alone

    assertThat(metrics.drainWaits()).isEqualTo(3);
  }

  @Test
  void drainWaits_waitsThatOnlyTouch_doNotOverlap() {
    waitEndingAt(200, 100, false);  // 100..200
    waitEndingAt(300, 100, false);  // 200..300

    assertThat(metrics.drainWaits()).isEqualTo(1);
  }

  @Test
  void drainWaits_secondCall_forgetsEarlierWaits() {
    waitEndingAt(200, 100, false);
    waitEndingAt(250, 100, false);
    metrics.drainWaits();

    assertThat(metrics.drainWaits()).isZero();
  }

  @Test
  void drainWaits_notRecording_isZeroButCountsStillKept() {
    CountingMetrics counting = new CountingMetrics();
    counting.waited("replica1", Duration.ofMillis(5), true);

    assertThat(counting.drainWaits()).isZero();
    assertThat(counting.snapshot().get("serverWaits.reached")).isEqualTo(1);
  }
}
