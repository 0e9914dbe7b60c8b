package dev.catchup.bench.monitor;

import java.io.ByteArrayOutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code /stream} subscriber's connection and its parser, a small HTTP/1.1 chunked-body and
 * Server-Sent Events one that works on bytes and reads only an event's name and version, so that a
 * reader keeps up with the monitor on the machine they share. Touched by its reader thread only
 * (but the counters and the status).
 */
final class SseSubscriber {
  /** Where a complete event goes: its {@code name#version} and when its last byte arrived. */
  interface Sink {
    void event(SseSubscriber s, String key, long nanos);
  }

  private enum State { HEAD, SIZE, DATA, DATA_END, DONE }

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NAME = "\"name\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERSION = "\"version\":".getBytes(StandardCharsets.US_ASCII);

  final SocketChannel channel;
  private final Sink sink;
  final CompletableFuture<Integer> status = new CompletableFuture<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  volatile long events;
  volatile long recorded;
  private final StringBuilder head = new StringBuilder();
  private State state = State.HEAD;
  private boolean ok;
  private boolean chunked;
  private long chunkLeft;
  private long size;
  private boolean sizeDone;
  private byte[] line = new byte[1024];
  private int lineLength;
  private String key; // name#version of the event being read

  SseSubscriber(SocketChannel channel, Sink sink) {
    this.channel = channel;
    this.sink = sink;
  }

  String refusal() {
    return body.toString(StandardCharsets.UTF_8).strip();
  }

  void accept(byte[] bytes, int length, long now) {
    int i = 0;
    while (i < length) {
      switch (state) {
        case HEAD -> head(bytes[i++]);
        case SIZE -> size(bytes[i++]);
        case DATA -> {
          // The chunk's body in one run: scanned for line ends without a call per byte.
          int end = chunked ? (int) Math.min(length, i + chunkLeft) : length;
          if (!ok) {
            body.write(bytes, i, end - i);
          } else {
            for (int k = i; k < end; k++) {
              byte b = bytes[k];
              if (b == '\n') {
                line(now);
              } else {
                if (lineLength == line.length) {
                  line = Arrays.copyOf(line, line.length * 2);
                }
                line[lineLength++] = b;
              }
            }
          }
          if (chunked && (chunkLeft -= end - i) == 0) {
            state = State.DATA_END;
          }
          i = end;
        }
        case DATA_END -> {
          if (bytes[i++] == '\n') {
            state = State.SIZE;
          }
        }
        case DONE -> i = length; // trailers after the last chunk: nothing to read
      }
    }
  }

  private void head(byte b) {
    head.append((char) b);
    int n = head.length();
    if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r'
        && head.charAt(n - 3) == '\n' && head.charAt(n - 4) == '\r') {
      String h = head.toString();
      chunked = h.toLowerCase().contains("transfer-encoding: chunked");
      state = chunked ? State.SIZE : State.DATA;
      chunkLeft = Long.MAX_VALUE;
      String[] first = h.split(" ", 3);
      int code = first.length > 1 ? Integer.parseInt(first[1]) : 0;
      ok = code == 200;
      status.complete(code);
    }
  }

  private void size(byte b) {
    if (b == '\n') {
      chunkLeft = size;
      size = 0;
      sizeDone = false;
      state = chunkLeft == 0 ? State.DONE : State.DATA;
      return;
    }
    int d = Character.digit(b, 16);
    if (d < 0) {
      sizeDone = true; // a chunk extension or the CR: the digits are over
    } else if (!sizeDone) {
      size = size * 16 + d;
    }
  }

  private void line(long now) {
    if (at(line, lineLength, 0, DATA)) {
      key = key(line, lineLength);
    } else if (lineLength == 0 && key != null) {
      events++;
      sink.event(this, key, now);
      key = null;
    }
    lineLength = 0;
  }

  /** Whether {@code what} stands at {@code i} of the first {@code length} bytes of {@code b}. */
  private static boolean at(byte[] b, int length, int i, byte[] what) {
    return i >= 0 && i + what.length <= length
        && Arrays.equals(b, i, i + what.length, what, 0, what.length);
  }

  /** {@code name#version} of a {@code data: } line's status JSON, read without a JSON parser. */
  static String key(byte[] line, int length) {
    int n = 0;
    while (n < length && !at(line, length, n, NAME)) {
      n++;
    }
    int v = length - VERSION.length;
    while (v >= 0 && !at(line, length, v, VERSION)) {
      v--;
    }
    if (n >= length || v < 0) {
      return "?";
    }
    int nStart = n + NAME.length;
    int nEnd = nStart;
    while (nEnd < length && line[nEnd] != '"') {
      nEnd++;
    }
    int vStart = v + VERSION.length;
    int vEnd = vStart;
    while (vEnd < length && line[vEnd] >= '0' && line[vEnd] <= '9') {
      vEnd++;
    }
    return new String(line, nStart, nEnd - nStart, StandardCharsets.UTF_8) + "#"
        + new String(line, vStart, vEnd - vStart, StandardCharsets.US_ASCII);
  }
}
