package dev.catchup.sdk;

/**
 * Frames the lines of a {@code text/event-stream} into events as the Server-Sent Events
 * specification says: {@code data} lines accumulate (joined by newlines) until a blank line
 * dispatches them; lines starting with {@code :} are comments; {@code event} sets the next event's
 * type and {@code id} the last event id; other fields ({@code retry}, unknown ones) are ignored; one
 * space after the colon is stripped; an event without data is not dispatched; an unfinished event at
 * the end of the stream is dropped. The caller splits lines (CR, LF or CRLF, as
 * {@link java.io.BufferedReader#readLine()} does). Not thread-safe: one per stream.
 */
final class SseFramer {
  /** Largest data of one event it buffers by default: a confirmed set is at most about 1 MiB. */
  static final int DEFAULT_MAX_DATA = 8 << 20;

  /**
   * One event.
   *
   * @param type the {@code event} field, {@code "message"} when none was given
   * @param data the data lines joined by newlines (empty when {@code oversized})
   * @param id the last event id seen on the stream, {@code ""} when none
   * @param oversized the data exceeded the limit and was dropped: the event cannot be read
   */
  record Event(String type, String data, String id, boolean oversized) {}

  private final int maxData;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private boolean oversized;
  private String type = "";
  private String lastId = "";
  private boolean first = true;

  SseFramer() {
    this(DEFAULT_MAX_DATA);
  }

  /** A framer that drops the data of events longer than {@code maxData} characters. */
  SseFramer(int maxData) {
    this.maxData = maxData;
  }

  /** Feeds one line without its terminator; returns the event it completes, or null. */
  Event line(String line) {
    if (first) {
      first = false;
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1); // a byte order mark may open the stream
      }
    }
    if (line.isEmpty()) {
      return dispatch();
    }
    if (line.charAt(0) == ':') {
      return null;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> type = value;
      case "data" -> appendData(value);
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastId = value;
        }
      }
      default -> { } // retry (we reconnect with our own back-off) and unknown fields
    }
    return null;
  }

  private void appendData(String value) {
    hasData = true;
    if (oversized) {
      return;
    }
    if (data.length() + value.length() + 1 > maxData) {
      // A stream that never sends a blank line must not grow the buffer without bound.
      oversized = true;
      data.setLength(0);
      return;
    }
    data.append(value).append('\n');
  }

  private Event dispatch() {
    Event e = null;
    if (hasData) {
      String d = oversized ? "" : data.substring(0, data.length() - 1);
      e = new Event(type.isEmpty() ? "message" : type, d, lastId, oversized);
    }
    data.setLength(0);
    hasData = false;
    oversized = false;
    type = "";
    return e;
  }
}
