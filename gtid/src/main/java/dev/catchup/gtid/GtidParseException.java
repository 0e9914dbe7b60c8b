package dev.catchup.gtid;

/**
 * Thrown when text is not a valid GTID set. The message names the flavor, the offset and what was
 * expected there, and quotes at most a short excerpt of the input, so it is safe to return to a
 * caller who sent the text (for example in an HTTP header).
 */
public final class GtidParseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final int EXCERPT = 48;

  private final int offset;

  GtidParseException(Flavor flavor, CharSequence input, int offset, String problem) {
    super(message(flavor, input, offset, problem));
    this.offset = offset;
  }

  /** Character offset in the input where parsing failed. */
  public int offset() {
    return offset;
  }

  private static String message(Flavor flavor, CharSequence input, int offset, String problem) {
    String what = flavor == Flavor.MYSQL ? "MySQL GTID set" : "MariaDB GTID position";
    int from = Math.max(0, Math.min(offset, input.length()) - EXCERPT / 2);
    int to = Math.min(input.length(), from + EXCERPT);
    StringBuilder excerpt = new StringBuilder();
    if (from > 0) {
      excerpt.append("...");
    }
    for (int i = from; i < to; i++) {
      char c = input.charAt(i);
      // Keep control characters out of logs and HTTP responses.
      excerpt.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    if (to < input.length()) {
      excerpt.append("...");
    }
    return "malformed " + what + " at offset " + offset + ": " + problem + " in '" + excerpt + "'";
  }
}
