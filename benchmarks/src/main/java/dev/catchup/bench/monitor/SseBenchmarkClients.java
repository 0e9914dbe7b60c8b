package dev.catchup.bench.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Many {@code /stream} subscribers on one thread: non-blocking sockets on a selector, each with a
 * small HTTP/1.1 chunked-body and Server-Sent Events parser. Cheap enough that hundreds of
 * subscribers cost the machine (which the monitor shares) little, and every receipt time is taken by
 * the same thread as the bytes arrive.
 *
 * <p>An event is identified by its {@code name} and {@code version} (the status version the monitor
 * serialised), which is also how the benchmark finds the publish it came from.
 */
final class SseBenchmarkClients implements AutoCloseable {
  /** Receipts of one event across subscribers (selector thread writes, under the lock of this). */
  static final class Receipt {
    int subscribers;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;
  }

  private final InetSocketAddress address;
  private final byte[] request;
  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Subscriber> joining = new ConcurrentLinkedQueue<>();
  private final List<Subscriber> open = new ArrayList<>(); // caller's thread only
  private volatile boolean running = true;
  private volatile boolean recording;
  private final Map<String, Receipt> receipts = new HashMap<>(); // guarded by this
  private String lastRefusal;

  SseBenchmarkClients(int port) throws IOException {
    this.address = new InetSocketAddress("127.0.0.1", port);
    this.request = ("GET /stream HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    this.selector = Selector.open();
    this.thread = new Thread(this::loop, "bench-sse-clients");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Opens one more subscriber and waits for the response head.
   *
   * @return true when the monitor accepted it (200), false when it refused (see {@link #lastRefusal()})
   */
  boolean open(Duration timeout) throws IOException, InterruptedException {
    SocketChannel ch = SocketChannel.open();
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    ch.connect(address); // loopback: immediate
    ch.write(ByteBuffer.wrap(request));
    ch.configureBlocking(false);
    Subscriber s = new Subscriber(ch);
    joining.add(s);
    selector.wakeup();
    int status;
    try {
      status = s.status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      ch.close();
      throw new IOException("no response head from /stream within " + timeout, e);
    }
    if (status == 200) {
      open.add(s);
      return true;
    }
    Thread.sleep(20); // let the short error body arrive, for the message
    lastRefusal = "HTTP " + status + " " + s.body.toString(StandardCharsets.UTF_8).strip();
    ch.close();
    return false;
  }

  /** The status and body of the last refused subscription. */
  String lastRefusal() {
    return lastRefusal;
  }

  int size() {
    return open.size();
  }

  /** Waits until every open subscriber has received at least {@code events} events. */
  void awaitEvents(long events, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (open.stream().anyMatch(s -> s.events < events)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("subscribers did not receive their first " + events
            + " events within " + timeout);
      }
      Thread.sleep(5);
    }
  }

  /** Starts recording receipts (and per-subscriber counts) from now; forgets earlier ones. */
  synchronized void startRecording() {
    receipts.clear();
    open.forEach(s -> s.recorded = 0);
    recording = true;
  }

  /** Stops recording; returns the receipts by {@code name#version}. */
  synchronized Map<String, Receipt> stopRecording() {
    recording = false;
    return new HashMap<>(receipts);
  }

  /** Events each open subscriber received while recording. */
  long[] recordedPerSubscriber() {
    return open.stream().mapToLong(s -> s.recorded).toArray();
  }

  /** Open subscribers whose connection the monitor closed. */
  long closedByServer() {
    return open.stream().filter(s -> s.closed).count();
  }

  private synchronized void record(Subscriber s, String key, long nanos) {
    if (!recording) {
      return;
    }
    s.recorded++;
    Receipt r = receipts.computeIfAbsent(key, k -> new Receipt());
    r.subscribers++;
    r.firstNanos = Math.min(r.firstNanos, nanos);
    r.lastNanos = Math.max(r.lastNanos, nanos);
  }

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
    try {
      while (running) {
        selector.select(100);
        Subscriber j;
        while ((j = joining.poll()) != null) {
          j.channel.register(selector, SelectionKey.OP_READ, j);
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          Subscriber s = (Subscriber) key.attachment();
          try {
            int n;
            while ((n = s.channel.read(buf.clear())) > 0) {
              long now = System.nanoTime();
              buf.flip();
              while (buf.hasRemaining()) {
                s.accept(buf.get(), now);
              }
            }
            if (n < 0) {
              s.closed = true;
              key.cancel();
              s.channel.close();
              s.status.complete(0);
            }
          } catch (IOException e) {
            s.closed = true;
            key.cancel();
            s.status.complete(0);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (running) {
        System.err.println("bench-sse-clients stopped: " + e);
      }
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    running = false;
    selector.wakeup();
    thread.join(2_000);
    for (Subscriber s : open) {
      s.channel.close();
    }
    selector.close();
  }

  /** One connection's parser state; touched by the selector thread only (but the counters). */
  private final class Subscriber {
    private enum State { HEAD, SIZE, DATA, DATA_END, DONE }

    final SocketChannel channel;
    final CompletableFuture<Integer> status = new CompletableFuture<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    volatile long events;
    volatile long recorded;
    volatile boolean closed;
    String head = "";
    private final StringBuilder headBytes = new StringBuilder();
    private State state = State.HEAD;
    private boolean chunked;
    private long chunkLeft;
    private final StringBuilder sizeLine = new StringBuilder();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private String data;

    Subscriber(SocketChannel channel) {
      this.channel = channel;
    }

    void accept(byte b, long now) {
      switch (state) {
        case HEAD -> {
          headBytes.append((char) b);
          int n = headBytes.length();
          if (n >= 4 && headBytes.charAt(n - 1) == '\n' && headBytes.charAt(n - 2) == '\r'
              && headBytes.charAt(n - 3) == '\n' && headBytes.charAt(n - 4) == '\r') {
            head = headBytes.toString();
            chunked = head.toLowerCase().contains("transfer-encoding: chunked");
            state = chunked ? State.SIZE : State.DATA;
            chunkLeft = Long.MAX_VALUE;
            String[] first = head.split(" ", 3);
            status.complete(first.length > 1 ? Integer.parseInt(first[1]) : 0);
          }
        }
        case SIZE -> {
          if (b == '\n') {
            String hex = sizeLine.toString().strip();
            int semi = hex.indexOf(';');
            chunkLeft = Long.parseLong(semi < 0 ? hex : hex.substring(0, semi), 16);
            sizeLine.setLength(0);
            state = chunkLeft == 0 ? State.DONE : State.DATA;
          } else {
            sizeLine.append((char) b);
          }
        }
        case DATA -> {
          body(b, now);
          if (chunked && --chunkLeft == 0) {
            state = State.DATA_END;
          }
        }
        case DATA_END -> {
          if (b == '\n') {
            state = State.SIZE;
          }
        }
        case DONE -> {
          // trailers after the last chunk: nothing to read
        }
      }
    }

    private void body(byte b, long now) {
      if (status.getNow(0) != 200) {
        body.write(b);
        return;
      }
      if (b != '\n') {
        line.write(b);
        return;
      }
      String l = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (l.startsWith("data: ")) {
        data = l.substring(6);
      } else if (l.isEmpty() && data != null) {
        events++;
        record(this, key(data), now);
        data = null;
      }
    }
  }

  /** {@code name#version} of a status event's JSON, read without a JSON parser. */
  static String key(String json) {
    int n = json.indexOf("\"name\":\"");
    int nEnd = json.indexOf('"', n + 8);
    int v = json.lastIndexOf("\"version\":");
    int vEnd = v + 10;
    while (vEnd < json.length() && Character.isDigit(json.charAt(vEnd))) {
      vEnd++;
    }
    if (n < 0 || nEnd < 0 || v < 0) {
      return "?";
    }
    return json.substring(n + 8, nEnd) + "#" + json.substring(v + 10, vEnd);
  }
}
