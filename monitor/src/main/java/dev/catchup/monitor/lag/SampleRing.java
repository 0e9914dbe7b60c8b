package dev.catchup.monitor.lag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest {@code capacity} samples of one replica, oldest first. Adding to a full ring drops
 * the oldest, so memory is fixed however long the monitor runs. One sampler thread adds while
 * request threads read; the lock is held for an array copy at most.
 */
final class SampleRing {
  private final LagSample[] samples;
  private int next; // guarded by this: index the next sample goes to
  private int size; // guarded by this

  SampleRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("history capacity must be at least 1, was " + capacity);
    }
    this.samples = new LagSample[capacity];
  }

  int capacity() {
    return samples.length;
  }

  synchronized int size() {
    return size;
  }

  /** Appends {@code s}, dropping the oldest sample when full. */
  synchronized void add(LagSample s) {
    samples[next] = s;
    next = (next + 1) % samples.length;
    size = Math.min(size + 1, samples.length);
  }

  /**
   * The samples taken strictly after {@code after} (all of them when null), oldest first. Samples
   * are added in clock order, so the scan walks back from the newest and stops at the first one
   * not after {@code after}; a poller asking for what is new copies only that.
   */
  synchronized List<LagSample> after(Instant after) {
    int n = 0;
    while (n < size && (after == null || fromNewest(n).at().isAfter(after))) {
      n++;
    }
    List<LagSample> out = new ArrayList<>(n);
    for (int i = n - 1; i >= 0; i--) {
      out.add(fromNewest(i));
    }
    return out;
  }

  /** The sample {@code back} places before the newest (0 is the newest). */
  private LagSample fromNewest(int back) {
    return samples[(next - 1 - back + 2 * samples.length) % samples.length];
  }
}
