package dev.catchup.monitor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a Server-Sent Events body on its own thread; the test takes items with a timeout. */
final class SseClient implements AutoCloseable {
  /**
   * An event ({@code type}, parsed {@code data} and its {@code text} as sent), a comment, or the
   * end of the stream.
   */
  record Item(String type, JsonNode data, String comment, boolean end, String text) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final InputStream in;
  private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
  private final Thread reader;

  SseClient(InputStream in) {
    this.in = in;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String type = null;
      JsonNode data = null;
      String text = null;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(":")) {
          items.add(new Item(null, null, line.substring(1).strip(), false, null));
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          text = line.substring(6);
          data = JSON.readTree(text);
        } else if (line.isEmpty() && type != null) {
          items.add(new Item(type, data, null, false, text));
          type = null;
          data = null;
          text = null;
        } else if (!line.isEmpty()) {
          throw new IllegalStateException("unexpected line in the stream: " + line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the test closed the stream, or the server dropped it: both end it
    }
    items.add(new Item(null, null, null, true, null));
  }

  /** The next item of any kind. */
  Item next(Duration timeout) {
    try {
      Item i = items.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (i == null) {
        throw new AssertionError("nothing on the stream within " + timeout);
      }
      return i;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next event, skipping comments; fails at the end of the stream. */
  Item nextEvent() {
    while (true) {
      Item i = next(Duration.ofSeconds(10));
      if (i.end()) {
        throw new AssertionError("stream ended");
      }
      if (i.type() != null) {
        return i;
      }
    }
  }

  /** Skips everything up to the end of the stream. */
  void awaitEnd() {
    while (!next(Duration.ofSeconds(10)).end()) {
      // skip
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
