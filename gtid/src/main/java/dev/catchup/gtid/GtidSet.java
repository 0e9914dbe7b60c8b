package dev.catchup.gtid;

/**
 * An immutable, normalised set of transactions identified by GTIDs, in one {@link Flavor}.
 *
 * <p>Operations between sets of different flavors throw {@link IllegalArgumentException}.
 * {@link #toString()} is the canonical text, identical to what the server prints for the same
 * set, and {@link #parse} accepts it back.
 */
public sealed interface GtidSet permits MysqlGtidSet, MariaDbGtidSet {

  /** Longest text {@link #parse(Flavor, CharSequence)} accepts: generous for any server's state. */
  int DEFAULT_MAX_LENGTH = 1 << 20;

  /**
   * Parses a set of the given flavor, rejecting text longer than {@link #DEFAULT_MAX_LENGTH}.
   *
   * @throws GtidParseException if the text is malformed or too long
   */
  static GtidSet parse(Flavor flavor, CharSequence text) {
    return parse(flavor, text, DEFAULT_MAX_LENGTH);
  }

  /**
   * Parses a set of the given flavor, rejecting text longer than {@code maxLength} before looking
   * at it; use a small limit for text from outside (tokens in HTTP headers).
   *
   * @throws GtidParseException if the text is malformed or too long
   */
  static GtidSet parse(Flavor flavor, CharSequence text, int maxLength) {
    return switch (flavor) {
      case MYSQL -> MysqlGtidSet.parse(text, maxLength);
      case MARIADB -> MariaDbGtidSet.parse(text, maxLength);
    };
  }

  /** The empty set of the given flavor. */
  static GtidSet empty(Flavor flavor) {
    return switch (flavor) {
      case MYSQL -> MysqlGtidSet.empty();
      case MARIADB -> MariaDbGtidSet.empty();
    };
  }

  /** The dialect of this set. */
  Flavor flavor();

  /** True when the set names no transaction. */
  boolean isEmpty();

  /**
   * True when every transaction of {@code other} is in this set: a replica whose executed set
   * contains a token has applied every write the token names.
   */
  boolean contains(GtidSet other);

  /** The transactions in this set or in {@code other}: how tokens merge. */
  GtidSet union(GtidSet other);

  /** The part of this set that {@code other} does not contain: what a replica still misses. */
  GtidSet subtract(GtidSet other);

  /** The transactions in both sets. */
  GtidSet intersect(GtidSet other);

  /** Number of transactions in the set, saturating at {@link Long#MAX_VALUE}. */
  long count();

  /**
   * Number of transactions of this set that {@code other} lacks, saturating at {@link
   * Long#MAX_VALUE}: a primary's set counted against a replica's is the replica's lag in
   * transactions.
   */
  long countNotIn(GtidSet other);

  /** The canonical text, as the server prints the same set. */
  @Override
  String toString();
}
