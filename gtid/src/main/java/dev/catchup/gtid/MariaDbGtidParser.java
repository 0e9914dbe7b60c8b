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

  // The entries read so far, in text order, and the offset of each, to name both places when a
  // domain appears twice.
  private Acc read = new Acc(8);
  private int[] offsets = new int[8];

  MariaDbGtidSet parse() {
    list("position", this::entry);
    return sorted(read);
  }

  private void entry() {
    int at = pos;
    long domain = number(MariaDbGtidSet.MAX_UINT32, "domain id");
    dash();
    long server = number(MariaDbGtidSet.MAX_UINT32, "server id");
    dash();
    long seq = number(-1L, "sequence number");
    if (read.size == read.d.length) {
      Acc bigger = new Acc(read.size * 2);
      for (int k = 0; k < read.size; k++) {
        bigger.add(read.d[k], read.s[k], read.q[k]);
      }
      read = bigger;
      offsets = Arrays.copyOf(offsets, read.d.length);
    }
    for (int k = 0; k < read.size; k++) {
      if (read.d[k] == domain) {
        throw error(at, "domain " + domain + " appears twice (also at offset " + offsets[k] + ")");
      }
    }
    offsets[read.size] = at;
    read.add(domain, server, seq);
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

  private void dash() {
    if (pos == length || in.charAt(pos) != '-') {
      throw error(pos, "expected '-' (domain-server-sequence), found " + describe(pos));
    }
    pos++;
  }
}
