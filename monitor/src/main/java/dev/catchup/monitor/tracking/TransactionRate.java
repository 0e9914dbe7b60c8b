package dev.catchup.monitor.tracking;

/** Transactions per second over the last five whole seconds, and all transactions counted. */
final class TransactionRate {
  private static final int SECONDS = 5;
  private long total;
  private final long[] second = new long[SECONDS + 1];
  private final long[] count = new long[SECONDS + 1];

  void record(long nanos) {
    long s = nanos / 1_000_000_000L;
    int i = (int) (s % second.length);
    if (second[i] != s) {
      second[i] = s;
      count[i] = 0;
    }
    count[i]++;
    total++;
  }

  /** Transactions recorded so far. */
  long total() {
    return total;
  }

  double perSecond(long nanos) {
    long now = nanos / 1_000_000_000L;
    long total = 0;
    for (int i = 0; i < second.length; i++) {
      if (second[i] < now && now - second[i] <= SECONDS) {
        total += count[i];
      }
    }
    return total / (double) SECONDS;
  }
}
