package dev.catchup.gtid;

import java.util.Arrays;

/**
 * Containment, union, subtraction and intersection of two {@link MysqlGtidSet}s: one merge walk
 * over both sets' sources, which are sorted by key (UUID, then tag), handing each pair of sources
 * with the same key to {@link Intervals}. Results reuse the operands' interval arrays where they
 * are unchanged, and an operand itself where the result equals it, so the hot path allocates little.
 */
final class MysqlSetAlgebra {

  private MysqlSetAlgebra() {}

  static boolean contains(MysqlGtidSet a, MysqlGtidSet b) {
    if (b == a || b.isEmpty()) {
      return true;
    }
    int i = 0;
    for (int j = 0; j < b.tags.length; j++) {
      int c = -1;
      while (i < a.tags.length && (c = compareKey(a, i, b, j)) < 0) {
        i++;
      }
      if (i == a.tags.length || c != 0 || !Intervals.contains(a.intervals[i], b.intervals[j])) {
        return false;
      }
    }
    return true;
  }

  static MysqlGtidSet union(MysqlGtidSet a, MysqlGtidSet b) {
    if (b.isEmpty() || contains(a, b)) {
      return a;
    }
    if (a.isEmpty() || contains(b, a)) {
      return b;
    }
    Merge m = new Merge(a.tags.length + b.tags.length);
    int i = 0;
    int j = 0;
    while (i < a.tags.length || j < b.tags.length) {
      int c = i == a.tags.length ? 1 : j == b.tags.length ? -1 : compareKey(a, i, b, j);
      if (c < 0) {
        m.add(a, i, a.intervals[i++]);
      } else if (c > 0) {
        m.add(b, j, b.intervals[j++]);
      } else {
        m.add(a, i, Intervals.union(a.intervals[i++], b.intervals[j++]));
      }
    }
    return m.build();
  }

  static MysqlGtidSet subtract(MysqlGtidSet a, MysqlGtidSet b) {
    if (b.isEmpty() || a.isEmpty()) {
      return a;
    }
    Merge m = new Merge(a.tags.length);
    int j = 0;
    for (int i = 0; i < a.tags.length; i++) {
      int c = 1;
      while (j < b.tags.length && (c = compareKey(a, i, b, j)) > 0) {
        j++;
      }
      m.add(a, i, j < b.tags.length && c == 0
          ? Intervals.subtract(a.intervals[i], b.intervals[j]) : a.intervals[i]);
    }
    return m.size == a.tags.length && m.unchanged(a) ? a : m.build();
  }

  static MysqlGtidSet intersect(MysqlGtidSet a, MysqlGtidSet b) {
    Merge m = new Merge(Math.min(a.tags.length, b.tags.length));
    int i = 0;
    int j = 0;
    while (i < a.tags.length && j < b.tags.length) {
      int c = compareKey(a, i, b, j);
      if (c < 0) {
        i++;
      } else if (c > 0) {
        j++;
      } else {
        m.add(a, i, Intervals.intersect(a.intervals[i++], b.intervals[j++]));
      }
    }
    return m.build();
  }

  private static int compareKey(MysqlGtidSet a, int i, MysqlGtidSet b, int j) {
    return MysqlGtidSet.compareKey(a.uuidHi[i], a.uuidLo[i], a.tags[i],
        b.uuidHi[j], b.uuidLo[j], b.tags[j]);
  }

  /** Collects sources in key order, dropping those left without intervals. */
  private static final class Merge {
    final long[] hi;
    final long[] lo;
    final String[] tags;
    final long[][] iv;
    int size;

    Merge(int capacity) {
      hi = new long[capacity];
      lo = new long[capacity];
      tags = new String[capacity];
      iv = new long[capacity][];
    }

    void add(MysqlGtidSet from, int index, long[] intervals) {
      if (intervals.length == 0) {
        return;
      }
      hi[size] = from.uuidHi[index];
      lo[size] = from.uuidLo[index];
      tags[size] = from.tags[index];
      iv[size++] = intervals;
    }

    boolean unchanged(MysqlGtidSet s) {
      for (int k = 0; k < size; k++) {
        if (iv[k] != s.intervals[k]) {
          return false;
        }
      }
      return true;
    }

    MysqlGtidSet build() {
      if (size == 0) {
        return MysqlGtidSet.empty();
      }
      return new MysqlGtidSet(Arrays.copyOf(hi, size), Arrays.copyOf(lo, size),
          Arrays.copyOf(tags, size), Arrays.copyOf(iv, size));
    }
  }
}
