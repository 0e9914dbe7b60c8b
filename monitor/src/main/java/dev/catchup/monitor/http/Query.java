package dev.catchup.monitor.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decoded query parameters of one request. Strict: unknown and repeated parameters are errors,
 * so that a typo ({@code ?replcia=r1}) is not silently read as "any replica".
 */
final class Query {
  private final Map<String, String> values;

  private Query(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code rawQuery} (as sent, percent-encoded; null when absent), allowing only {@code
   * allowed} names.
   *
   * @param maxLength longest raw query accepted, checked before decoding
   * @throws ApiError 400 naming the offending parameter
   */
  static Query parse(String rawQuery, Set<String> allowed, String path, int maxLength) {
    Map<String, String> values = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new Query(values);
    }
    if (rawQuery.length() > maxLength) {
      throw ApiError.badRequest("query string is longer than " + maxLength + " characters");
    }
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = decode(eq < 0 ? part : part.substring(0, eq));
      String value = eq < 0 ? "" : decode(part.substring(eq + 1));
      if (!allowed.contains(name)) {
        throw ApiError.badRequest("unknown query parameter " + ApiError.quote(name) + " for " + path
            + "; allowed: " + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed))));
      }
      if (values.putIfAbsent(name, value) != null) {
        throw ApiError.badRequest("duplicate query parameter '" + name + "'");
      }
    }
    return new Query(values);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("malformed percent-encoding in query parameter " + ApiError.quote(s));
    }
  }

  /** The value of {@code name}, or null when absent. */
  String get(String name) {
    return values.get(name);
  }
}
