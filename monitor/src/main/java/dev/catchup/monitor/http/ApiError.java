package dev.catchup.monitor.http;

import java.util.Map;

/** A request that cannot be served: becomes {@code {"error": message}} with {@code status}. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int EXCERPT = 64;

  final int status;
  final transient Map<String, String> headers;

  ApiError(int status, String message) {
    this(status, message, Map.of());
  }

  ApiError(int status, String message, Map<String, String> headers) {
    // No stack trace: these are expected outcomes, never logged with one.
    super(message, null, false, false);
    this.status = status;
    this.headers = headers;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  /**
   * Caller-supplied text fit to quote back: at most 64 characters, in quotes, with {@link #escape}
   * applied.
   */
  static String quote(String s) {
    int end = s.offsetByCodePoints(0, Math.min(s.codePointCount(0, s.length()), EXCERPT));
    return "'" + escape(s.substring(0, end)) + (end < s.length() ? "...'" : "'");
  }

  /**
   * {@code s} with every character that could change how the rest reads written as a backslash,
   * {@code u} and four hex digits ({@code U} and eight beyond the BMP): control characters, format characters (the bidi
   * overrides and isolates such as U+202E, zero-width characters), line and paragraph separators
   * and unpaired surrogates. Applied to every error message, so nothing a caller sent can reorder
   * or hide text in a terminal, a log viewer or a page that shows the message.
   */
  static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      boolean unsafe = switch (Character.getType(cp)) {
        case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR,
            Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
        default -> false;
      };
      if (unsafe && sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (sb != null) {
        if (unsafe) {
          sb.append(cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
        } else {
          sb.appendCodePoint(cp);
        }
      }
      i += n;
    }
    return sb == null ? s : sb.toString();
  }
}
