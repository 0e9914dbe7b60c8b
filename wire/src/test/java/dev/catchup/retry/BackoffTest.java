package dev.catchup.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delay_doublesUpToTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), n -> n); // max jitter
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.delay(40)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void delay_withNoJitter_waitsHalfTheStep() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), n -> 0);
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void delay_keepsNoState_soTheSameAttemptWaitsTheSame() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), n -> n);
    b.delay(3);
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void delay_attemptZero_throwsNamingIt() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.delay(0));

    assertThat(e).hasMessage("attempt must be at least 1, was 0");
  }

  @Test
  void backoff_minAboveMax_throwsNamingBoth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));

    assertThat(e).hasMessage("back-off must have 0 < min <= max, was min PT2S, max PT1S");
  }
}
