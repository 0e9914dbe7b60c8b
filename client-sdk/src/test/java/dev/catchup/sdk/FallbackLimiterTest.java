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
}
