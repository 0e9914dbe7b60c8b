package dev.catchup.wire;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The framing of {@code /stream} (Server-Sent Events) and the version of its JSON.
 *
 * <p>The schema version is a major version: fields are added without changing it (readers ignore
 * fields they do not know), and it changes only when a field is removed, renamed or changes meaning,
 * so that a reader of another major refuses the stream instead of misreading it.
 */
public final class StreamFormat {
  /** The {@code schema} this code writes, and the only one it reads. */
  public static final int SCHEMA_VERSION = 1;

  /** The SSE {@code event} type of {@link StatusEvent}. */
  public static final String STATUS_EVENT = "status";

  /**
   * A comment line the monitor sends every second: keeps proxies from closing an idle stream and
   * lets subscribers tell a live feed from a silently partitioned one. Carries no data.
   */
  public static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(US_ASCII);

  private StreamFormat() {}

  /**
   * One event as the stream carries it: {@code event: <type>}, one {@code data:} line, a blank line.
   *
   * @param json one line of JSON (a {@code data} field cannot hold a line break)
   * @throws IllegalArgumentException if {@code json} holds a line break
   */
  public static byte[] frame(String type, String json) {
    if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("event data must be one line, was: " + json);
    }
    return ("event: " + type + "\ndata: " + json + "\n\n").getBytes(UTF_8);
  }
}
