package dev.catchup.gtid;

import java.util.Arrays;

/**
 * Arithmetic on normalised interval lists: a flat {@code long[]} of inclusive {@code [first, last]}
 * pairs, sorted, with neither overlap nor adjacency ({@code last + 1 < nextFirst}). Keeping the
 * list flat and normalised makes equality an array comparison and every operation one merge walk.
 * Values are positive sequence numbers, so {@code last + 1} cannot overflow.
 */
final class Intervals {
  static final long[] EMPTY = new long[0];

  private Intervals() {}

  /** Sorts and merges arbitrary pairs (any order, overlapping or adjacent) into normal form. */
  static long[] normalise(long[] pairs, int length) {
    int n = length / 2;
    if (n == 0) {
      return EMPTY;
    }
    if (isNormal(pairs, length)) {
      return Arrays.copyOf(pairs, length);
    }
    long[][] sorted = new long[n][];
    for (int i = 0; i < n; i++) {
      sorted[i] = new long[] {pairs[2 * i], pairs[2 * i + 1]};
    }
    Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    long[] out = new long[length];
    int o = 0;
    for (long[] p : sorted) {
      if (o > 0 && p[0] <= out[o - 1] + 1) {
        out[o - 1] = Math.max(out[o - 1], p[1]);
      } else {
        out[o++] = p[0];
        out[o++] = p[1];
      }
    }
    return o == out.length ? out : Arrays.copyOf(out, o);
  }

  private static boolean isNormal(long[] pairs, int length) {
    for (int i = 2; i < length; i += 2) {
      if (pairs[i] <= pairs[i - 1] + 1) {
        return false;
      }
    }
    return true;
  }

  /** True when every interval of {@code b} lies inside one interval of {@code a}. */
  static boolean contains(long[] a, long[] b) {
    int i = 0;
    for (int j = 0; j < b.length; j += 2) {
      long first = b[j];
      long last = b[j + 1];
      // Skip intervals of a that end before this one starts; both lists are sorted.
      while (i < a.length && a[i + 1] < first) {
        i += 2;
      }
      if (i == a.length || a[i] > first || a[i + 1] < last) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code value} lies in one of the intervals. */
  static boolean contains(long[] a, long value) {
    int lo = 0;
    int hi = a.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (a[2 * mid + 1] < value) {
        lo = mid + 1;
      } else if (a[2 * mid] > value) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  static long[] union(long[] a, long[] b) {
    if (b.length == 0 || contains(a, b)) {
      return a;
    }
    if (a.length == 0 || contains(b, a)) {
      return b;
    }
    long[] out = new long[a.length + b.length];
    int o = 0;
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      long first;
      long last;
      if (j == b.length || (i < a.length && a[i] <= b[j])) {
        first = a[i];
        last = a[i + 1];
        i += 2;
      } else {
        first = b[j];
        last = b[j + 1];
        j += 2;
      }
      if (o > 0 && first <= out[o - 1] + 1) {
        out[o - 1] = Math.max(out[o - 1], last);
      } else {
        out[o++] = first;
        out[o++] = last;
      }
    }
    return o == out.length ? out : Arrays.copyOf(out, o);
  }

  static long[] subtract(long[] a, long[] b) {
    if (a.length == 0 || b.length == 0) {
      return a;
    }
    // Each interval of b can split at most one interval of a in two.
    long[] out = new long[a.length + b.length];
    int o = 0;
    int j = 0;
    for (int i = 0; i < a.length; i += 2) {
      long first = a[i];
      long last = a[i + 1];
      while (j < b.length && b[j + 1] < first) {
        j += 2;
      }
      int k = j;
      while (k < b.length && b[k] <= last && first <= last) {
        if (b[k] > first) {
          out[o++] = first;
          out[o++] = b[k] - 1;
        }
        first = b[k + 1] + 1;
        if (b[k + 1] > last) {
          break;
        }
        k += 2;
      }
      if (first <= last) {
        out[o++] = first;
        out[o++] = last;
      }
    }
    return o == a.length && Arrays.equals(out, 0, o, a, 0, o) ? a : Arrays.copyOf(out, o);
  }

  static long[] intersect(long[] a, long[] b) {
    if (a.length == 0 || b.length == 0) {
      return EMPTY;
    }
    long[] out = new long[a.length + b.length];
    int o = 0;
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      long first = Math.max(a[i], b[j]);
      long last = Math.min(a[i + 1], b[j + 1]);
      if (first <= last) {
        out[o++] = first;
        out[o++] = last;
      }
      if (a[i + 1] < b[j + 1]) {
        i += 2;
      } else {
        j += 2;
      }
    }
    return Arrays.copyOf(out, o);
  }

  /** Number of values, saturating at {@link Long#MAX_VALUE}. */
  static long count(long[] a) {
    long total = 0;
    for (int i = 0; i < a.length; i += 2) {
      total = saturatedAdd(total, a[i + 1] - a[i] + 1);
    }
    return total;
  }

  static long saturatedAdd(long x, long y) {
    long r = x + y;
    return ((x ^ r) & (y ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
