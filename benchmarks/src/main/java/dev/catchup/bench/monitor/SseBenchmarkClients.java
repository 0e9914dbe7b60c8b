package dev.catchup.bench.monitor;

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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Many {@code /stream} subscribers on a few reader threads: non-blocking sockets spread over
 * several selectors, each socket with its {@link SseSubscriber} parser. A fleet is one process per
 * subscriber, each reading its own socket: one reader thread for a thousand sockets would serialise
 * them, and measure its own backlog (bytes waiting in the kernel's receive buffers) rather than the
 * monitor.
 *
 * <p>An event is identified by its {@code name} and {@code version} (the status version the monitor
 * serialised), which is also how the benchmark finds the publish it came from.
 */
final class SseBenchmarkClients implements AutoCloseable {
  /** Receipts of one event across subscribers. */
  static final class Receipt {
    int subscribers;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;

    void merge(Receipt o) {
      subscribers += o.subscribers;
      firstNanos = Math.min(firstNanos, o.firstNanos);
      lastNanos = Math.max(lastNanos, o.lastNanos);
    }

    /**
     * For each receipt of an event whose publish is in {@code publishedAt} (by {@code name#version},
     * in nanoseconds), adds publish → first and publish → last subscriber, in milliseconds.
     */
    static void delays(Map<String, Receipt> receipts, Map<String, Long> publishedAt,
        List<Double> toFirst, List<Double> toLast) {
      receipts.forEach((key, r) -> {
        Long at = publishedAt.get(key);
        if (at != null) {
          toFirst.add((r.firstNanos - at) / 1e6);
          toLast.add((r.lastNanos - at) / 1e6);
        }
      });
    }
  }

  private final InetSocketAddress address;
  private final byte[] request;
  private final List<Reader> readers = new ArrayList<>();
  private final List<SseSubscriber> open = new ArrayList<>(); // caller's thread only
  private volatile boolean running = true;
  private volatile boolean recording;
  private int next; // caller's thread only: the reader of the next subscriber
  private String lastRefusal;

  /** Subscribers to the monitor on {@code port}, read by {@code threads} reader threads. */
  SseBenchmarkClients(int port, int threads) throws IOException {
    this.address = new InetSocketAddress("127.0.0.1", port);
    this.request = ("GET /stream HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < threads; i++) {
      readers.add(new Reader("bench-sse-reader-" + i));
    }
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
    Reader reader = readers.get(next++ % readers.size());
    SseSubscriber s = new SseSubscriber(ch, reader::record);
    reader.join(s);
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
    lastRefusal = "HTTP " + status + " " + s.refusal();
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

  /** Reader threads. */
  int threads() {
    return readers.size();
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
  void startRecording() {
    for (Reader r : readers) {
      synchronized (r) {
        r.receipts.clear();
      }
    }
    open.forEach(s -> s.recorded = 0);
    recording = true;
  }

  /** Stops recording; returns the receipts of every reader by {@code name#version}. */
  Map<String, Receipt> stopRecording() {
    recording = false;
    Map<String, Receipt> all = new HashMap<>();
    for (Reader r : readers) {
      synchronized (r) {
        r.receipts.forEach((k, v) -> all.computeIfAbsent(k, x -> new Receipt()).merge(v));
      }
    }
    return all;
  }

  /** Events each open subscriber received while recording. */
  long[] recordedPerSubscriber() {
    return open.stream().mapToLong(s -> s.recorded).toArray();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    running = false;
    for (Reader r : readers) {
      r.selector.wakeup();
      r.thread.join(2_000);
    }
    for (SseSubscriber s : open) {
      s.channel.close();
    }
    for (Reader r : readers) {
      r.selector.close();
    }
  }

  /** One reader thread: a selector over its share of the subscribers, and its receipts. */
  private final class Reader {
    final Selector selector;
    final Thread thread;
    final ConcurrentLinkedQueue<SseSubscriber> joining = new ConcurrentLinkedQueue<>();
    final Map<String, Receipt> receipts = new HashMap<>(); // guarded by this

    Reader(String name) throws IOException {
      this.selector = Selector.open();
      this.thread = new Thread(this::loop, name);
      thread.setDaemon(true);
      thread.start();
    }

    void join(SseSubscriber s) {
      joining.add(s);
      selector.wakeup();
    }

    synchronized void record(SseSubscriber s, String key, long nanos) {
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
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      try {
        while (running) {
          selector.select(100);
          SseSubscriber j;
          while ((j = joining.poll()) != null) {
            j.channel.register(selector, SelectionKey.OP_READ, j);
          }
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            read((SseSubscriber) key.attachment(), key, buf);
          }
        }
      } catch (IOException | RuntimeException e) {
        if (running) {
          System.err.println(thread.getName() + " stopped: " + e);
        }
      }
    }

    private void read(SseSubscriber s, SelectionKey key, ByteBuffer buf) {
      try {
        int n;
        while ((n = s.channel.read(buf.clear())) > 0) {
          s.accept(buf.array(), n, System.nanoTime());
        }
        if (n < 0) {
          key.cancel();
          s.channel.close();
          s.status.complete(0);
        }
      } catch (IOException e) {
        key.cancel();
        s.status.complete(0);
      }
    }
  }
}
