package dev.catchup.gtid;

import java.util.Locale;

/**
 * Scans MySQL GTID set text: {@code source (',' source)*} where a source is
 * {@code uuid (':' (interval | tag))+}, an interval is {@code n} or {@code n-m}, a tag
 * ({@code [a-z_][a-z0-9_]{0,31}}, case-insensitive) applies to the intervals that follow it, and
 * whitespace may surround any separator. Every error names the offset and what was expected.
 */
final class MysqlGtidParser extends GtidScanner {
  private static final int UUID_LENGTH = 36;

  MysqlGtidParser(CharSequence text, int maxLength) {
    super(Flavor.MYSQL, text, maxLength);
  }

  MysqlGtidSet parse() {
    MysqlGtidSet.Builder builder = MysqlGtidSet.builder();
    list("set", () -> parseSource(builder));
    return builder.build();
  }

  private void parseSource(MysqlGtidSet.Builder builder) {
    long hi = parseUuidHalf(0);
    long lo = parseUuidHalf(19);
    pos += UUID_LENGTH;
    skipSpace();
    if (pos == length || in.charAt(pos) != ':') {
      throw error(pos, "expected ':' after the UUID, found " + describe(pos));
    }
    String tag = "";
    int tagAt = -1;
    boolean tagHasInterval = false;
    while (pos < length && in.charAt(pos) == ':') {
      pos++;
      skipSpace();
      char c = pos < length ? in.charAt(pos) : 0;
      if (c >= '0' && c <= '9') {
        long first = parseGno();
        long last = first;
        skipSpace();
        if (pos < length && in.charAt(pos) == '-') {
          pos++;
          skipSpace();
          int lastAt = pos;
          last = parseGno();
          if (last < first) {
            throw error(lastAt, "interval end " + last + " is less than its start " + first);
          }
        }
        builder.addRaw(hi, lo, tag, first, last);
        tagHasInterval = true;
      } else if (isTagStart(c)) {
        if (tagAt >= 0 && !tagHasInterval) {
          throw error(pos, "expected an interval after tag '" + tag + "', found another tag");
        }
        tagAt = pos;
        tag = parseTag();
        tagHasInterval = false;
      } else {
        throw error(pos, "expected an interval (n or n-m) or a tag after ':', found " + describe(pos));
      }
      skipSpace();
    }
    if (tagAt >= 0 && !tagHasInterval) {
      throw error(pos, "expected ':' and an interval after tag '" + tag + "', found " + describe(pos));
    }
  }

  /** Reads the 64 bits of one UUID half: 8-4-4 digits at +0, or 4-12 digits at +19. */
  private long parseUuidHalf(int offset) {
    if (pos + UUID_LENGTH > length) {
      throw error(pos, "expected a UUID (8-4-4-4-12 hexadecimal digits), found " + describe(pos));
    }
    long v = 0;
    int end = offset == 0 ? 18 : UUID_LENGTH;
    for (int i = offset; i < end; i++) {
      char c = in.charAt(pos + i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          throw error(pos + i, "expected '-' in the UUID, found " + describe(pos + i));
        }
        continue;
      }
      int d = Character.digit(c, 16);
      if (d < 0 || c > 'f') {
        throw error(pos + i, "expected a hexadecimal digit in the UUID, found " + describe(pos + i));
      }
      v = (v << 4) | d;
    }
    if (offset == 0 && in.charAt(pos + 18) != '-') {
      throw error(pos + 18, "expected '-' in the UUID, found " + describe(pos + 18));
    }
    return v;
  }

  private long parseGno() {
    int start = pos;
    long v = number(MysqlGtidSet.MAX_GNO, "sequence number");
    if (v < MysqlGtidSet.MIN_GNO) {
      throw error(start, "sequence number must be at least " + MysqlGtidSet.MIN_GNO + ", was " + v);
    }
    return v;
  }

  private String parseTag() {
    int start = pos;
    while (pos < length && isTagPart(in.charAt(pos))) {
      pos++;
    }
    if (pos - start > MysqlGtidSet.MAX_TAG_LENGTH) {
      throw error(start, "tag is " + (pos - start) + " characters, more than "
          + MysqlGtidSet.MAX_TAG_LENGTH);
    }
    return in.subSequence(start, pos).toString().toLowerCase(Locale.ROOT);
  }

  /** Validates and lower-cases a tag given through the API; empty means untagged. */
  static String normaliseTag(String tag) {
    if (tag == null || tag.isEmpty()) {
      return "";
    }
    boolean ok = tag.length() <= MysqlGtidSet.MAX_TAG_LENGTH && isTagStart(tag.charAt(0));
    for (int i = 1; ok && i < tag.length(); i++) {
      ok = isTagPart(tag.charAt(i));
    }
    if (!ok) {
      throw new IllegalArgumentException("tag must match [a-zA-Z_][a-zA-Z0-9_]{0,31}, was '"
          + tag + "'");
    }
    return tag.toLowerCase(Locale.ROOT);
  }

  private static boolean isTagStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isTagPart(char c) {
    return isTagStart(c) || (c >= '0' && c <= '9');
  }
}
