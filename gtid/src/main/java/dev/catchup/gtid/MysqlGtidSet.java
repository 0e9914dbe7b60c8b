package dev.catchup.gtid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A MySQL GTID set: for each source UUID, and for MySQL 8.4+ each tag of that UUID, the
 * sequence numbers it names, as disjoint inclusive intervals.
 *
 * <p>Text form, as {@code @@global.gtid_executed} prints it:
 * {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11,\n4a...:1-57:mytag:1-3}. Parsing accepts any
 * order, case, whitespace and overlap the server accepts for valid input, and rejects what it would
 * reject; the canonical form sorts sources by UUID, prints the untagged intervals of a UUID first and
 * then each tag in alphabetical order, merges overlapping and adjacent intervals, lower-cases UUIDs and
 * tags, and separates sources with {@code ",\n"}, exactly as the server does.
 */
public final class MysqlGtidSet implements GtidSet {

  /** Smallest valid GTID sequence number. */
  public static final long MIN_GNO = 1;

  /** Largest valid GTID sequence number (MySQL's {@code GNO_END - 1}). */
  public static final long MAX_GNO = Long.MAX_VALUE - 1;

  /** Longest tag MySQL accepts. */
  public static final int MAX_TAG_LENGTH = 32;

  private static final MysqlGtidSet EMPTY =
      new MysqlGtidSet(new long[0], new long[0], new String[0], new long[0][]);

  // Parallel arrays, one slot per (uuid, tag) source, sorted by uuid (unsigned hi, then lo) and
  // then by tag with the untagged source ("") first. Intervals are in Intervals' normal form and
  // never empty. Package-private so MysqlSetAlgebra can walk them; nothing writes them after
  // construction, which is what makes sharing interval arrays between sets safe.
  final long[] uuidHi;
  final long[] uuidLo;
  final String[] tags;
  final long[][] intervals;
  private int hash;
  private String text;

  MysqlGtidSet(long[] uuidHi, long[] uuidLo, String[] tags, long[][] intervals) {
    this.uuidHi = uuidHi;
    this.uuidLo = uuidLo;
    this.tags = tags;
    this.intervals = intervals;
  }

  /** The empty set. */
  public static MysqlGtidSet empty() {
    return EMPTY;
  }

  /**
   * Parses a GTID set, rejecting text longer than {@link GtidSet#DEFAULT_MAX_LENGTH}.
   *
   * @throws GtidParseException if the text is malformed or too long
   */
  public static MysqlGtidSet parse(CharSequence text) {
    return parse(text, DEFAULT_MAX_LENGTH);
  }

  /**
   * Parses a GTID set, rejecting text longer than {@code maxLength} before reading it.
   *
   * @throws GtidParseException if the text is malformed or too long
   */
  public static MysqlGtidSet parse(CharSequence text, int maxLength) {
    return new MysqlGtidParser(text, maxLength).parse();
  }

  /** The set holding the single transaction {@code uuid:gno}. */
  public static MysqlGtidSet of(UUID uuid, long gno) {
    return builder().add(uuid, "", gno, gno).build();
  }

  /** The set holding {@code uuid[:tag]:first-last}; an empty tag means untagged. */
  public static MysqlGtidSet of(UUID uuid, String tag, long first, long last) {
    return builder().add(uuid, tag, first, last).build();
  }

  /** A mutable builder, for accumulating transactions one at a time (a binlog tailer does). */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Flavor flavor() {
    return Flavor.MYSQL;
  }

  @Override
  public boolean isEmpty() {
    return tags.length == 0;
  }

  /** True when the set holds {@code uuid[:tag]:gno}; an empty tag means untagged. */
  public boolean contains(UUID uuid, String tag, long gno) {
    int i = indexOf(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits(),
        MysqlGtidParser.normaliseTag(tag));
    return i >= 0 && Intervals.contains(intervals[i], gno);
  }

  @Override
  public boolean contains(GtidSet other) {
    return MysqlSetAlgebra.contains(this, cast(other));
  }

  @Override
  public MysqlGtidSet union(GtidSet other) {
    return MysqlSetAlgebra.union(this, cast(other));
  }

  @Override
  public MysqlGtidSet subtract(GtidSet other) {
    return MysqlSetAlgebra.subtract(this, cast(other));
  }

  @Override
  public MysqlGtidSet intersect(GtidSet other) {
    return MysqlSetAlgebra.intersect(this, cast(other));
  }

  @Override
  public long count() {
    long total = 0;
    for (long[] iv : intervals) {
      total = Intervals.saturatedAdd(total, Intervals.count(iv));
    }
    return total;
  }

  @Override
  public long countNotIn(GtidSet other) {
    return subtract(other).count();
  }

