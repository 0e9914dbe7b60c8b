package dev.catchup.gtid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A MariaDB GTID position: for each replication domain, the newest transaction
 * {@code domain-server-sequence}, as {@code @@gtid_current_pos} prints it ({@code 0-1-100,1-2-7}).
 *
 * <p>MariaDB orders transactions by sequence number within a domain, so a position stands for every
 * transaction of each domain up to its sequence number; that is how {@code MASTER_GTID_WAIT}
 * compares, and so do {@link #contains}, {@link #union} (per-domain maximum), {@link #intersect}
 * (per-domain minimum) and the counts. A domain absent from a position is at sequence 0.
 * {@link #subtract} returns the entries of this position the other has not reached: exactly the
 * position a replica must still wait for. Server ids are carried for printing and ignored when
 * comparing. Domain and server ids are unsigned 32-bit, sequence numbers unsigned 64-bit.
 */
public final class MariaDbGtidSet implements GtidSet {
  static final long MAX_UINT32 = 0xFFFF_FFFFL;

  private static final MariaDbGtidSet EMPTY = new MariaDbGtidSet(new long[0], new long[0], new long[0]);

  // Parallel arrays sorted by domain; seqs are unsigned.
  private final long[] domains;
  private final long[] servers;
  private final long[] seqs;
  private int hash;

  private MariaDbGtidSet(long[] domains, long[] servers, long[] seqs) {
    this.domains = domains;
    this.servers = servers;
    this.seqs = seqs;
  }

  /** The empty position. */
  public static MariaDbGtidSet empty() {
    return EMPTY;
  }

  /**
   * Parses a position, rejecting text longer than {@link GtidSet#DEFAULT_MAX_LENGTH}.
   *
   * @throws GtidParseException if the text is malformed, too long, or names a domain twice
   */
  public static MariaDbGtidSet parse(CharSequence text) {
    return parse(text, DEFAULT_MAX_LENGTH);
  }

  /**
   * Parses a position, rejecting text longer than {@code maxLength} before reading it.
   *
   * @throws GtidParseException if the text is malformed, too long, or names a domain twice
   */
  public static MariaDbGtidSet parse(CharSequence text, int maxLength) {
    return new MariaDbGtidParser(text, maxLength).parse();
  }

  /** The position holding the single GTID {@code domain-server-seq}. */
  public static MariaDbGtidSet of(long domain, long server, long seq) {
    return new MariaDbGtidSet(new long[] {checkUint32("domain", domain)},
        new long[] {checkUint32("server", server)}, new long[] {seq});
  }

  /** Domain ids in ascending order. */
  public long[] domains() {
    return domains.clone();
  }

  /** The sequence number reached in {@code domain} (unsigned), or 0 when the domain is absent. */
  public long sequence(long domain) {
    int i = Arrays.binarySearch(domains, domain);
    return i >= 0 ? seqs[i] : 0;
  }

  @Override
  public Flavor flavor() {
    return Flavor.MARIADB;
  }

  @Override
  public boolean isEmpty() {
    return domains.length == 0;
  }

  @Override
  public boolean contains(GtidSet other) {
    MariaDbGtidSet o = cast(other);
    int i = 0;
    for (int j = 0; j < o.domains.length; j++) {
      while (i < domains.length && domains[i] < o.domains[j]) {
        i++;
      }
      long have = i < domains.length && domains[i] == o.domains[j] ? seqs[i] : 0;
      if (Long.compareUnsigned(have, o.seqs[j]) < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public MariaDbGtidSet union(GtidSet other) {
    MariaDbGtidSet o = cast(other);
    if (contains(o) && o.domainsWithin(this)) {
      return this;
    }
    return merge(o, true);
  }

  @Override
  public MariaDbGtidSet subtract(GtidSet other) {
    MariaDbGtidSet o = cast(other);
    Acc acc = new Acc(domains.length);
    for (int i = 0; i < domains.length; i++) {
      if (Long.compareUnsigned(o.sequence(domains[i]), seqs[i]) < 0) {
        acc.add(domains[i], servers[i], seqs[i]);
      }
    }
    return acc.size == domains.length ? this : acc.build();
  }

  @Override
  public MariaDbGtidSet intersect(GtidSet other) {
    return merge(cast(other), false);
  }

  @Override
  public long count() {
    long total = 0;
    for (long s : seqs) {
      total = Intervals.saturatedAdd(total, s < 0 ? Long.MAX_VALUE : s);
    }
    return total;
  }

  @Override
  public long countNotIn(GtidSet other) {
    MariaDbGtidSet o = cast(other);
    long total = 0;
    for (int i = 0; i < domains.length; i++) {
      long have = o.sequence(domains[i]);
      if (Long.compareUnsigned(have, seqs[i]) < 0) {
        long missing = seqs[i] - have; // unsigned difference
        total = Intervals.saturatedAdd(total, missing < 0 ? Long.MAX_VALUE : missing);
      }
    }
    return total;
  }

  /**
   * The entries of the position in domain order.
   */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>(domains.length);
    for (int i = 0; i < domains.length; i++) {
      out.add(new Entry(domains[i], servers[i], seqs[i]));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * One GTID {@code domain-server-sequence}.
   *
   * @param domain replication domain id, unsigned 32-bit
   * @param server server id that wrote the transaction, unsigned 32-bit
   * @param sequence sequence number within the domain, unsigned 64-bit
   */
  public record Entry(long domain, long server, long sequence) {
    @Override
    public String toString() {
      return domain + "-" + server + "-" + Long.toUnsignedString(sequence);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof MariaDbGtidSet s && Arrays.equals(domains, s.domains)
        && Arrays.equals(servers, s.servers) && Arrays.equals(seqs, s.seqs));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = (Arrays.hashCode(domains) * 31 + Arrays.hashCode(servers)) * 31 + Arrays.hashCode(seqs);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(domains.length * 16);
    for (int i = 0; i < domains.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(domains[i]).append('-').append(servers[i]).append('-')
          .append(Long.toUnsignedString(seqs[i]));
    }
    return sb.toString();
  }

  private boolean domainsWithin(MariaDbGtidSet o) {
    for (long d : domains) {
      if (Arrays.binarySearch(o.domains, d) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Per-domain maximum over all domains (union) or minimum over common domains (intersection). */
  private MariaDbGtidSet merge(MariaDbGtidSet o, boolean max) {
    Acc acc = new Acc(domains.length + o.domains.length);
    int i = 0;
    int j = 0;
    while (i < domains.length || j < o.domains.length) {
      long di = i < domains.length ? domains[i] : Long.MAX_VALUE;
      long dj = j < o.domains.length ? o.domains[j] : Long.MAX_VALUE;
      if (di < dj) {
        if (max) {
          acc.add(di, servers[i], seqs[i]);
        }
        i++;
      } else if (dj < di) {
        if (max) {
          acc.add(dj, o.servers[j], o.seqs[j]);
        }
        j++;
      } else {
        boolean mine = Long.compareUnsigned(seqs[i], o.seqs[j]) >= 0 == max;
        acc.add(di, mine ? servers[i] : o.servers[j], mine ? seqs[i] : o.seqs[j]);
        i++;
        j++;
      }
    }
    return acc.build();
  }

  private static MariaDbGtidSet cast(GtidSet other) {
    Objects.requireNonNull(other, "other");
    if (other instanceof MariaDbGtidSet s) {
      return s;
    }
    throw new IllegalArgumentException(
        "cannot combine a MariaDB GTID position with a " + other.flavor() + " GTID set");
  }

  private static long checkUint32(String what, long v) {
    if (v < 0 || v > MAX_UINT32) {
      throw new IllegalArgumentException(what + " id must be between 0 and " + MAX_UINT32 + ", was " + v);
    }
    return v;
  }

  /** Collects entries in the order given; the set operations and MariaDbGtidParser build with it. */
  static final class Acc {
    final long[] d;
    final long[] s;
    final long[] q;
    int size;

    Acc(int capacity) {
      d = new long[capacity];
      s = new long[capacity];
      q = new long[capacity];
    }

    void add(long domain, long server, long seq) {
      d[size] = domain;
      s[size] = server;
      q[size++] = seq;
    }

    MariaDbGtidSet build() {
      return size == 0 ? EMPTY : new MariaDbGtidSet(Arrays.copyOf(d, size), Arrays.copyOf(s, size),
          Arrays.copyOf(q, size));
    }
  }
}
