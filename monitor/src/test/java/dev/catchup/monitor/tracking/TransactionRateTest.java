package dev.catchup.monitor.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-second window for the status page and the counter for {@code /metrics}. */
class TransactionRateTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void perSecond_lastFiveWholeSeconds_averaged() {
    TransactionRate rate = new TransactionRate();
    for (int s = 1; s <= 5; s++) {
      for (int i = 0; i < 2 * s; i++) {
        rate.record(100 * SECOND + s * SECOND);
      }
    }

    // Seconds 101..105 are complete at 106: (2 + 4 + 6 + 8 + 10) / 5.
    assertThat(rate.perSecond(106 * SECOND)).isEqualTo(6.0);
    assertThat(rate.perSecond(120 * SECOND)).isEqualTo(0.0);
  }

  @Test
  void total_countsEveryTransaction_longAfterTheWindowForgotThem() {
    TransactionRate rate = new TransactionRate();
    for (int s = 0; s < 20; s++) {
      rate.record(s * SECOND);
      rate.record(s * SECOND + SECOND / 2);
    }

    assertThat(rate.total()).isEqualTo(40);
    assertThat(rate.perSecond(60 * SECOND)).isEqualTo(0.0);
    assertThat(new TransactionRate().total()).isZero();
  }
}
