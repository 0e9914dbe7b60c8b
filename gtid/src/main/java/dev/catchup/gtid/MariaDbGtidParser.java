package dev.catchup.gtid;

import dev.catchup.gtid.MariaDbGtidSet.Acc;
import java.util.Arrays;

/**
 * Scans MariaDB GTID position text: {@code d-s-n (',' d-s-n)*} with optional whitespace around
 * separators, each domain at most once. Every error names the offset and what was expected.
 */
final class MariaDbGtidParser extends GtidScanner {
  MariaDbGtidParser(CharSequence text, int maxLength) {
    super(Flavor.MARIADB, text, maxLength);
  }

  MariaDbGtidSet parse() {
    skipSpace();
    if (pos == length) {
      return MariaDbGtidSet.empty();
    }
    Acc grown = new Acc(8);
    int[] offsets = new int[8];
    while (true) {
      int at = pos;
      long domain = number(MariaDbGtidSet.MAX_UINT32, "domain id");
      dash();
      long server = number(MariaDbGtidSet.MAX_UINT32, "server id");
      dash();
      long seq = number(-1L, "sequence number");
      if (grown.size == grown.d.length) {
        Acc bigger = new Acc(grown.size * 2);
        for (int k = 0; k < grown.size; k++) {
          bigger.add(grown.d[k], grown.s[k], grown.q[k]);
        }
        grown = bigger;
        offsets = Arrays.copyOf(offsets, grown.d.length);
      }
      for (int k = 0; k < grown.size; k++) {
        if (grown.d[k] == domain) {
          throw error(at, "domain " + domain + " appears twice (also at offset " + offsets[k] + ")");
        }
      }
      offsets[grown.size] = at;
      grown.add(domain, server, seq);
      skipSpace();
      if (pos == length) {
        break;
      }
      if (in.charAt(pos) != ',') {
        throw error(pos, "expected ',' or the end of the position, found " + describe(pos));
      }
      pos++;
      skipSpace();
    }
    return sorted(grown);
  }

  private static MariaDbGtidSet sorted(Acc acc) {
    Integer[] order = new Integer[acc.size];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> Long.compare(acc.d[a], acc.d[b]));
    Acc out = new Acc(acc.size);
    for (int k : order) {
      out.add(acc.d[k], acc.s[k], acc.q[k]);
    }
    return out.build();
  }

  /** Reads an unsigned decimal no larger than {@code max} (compared unsigned; -1 is 2^64-1). */
  private long number(long max, String what) {
    int start = pos;
    long v = 0;
    while (pos < length) {
      char c = in.charAt(pos);
      if (c < '0' || c > '9') {
        break;
      }
      long next = v * 10 + (c - '0');
      if (Long.compareUnsigned(v, Long.divideUnsigned(max, 10)) > 0
          || Long.compareUnsigned(next, max) > 0
          || Long.compareUnsigned(next, v) < 0) {
        throw error(start, what + " is larger than " + Long.toUnsignedString(max));
      }
      v = next;
      pos++;
    }
    if (pos == start) {
      throw error(pos, "expected a " + what + ", found " + describe(pos));
    }
    return v;
  }

  private void dash() {
    if (pos == length || in.charAt(pos) != '-') {
      throw error(pos, "expected '-' (domain-server-sequence), found " + describe(pos));
    }
    pos++;
  }
}
