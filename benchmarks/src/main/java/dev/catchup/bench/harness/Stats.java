package dev.catchup.bench.harness;

import java.util.Collection;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * Summary of a sample of times in milliseconds, the percentiles read from an HdrHistogram (three
 * significant digits: a percentile is within 0.1% of the exact one, well inside these runs' noise).
 *
 * @param n sample size
 * @param min smallest value
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max largest value
 * @param mean arithmetic mean
 */
public record Stats(long n, double min, double p50, double p90, double p99, double max, double mean) {
  public static final Stats EMPTY = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
      Double.NaN, Double.NaN);

  /** A histogram for {@link #record}ing durations in nanoseconds (it grows as needed). */
  public static Histogram histogram() {
    return new Histogram(3);
  }

  /** Records {@code nanos} into {@code h}; a negative time (a clock step) counts as zero. */
  public static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(0, nanos));
  }

  /** Summarises durations recorded in nanoseconds; an empty histogram gives {@link #EMPTY}. */
  public static Stats of(Histogram nanos) {
    return of(nanos, 0);
  }

  /**
   * Summarises {@code values} in milliseconds (nulls left out); an empty sample gives {@link #EMPTY}. The values may
   * be negative (differences between two clocks' timestamps): HdrHistogram records non-negative
   * values only, so they are recorded as their distance from the smallest, which keeps the
   * histogram's precision relative to the spread rather than to an arbitrary offset.
   */
  public static Stats of(Collection<Double> values) {
    double min = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).min()
        .orElse(0);
    Histogram h = histogram();
    values.stream().filter(Objects::nonNull).forEach(v -> h.recordValue(Math.round((v - min) * 1e6)));
    return of(h, min);
  }

  private static Stats of(Histogram h, double offsetMillis) {
    if (h.getTotalCount() == 0) {
      return EMPTY;
    }
    return new Stats(h.getTotalCount(), millis(h.getMinValue(), offsetMillis),
        millis(h.getValueAtPercentile(50), offsetMillis),
        millis(h.getValueAtPercentile(90), offsetMillis),
        millis(h.getValueAtPercentile(99), offsetMillis),
        millis(h.getMaxValue(), offsetMillis), round(h.getMean() / 1e6 + offsetMillis));
  }

  private static double millis(long nanos, double offsetMillis) {
    return round(nanos / 1e6 + offsetMillis);
  }

  /** Three decimals: microsecond resolution for values in milliseconds. */
  public static double round(double x) {
    return Double.isFinite(x) ? Math.round(x * 1000.0) / 1000.0 : x;
  }
}
