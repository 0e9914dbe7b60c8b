package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidParseException;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import java.util.Locale;
import java.util.Objects;

/**
 * The GTIDs a reader must see: an immutable value that merges by union and travels between services
 * as text ({@link #encode()}: {@code mysql/3e11fa47-...:1-57} or {@code mariadb/0-1-100}).
 *
 * <p><b>Why it stays small.</b> A token keeps one high-water mark per source: for MySQL, every
 * transaction of a source UUID (and tag) from 1 up to the newest one it names
 * ({@code uuid:1-N}); MariaDB positions already are one sequence per domain. This can only ask
 * for more than the writes it recorded, never less, so a read is never made stale by it. It costs
 * nothing in practice: replicas apply a source's transactions in commit order
 * ({@code replica_preserve_commit_order}, on by default), so a replica that has {@code N} has every
 * earlier transaction of that source too, and a multi-threaded applier's transient gaps close within
 * milliseconds. A token therefore holds one entry per primary the session has written to (a handful
 * across failovers), however many writes it records.
 */
public final class ConsistencyToken {
  /** Longest encoded token {@link #decode} accepts: room for dozens of sources. */
  public static final int MAX_ENCODED_LENGTH = 4096;

  /**
   * The HTTP header (and message header) that carries a token between services by convention:
   * what Catchup's Spring Boot starter reads and writes unless configured otherwise.
   */
  public static final String HEADER = "Catchup-Token";

  private static final ConsistencyToken EMPTY_MYSQL = new ConsistencyToken(MysqlGtidSet.empty());
  private static final ConsistencyToken EMPTY_MARIADB = new ConsistencyToken(MariaDbGtidSet.empty());

  private final GtidSet gtids;

  private ConsistencyToken(GtidSet gtids) {
    this.gtids = gtids;
  }

  /** The token that requires nothing. */
  public static ConsistencyToken empty(Flavor flavor) {
    return flavor == Flavor.MYSQL ? EMPTY_MYSQL : EMPTY_MARIADB;
  }

  /** A token requiring {@code gtids}, widened to one high-water mark per source. */
  public static ConsistencyToken of(GtidSet gtids) {
    Objects.requireNonNull(gtids, "gtids");
    return gtids.isEmpty() ? empty(gtids.flavor()) : new ConsistencyToken(highWaterMarks(gtids));
  }

  /**
   * Parses a token received from outside (a header, a job payload). Rejects, before anything reaches
   * a database, text that is longer than {@link #MAX_ENCODED_LENGTH}, names no known flavor, or holds
   * a malformed GTID set.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static ConsistencyToken decode(String text) {
    if (text == null) {
      throw new IllegalArgumentException("consistency token is missing (null)");
    }
    if (text.length() > MAX_ENCODED_LENGTH) {
      throw new IllegalArgumentException("consistency token is " + text.length()
          + " characters, more than the limit of " + MAX_ENCODED_LENGTH);
    }
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String prefix = slash < 0 ? "" : trimmed.substring(0, slash).toLowerCase(Locale.ROOT);
    Flavor flavor = switch (prefix) {
      case "mysql" -> Flavor.MYSQL;
      case "mariadb" -> Flavor.MARIADB;
      default -> throw new IllegalArgumentException(
          "consistency token must start with 'mysql/' or 'mariadb/', was '"
              + printable(trimmed.substring(0, Math.min(trimmed.length(), 16))) + "...'");
    };
    try {
      return of(GtidSet.parse(flavor, trimmed.substring(slash + 1), MAX_ENCODED_LENGTH));
    } catch (GtidParseException e) {
      throw new IllegalArgumentException("invalid consistency token: " + e.getMessage(), e);
    }
  }

  /** The text form, safe in an HTTP header: the flavor, a slash, and the GTID set on one line. */
  public String encode() {
    String set = gtids.toString();
    return (gtids.flavor() == Flavor.MYSQL ? "mysql/" : "mariadb/") + set.replace(",\n", ",");
  }

  /** The GTIDs a reader must have applied. */
  public GtidSet gtids() {
    return gtids;
  }

  public Flavor flavor() {
    return gtids.flavor();
  }

  public boolean isEmpty() {
    return gtids.isEmpty();
  }

  /** Number of sources (MySQL UUID/tag pairs, MariaDB domains) the token names. */
  public int sources() {
    return gtids instanceof MysqlGtidSet m ? m.intervals().size()
        : ((MariaDbGtidSet) gtids).entries().size();
  }

  /** The union of both tokens. */
  public ConsistencyToken merge(ConsistencyToken other) {
    if (other.isEmpty() || gtids.contains(other.gtids)) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    return new ConsistencyToken(highWaterMarks(gtids.union(other.gtids)));
  }

  /** The union of this token and {@code more} GTIDs. */
  public ConsistencyToken merge(GtidSet more) {
    if (more.isEmpty() || gtids.contains(more)) {
      return this;
    }
    // One compaction of the union, not one of {@code more} and another of the union: this runs
    // on every write.
    return new ConsistencyToken(highWaterMarks(isEmpty() ? more : gtids.union(more)));
  }

  private static GtidSet highWaterMarks(GtidSet set) {
    if (!(set instanceof MysqlGtidSet m)) {
      return set; // a MariaDB position is already one high-water mark per domain
    }
    MysqlGtidSet.Builder b = MysqlGtidSet.builder();
    for (MysqlGtidSet.Interval iv : m.intervals()) {
      b.add(iv.uuid(), iv.tag(), MysqlGtidSet.MIN_GNO, iv.last());
    }
    return b.build();
  }

  private static String printable(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof ConsistencyToken t && t.gtids.equals(gtids));
  }

  @Override
  public int hashCode() {
    return gtids.hashCode();
  }

  @Override
  public String toString() {
    return encode();
  }
}
