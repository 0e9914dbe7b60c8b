package dev.catchup.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns the server names the SDK reports into tag values of bounded cardinality. The names are
 * configuration, but a few hooks receive a description rather than a name ({@code failed} gets
 * {@code "replica1 (pool exhausted)"} or {@code "any (3 s behind)"}, whose number changes with the
 * lag): only the part before {@code " ("} is kept. As a last guard against a series per value,
 * past {@value #MAX_VALUES} distinct names every new one becomes {@code "other"}.
 */
final class ServerTags {
  static final int MAX_VALUES = 64;
  static final String NONE = "none";
  static final String OTHER = "other";

  private final ConcurrentMap<String, Boolean> seen = new ConcurrentHashMap<>();

  /** The tag value of {@code reported}: its name, {@code "none"} for null, or {@code "other"}. */
  String of(String reported) {
    if (reported == null || reported.isBlank()) {
      return NONE;
    }
    int detail = reported.indexOf(" (");
    String name = (detail < 0 ? reported : reported.substring(0, detail)).strip();
    if (name.isEmpty()) {
      return NONE;
    }
    if (seen.containsKey(name)) {
      return name;
    }
    // Not atomic with the put: a few names over the cap under a race is fine, unbounded is not.
    if (seen.size() >= MAX_VALUES) {
      return OTHER;
    }
    seen.putIfAbsent(name, Boolean.TRUE);
    return name;
  }
}
