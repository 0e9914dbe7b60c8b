package dev.catchup.bench.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StickyTest {
  private final RawStrategy.Sticky sticky = new RawStrategy.Sticky(null, Duration.ofSeconds(2),
      () -> 0L);

  @Test
  void sticks_withinWindow_primary() {
    assertThat(sticky.sticks(Duration.ofMillis(1999).toNanos())).isTrue();
  }

  @Test
  void sticks_atWindowEnd_replica() {
    assertThat(sticky.sticks(Duration.ofSeconds(2).toNanos())).isFalse();
  }
}
