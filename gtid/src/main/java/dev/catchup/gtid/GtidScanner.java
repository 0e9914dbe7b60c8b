package dev.catchup.gtid;

/**
 * What the parsers of both flavors share: the text and the scan position, the length limit checked
 * before anything is read, whitespace as the servers skip it, and errors that name the offset and
 * what was found there. Each parser adds only its own grammar.
 */
abstract sealed class GtidScanner permits MysqlGtidParser, MariaDbGtidParser,
    MariaDbBinlogStateParser {
  final CharSequence in;
  final int length;
  int pos;
  private final Flavor flavor;

  GtidScanner(Flavor flavor, CharSequence text, int maxLength) {
    if (text == null) {
      throw new NullPointerException(
          (flavor == Flavor.MYSQL ? "GTID set" : "GTID position") + " text is null");
    }
    this.flavor = flavor;
    this.in = text;
    this.length = text.length();
    // Checked before reading, so an oversized header costs nothing to reject.
    if (length > maxLength) {
      throw error(maxLength, "text is " + length + " characters, more than the limit of " + maxLength);
    }
  }

  /**
   * Reads {@code item (',' item)*} with whitespace around the separators, calling {@code item} at
   * the start of each; blank text reads no item. A trailing comma leaves {@code item} at the end of
   * the text, where it reports what it expected.
   */
  final void list(String what, Runnable item) {
    skipSpace();
    if (pos == length) {
      return;
    }
    while (true) {
      item.run();
      skipSpace();
      if (pos == length) {
        return;
      }
      if (in.charAt(pos) != ',') {
        throw error(pos, "expected ',' or the end of the " + what + ", found " + describe(pos));
      }
      pos++;
      skipSpace();
    }
  }

  /** Reads an unsigned decimal no larger than {@code max} (compared unsigned; -1 is 2^64-1). */
  final long number(long max, String what) {
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

  final void skipSpace() {
    while (pos < length && isSpace(in.charAt(pos))) {
      pos++;
    }
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
  }

  /** The character at {@code at} as an error message shows it, control characters as hex. */
  final String describe(int at) {
    if (at >= length) {
      return "the end of the text";
    }
    char c = in.charAt(at);
    return c < 0x20 || c == 0x7f ? String.format("character 0x%02x", (int) c) : "'" + c + "'";
  }

  final GtidParseException error(int at, String problem) {
    return new GtidParseException(flavor, in, at, problem);
  }
}
