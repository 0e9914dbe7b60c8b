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

  /** Caller-supplied text fit to quote back: short, without control characters. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < s.length() && i < EXCERPT; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return sb.append(s.length() > EXCERPT ? "...'" : "'").toString();
  }
}
