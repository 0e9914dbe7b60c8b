package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FallbackLimiterTest {

  @Test
  void tryAcquire_burstOfOneSecond_thenRefillsAtTheRate() {
    AtomicLong now = new AtomicLong();
    FallbackLimiter l = new FallbackLimiter(2, now::get);
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).as("bucket empty").isFalse();
    now.addAndGet(499_000_000L);
    assertThat(l.tryAcquire()).as("not yet a whole token").isFalse();
    now.addAndGet(2_000_000L);
    assertThat(l.tryAcquire()).isTrue();
    now.addAndGet(10_000_000_000L);
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).as("saves up at most one second").isFalse();
  }

  @Test
  void zero_meansUnlimited() {
    FallbackLimiter l = new FallbackLimiter(0, () -> 0);
    for (int i = 0; i < 1000; i++) {
      assertThat(l.tryAcquire()).isTrue();
    }
  }

  @Test
  void tryAcquire_rateBelowOne_allowsOneFallbackPerPeriod() {
    AtomicLong now = new AtomicLong();
    FallbackLimiter l = new FallbackLimiter(0.5, now::get);
    assertThat(l.tryAcquire()).as("a bucket holds at least one token").isTrue();
    assertThat(l.tryAcquire()).isFalse();
    now.addAndGet(1_999_000_000L);
    assertThat(l.tryAcquire()).as("half a token a second: not yet 2 s").isFalse();
    now.addAndGet(1_000_000L);
    assertThat(l.tryAcquire()).isTrue();
    now.addAndGet(60_000_000_000L);
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).as("saves up one token, not thirty").isFalse();
  }
}
