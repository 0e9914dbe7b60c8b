package dev.catchup.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void of_recordedNanos_percentilesWithinAThousandth() {
    Histogram h = Stats.histogram();
    for (int i = 1; i <= 1000; i++) {
      Stats.record(h, i * 1_000_000L); // 1 ms .. 1000 ms
    }
    Stats s = Stats.of(h);
    assertThat(s.n()).isEqualTo(1000);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.p50()).isCloseTo(500.0, within(0.5));
    assertThat(s.p90()).isCloseTo(900.0, within(0.9));
    assertThat(s.p99()).isCloseTo(990.0, within(1.0));
    assertThat(s.max()).isCloseTo(1000.0, within(1.0));
    assertThat(s.mean()).isCloseTo(500.5, within(0.5));
  }

  @Test
  void of_negativeMillis_keepsTheSignAndTheMicroseconds() {
    Stats s = Stats.of(Arrays.asList(-3.446, 0.443, null, 0.551, 7.277));
    assertThat(s.n()).isEqualTo(4);
    assertThat(s.min()).isEqualTo(-3.446);
    assertThat(s.p50()).isCloseTo(0.443, within(0.011));
    assertThat(s.max()).isCloseTo(7.277, within(0.011));
  }

  @Test
  void of_emptySample_isEmpty() {
    assertThat(Stats.of(Stats.histogram())).isEqualTo(Stats.EMPTY);
    assertThat(Stats.of(new ArrayList<Double>())).isEqualTo(Stats.EMPTY);
    assertThat(Stats.of(List.<Double>of())).isEqualTo(Stats.EMPTY);
  }

  @Test
  void record_negativeNanos_countsAsZero() {
    Histogram h = Stats.histogram();
    Stats.record(h, -5);
    assertThat(Stats.of(h).max()).isEqualTo(0.0);
  }
}
