package dev.catchup.sdk;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the monitor's {@code /stream} (our own protocol, not a database): every request
 * under {@code path} gets {@code body}, then the stream stays open (sending nothing) until closed.
 */
final class FakeMonitor implements AutoCloseable {
  private final HttpServer server;
  private final CountDownLatch closing = new CountDownLatch(1);
  final AtomicInteger requests = new AtomicInteger();
  /** The streams being sent, for {@link #send}. */
  private final java.util.List<OutputStream> open =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeMonitor(String path, String body) throws IOException {
    this(0, path, body);
  }

  /** On {@code port} (0: any free one), e.g. the port of a stand-in closed before: it comes back. */
  FakeMonitor(int port, String path, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(path, exchange -> {
      requests.incrementAndGet();
      if (!exchange.getRequestURI().getPath().equals(path)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      open.add(out); // before the body: a test that saw the body may send more
      out.write(body.getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        closing.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-monitor");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Sends {@code text} on every stream open now (a keep-alive, more events). */
  void send(String text) throws IOException {
    for (OutputStream out : open) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
  }

  /**
   * One SSE status event written by hand, as monitors before the {@code schema} field wrote it
   * (and with any text as {@code confirmed}); {@link dev.catchup.wire.StatusEvent#toSse()} writes
   * today's.
   */
  static String event(String name, String role, String state, String confirmed, long version) {
    return "event: status\ndata: {\"name\":\"" + name + "\",\"role\":\"" + role + "\",\"state\":\""
        + state + "\",\"confirmed\":\"" + confirmed + "\",\"feed\":\"CONNECTED\","
        + "\"secondsBehind\":0.0,\"version\":" + version + "}\n\n";
  }
}
