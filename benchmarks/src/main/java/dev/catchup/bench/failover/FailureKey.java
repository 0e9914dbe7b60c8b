package dev.catchup.bench.failover;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * How failed requests are grouped in the results: exception class, SQLState and a short reason,
 * the message with what differs between occurrences of the same failure (ports, GTIDs, UUIDs,
 * numbers, server addresses) written as {@code #}, cut at the first clause. So one cause makes one
 * row however many times it happened.
 */
final class FailureKey {
  static final int MAX_REASON = 100;
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern NUMBERS = Pattern.compile("\\d+([-.:]\\d+)*");
  private static final Pattern REPEATS = Pattern.compile("#([,:\\s]+#)+");

  private FailureKey() {}

  /** {@code Class SQLState: reason} of an exception a request threw. */
  static String of(Throwable e) {
    String state = e instanceof SQLException s && s.getSQLState() != null ? " " + s.getSQLState() : "";
    return e.getClass().getSimpleName() + state + ": " + reason(e.getMessage());
  }

  /**
   * The message's first sentence or clause (up to the first {@code ;} or line break, at most
   * {@link #MAX_REASON} characters), with UUIDs and numbers as {@code #}.
   */
  static String reason(String message) {
    if (message == null || message.isBlank()) {
      return "(no message)";
    }
    String s = message.strip();
    int cut = s.length();
    for (char c : new char[] {';', '\n', '\r'}) {
      int i = s.indexOf(c);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    s = s.substring(0, cut);
    s = UUID.matcher(s).replaceAll("#");
    s = NUMBERS.matcher(s).replaceAll("#");
    s = REPEATS.matcher(s).replaceAll("#");
    s = s.replace('|', '/').strip(); // a Markdown table cell
    return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "...";
  }
}
