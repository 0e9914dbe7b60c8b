package dev.catchup.monitor.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.monitor.tracking.ServerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleRingTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static LagSample at(int second) {
    return new LagSample(T0.plusSeconds(second), ServerState.UP, second / 10.0, (long) second, null);
  }

  private static List<Integer> seconds(List<LagSample> samples) {
    return samples.stream().map(s -> (int) (s.at().getEpochSecond() - T0.getEpochSecond())).toList();
  }

  @Test
  void new_zeroCapacity_throwsNamingTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SampleRing(0));

    assertThat(e.getMessage()).isEqualTo("history capacity must be at least 1, was 0");
  }

  @Test
  void after_empty_returnsNothing() {
    SampleRing ring = new SampleRing(3);

    assertThat(ring.after(null)).isEmpty();
    assertThat(ring.after(T0)).isEmpty();
    assertThat(ring.size()).isZero();
  }

  @Test
  void after_null_returnsEverySampleOldestFirst() {
    SampleRing ring = new SampleRing(5);
    for (int i = 1; i <= 3; i++) {
      ring.add(at(i));
    }

    assertThat(seconds(ring.after(null))).containsExactly(1, 2, 3);
    assertThat(ring.after(null).get(2)).isEqualTo(at(3));
  }

  @Test
  void add_full_dropsTheOldest() {
    SampleRing ring = new SampleRing(3);
    for (int i = 1; i <= 7; i++) {
      ring.add(at(i));
    }

    assertThat(ring.size()).isEqualTo(3);
    assertThat(ring.capacity()).isEqualTo(3);
    assertThat(seconds(ring.after(null))).containsExactly(5, 6, 7);
  }

  @Test
  void after_instant_returnsOnlyLaterSamples_exclusive() {
    SampleRing ring = new SampleRing(4);
    for (int i = 1; i <= 6; i++) {
      ring.add(at(i));
    }

    assertThat(seconds(ring.after(T0.plusSeconds(4)))).containsExactly(5, 6);
    assertThat(seconds(ring.after(T0.plusSeconds(6)))).isEmpty();
    assertThat(seconds(ring.after(T0.plusMillis(4500)))).containsExactly(5, 6);
    assertThat(seconds(ring.after(T0))).containsExactly(3, 4, 5, 6); // older than the ring: all held
  }

  @Test
  void capacityOne_keepsOnlyTheNewest() {
    SampleRing ring = new SampleRing(1);
    ring.add(at(1));
    ring.add(at(2));

    assertThat(seconds(ring.after(null))).containsExactly(2);
  }

  /** Against a plain list as oracle: any capacity, any number of adds, any cut-off. */
  @Test
  void after_randomized_matchesTheLastCapacitySamplesOfAList() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 500; round++) {
      int capacity = 1 + random.nextInt(8);
      int adds = random.nextInt(25);
      SampleRing ring = new SampleRing(capacity);
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < adds; i++) {
        ring.add(at(i));
        all.add(i);
      }
      int cut = random.nextInt(adds + 2) - 1;
      List<Integer> held = all.subList(Math.max(0, all.size() - capacity), all.size());
      List<Integer> expected = held.stream().filter(i -> i > cut).toList();

      assertThat(seconds(ring.after(T0.plusSeconds(cut)))).as("seed %d round %d", seed, round)
          .isEqualTo(expected);
      assertThat(ring.size()).isEqualTo(held.size());
    }
  }
}