  /**
   * The set's intervals in canonical order, one entry per interval. Meant for reporting and
   * encoding, not for hot paths.
   */
  public List<Interval> intervals() {
    List<Interval> out = new ArrayList<>();
    for (int i = 0; i < tags.length; i++) {
      UUID uuid = new UUID(uuidHi[i], uuidLo[i]);
      for (int k = 0; k < intervals[i].length; k += 2) {
        out.add(new Interval(uuid, tags[i], intervals[i][k], intervals[i][k + 1]));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * One interval of a set: the transactions {@code uuid[:tag]:first-last}.
   *
   * @param uuid source server UUID
   * @param tag lower-case tag, or the empty string when untagged
   * @param first first sequence number, inclusive
   * @param last last sequence number, inclusive
   */
  public record Interval(UUID uuid, String tag, long first, long last) {
    /** Validates the interval as the parser would. */
    public Interval {
      Objects.requireNonNull(uuid, "uuid");
      tag = MysqlGtidParser.normaliseTag(tag);
      if (first < MIN_GNO || last > MAX_GNO || first > last) {
        throw new IllegalArgumentException("interval must satisfy " + MIN_GNO + " <= first <= last <= "
            + MAX_GNO + ", was " + first + "-" + last);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MysqlGtidSet s)) {
      return false;
    }
    return Arrays.equals(uuidHi, s.uuidHi) && Arrays.equals(uuidLo, s.uuidLo)
        && Arrays.equals(tags, s.tags) && Arrays.deepEquals(intervals, s.intervals);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(uuidHi) * 31 + Arrays.hashCode(uuidLo);
      h = h * 31 + Arrays.hashCode(tags);
      h = h * 31 + Arrays.deepHashCode(intervals);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = format();
      text = t;
    }
    return t;
  }

  private String format() {
    StringBuilder sb = new StringBuilder(tags.length * 48);
    for (int i = 0; i < tags.length; i++) {
      boolean sameUuid = i > 0 && uuidHi[i] == uuidHi[i - 1] && uuidLo[i] == uuidLo[i - 1];
      if (!sameUuid) {
        if (i > 0) {
          sb.append(",\n");
        }
        sb.append(new UUID(uuidHi[i], uuidLo[i]));
      }
      if (!tags[i].isEmpty()) {
        sb.append(':').append(tags[i]);
      }
      long[] iv = intervals[i];
      for (int k = 0; k < iv.length; k += 2) {
        sb.append(':').append(iv[k]);
        if (iv[k + 1] != iv[k]) {
          sb.append('-').append(iv[k + 1]);
        }
      }
    }
    return sb.toString();
  }

  static int compareKey(long hi1, long lo1, String tag1, long hi2, long lo2, String tag2) {
    int c = Long.compareUnsigned(hi1, hi2);
    if (c == 0) {
      c = Long.compareUnsigned(lo1, lo2);
    }
    // The untagged source is "" and so sorts before every tag, as the server prints it.
    return c != 0 ? c : tag1.compareTo(tag2);
  }

  private int indexOf(long hi, long lo, String tag) {
    int low = 0;
    int high = tags.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = compareKey(uuidHi[mid], uuidLo[mid], tags[mid], hi, lo, tag);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  private static MysqlGtidSet cast(GtidSet other) {
    Objects.requireNonNull(other, "other");
    if (other instanceof MysqlGtidSet s) {
      return s;
    }
    throw new IllegalArgumentException(
        "cannot combine a MySQL GTID set with a " + other.flavor() + " GTID set");
  }

  /**
   * Accumulates intervals in any order and builds a normalised set. Not thread-safe; appending the
   * next sequence number of a source (the binlog's common case) is O(1) and allocates nothing.
   */
  public static final class Builder {
    private final TreeMap<Key, Pending> sources = new TreeMap<>();

    private Builder() {}

    /** Adds {@code uuid[:tag]:first-last}; an empty tag means untagged. */
    public Builder add(UUID uuid, String tag, long first, long last) {
      Interval checked = new Interval(uuid, tag, first, last);
      addRaw(new Key(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits(), checked.tag()),
          first, last);
      return this;
    }

    /** Adds the single transaction {@code uuid:gno}. */
    public Builder add(UUID uuid, long gno) {
      return add(uuid, "", gno, gno);
    }

    /** Adds every transaction of {@code set}. */
    public Builder addAll(MysqlGtidSet set) {
      for (int i = 0; i < set.tags.length; i++) {
        Key key = new Key(set.uuidHi[i], set.uuidLo[i], set.tags[i]);
        long[] iv = set.intervals[i];
        for (int k = 0; k < iv.length; k += 2) {
          addRaw(key, iv[k], iv[k + 1]);
        }
      }
      return this;
    }

    void addRaw(long hi, long lo, String normalisedTag, long first, long last) {
      addRaw(new Key(hi, lo, normalisedTag), first, last);
    }

    private void addRaw(Key key, long first, long last) {
      sources.computeIfAbsent(key, k -> new Pending()).add(first, last);
    }

    /** Builds the normalised, immutable set. The builder may be used again afterwards. */
    public MysqlGtidSet build() {
      int n = sources.size();
      if (n == 0) {
        return EMPTY;
      }
      long[] hi = new long[n];
      long[] lo = new long[n];
      String[] tags = new String[n];
      long[][] iv = new long[n][];
      int i = 0;
      for (var e : sources.entrySet()) {
        hi[i] = e.getKey().hi;
        lo[i] = e.getKey().lo;
        tags[i] = e.getKey().tag;
        iv[i] = Intervals.normalise(e.getValue().pairs, e.getValue().length);
        i++;
      }
      return new MysqlGtidSet(hi, lo, tags, iv);
    }
  }

  /** Unnormalised pairs of one source inside a builder. */
  private static final class Pending {
    long[] pairs = new long[4];
    int length;

    void add(long first, long last) {
      if (length > 0 && first == pairs[length - 1] + 1) {
        // [a, b] and [b + 1, last] are [a, last], whatever order the other pairs are in.
        pairs[length - 1] = Math.max(pairs[length - 1], last);
        return;
      }
      if (length == pairs.length) {
        // Normalise before growing, so repeated adds of the same range stay bounded.
        long[] merged = Intervals.normalise(pairs, length);
        length = merged.length;
        pairs = Arrays.copyOf(merged, Math.max(4, length * 2));
      }
      pairs[length++] = first;
      pairs[length++] = last;
    }
  }

  private record Key(long hi, long lo, String tag) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return compareKey(hi, lo, tag, o.hi, o.lo, o.tag);
    }
  }
}
