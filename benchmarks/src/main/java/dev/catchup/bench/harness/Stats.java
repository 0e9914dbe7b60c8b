package dev.catchup.bench.harness;

import java.util.Arrays;

/**
 * Summary of a sample (nearest-rank percentiles), in the unit of the values (milliseconds here).
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

  /** Summarises {@code values}; an empty sample gives {@link #EMPTY}. */
  public static Stats of(double[] values) {
    if (values.length == 0) {
      return EMPTY;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return new Stats(v.length, round(v[0]), round(rank(v, 0.50)), round(rank(v, 0.90)),
        round(rank(v, 0.99)), round(v[v.length - 1]), round(sum / v.length));
  }

  private static double rank(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Three decimals: microsecond resolution for values in milliseconds. */
  public static double round(double x) {
    return Double.isFinite(x) ? Math.round(x * 1000.0) / 1000.0 : x;
  }
}
