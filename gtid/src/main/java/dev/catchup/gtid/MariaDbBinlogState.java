package dev.catchup.gtid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What a MariaDB server has of each server's transactions: for each domain and each server that wrote
 * in it, the newest sequence number, as {@code @@gtid_binlog_state} prints it
 * ({@code 0-1-100,0-2-105}: a domain may appear once per server).
 *
 * <p>A {@link MariaDbGtidSet} keeps one entry per domain and compares by sequence only, so it cannot
 * tell {@code 0-1-105} (written by server 1, perhaps lost with it) from {@code 0-2-105} (written by
 * server 2 after a failover). This value can: it is what a server promoted after a failover is
 * compared against to name the writes its predecessor took with it. Immutable; ids unsigned
 * 32-bit, sequence numbers unsigned 64-bit.
 */
public final class MariaDbBinlogState {
  private static final MariaDbBinlogState EMPTY = new MariaDbBinlogState(List.of());

  /** Sorted by domain, then server; one entry per (domain, server), the newest sequence. */
  private final List<MariaDbGtidSet.Entry> entries;

  private MariaDbBinlogState(List<MariaDbGtidSet.Entry> entries) {
    this.entries = entries;
  }

  /** The state that holds nothing. */
  public static MariaDbBinlogState empty() {
    return EMPTY;
  }

  /**
   * Parses {@code d-s-n (',' d-s-n)*}, a domain once per server (the newest is kept when a
   * (domain, server) pair repeats), rejecting text longer than {@link GtidSet#DEFAULT_MAX_LENGTH}.
   *
   * @throws GtidParseException if the text is malformed or too long
   */
  public static MariaDbBinlogState parse(CharSequence text) {
    return new MariaDbBinlogStateParser(text).parse();
  }

  /** The state holding the entries of {@code position} (one server per domain). */
  public static MariaDbBinlogState of(MariaDbGtidSet position) {
    return build(new ArrayList<>(position.entries()));
  }

  /** Everything of both, the newest sequence per (domain, server). */
  public MariaDbBinlogState union(MariaDbBinlogState other) {
    List<MariaDbGtidSet.Entry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return build(all);
  }

  /** True when server {@code server} wrote in {@code domain} as far as this state knows. */
  public boolean has(long domain, long server) {
    return find(domain, server) != null;
  }

  /** The newest sequence (unsigned) of {@code server} in {@code domain}, 0 when it has none. */
  public long sequence(long domain, long server) {
    MariaDbGtidSet.Entry e = find(domain, server);
    return e == null ? 0 : e.sequence();
  }

  /**
   * The newest sequence (unsigned) in {@code domain} written by any server but {@code server}, 0
   * when none: on a server promoted after a failover, how far it got in replicating the domain.
   */
  public long highestExcept(long domain, long server) {
    long best = 0;
    for (MariaDbGtidSet.Entry e : entries) {
      if (e.domain() == domain && e.server() != server
          && Long.compareUnsigned(e.sequence(), best) > 0) {
        best = e.sequence();
      }
    }
    return best;
  }

  /** The entries, sorted by domain, then server. */
  public List<MariaDbGtidSet.Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  private MariaDbGtidSet.Entry find(long domain, long server) {
    for (MariaDbGtidSet.Entry e : entries) {
      if (e.domain() == domain && e.server() == server) {
        return e;
      }
    }
    return null;
  }

  static MariaDbBinlogState build(List<MariaDbGtidSet.Entry> all) {
    all.sort(Comparator.comparingLong(MariaDbGtidSet.Entry::domain)
        .thenComparingLong(MariaDbGtidSet.Entry::server)
        .thenComparing(MariaDbGtidSet.Entry::sequence, Long::compareUnsigned));
    List<MariaDbGtidSet.Entry> out = new ArrayList<>(all.size());
    for (MariaDbGtidSet.Entry e : all) {
      int last = out.size() - 1;
      if (last >= 0 && out.get(last).domain() == e.domain()
          && out.get(last).server() == e.server()) {
        out.set(last, e); // sorted ascending: the later one is the newer
      } else {
        out.add(e);
      }
    }
    return out.isEmpty() ? EMPTY : new MariaDbBinlogState(Collections.unmodifiableList(out));
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof MariaDbBinlogState s && s.entries.equals(entries));
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** The server's text form: {@code d-s-n} entries by domain, then server, joined by commas. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (MariaDbGtidSet.Entry e : entries) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e);
    }
    return sb.toString();
  }
}
