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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Many {@code /stream} subscribers on a few reader threads: non-blocking sockets spread over
 * several selectors, each socket with a small HTTP/1.1 chunked-body and Server-Sent Events parser.
 * A fleet is one process per subscriber, each reading its own socket: one reader thread for a
 * thousand sockets would serialise them, and measure its own backlog (bytes waiting in the kernel's
 * receive buffers) rather than the monitor. The parser works on bytes and reads only an event's
 * name and version, so that a reader keeps up with the monitor on the machine they share.
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
  }

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NAME = "\"name\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERSION = "\"version\":".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress address;
  private final byte[] request;
  private final List<Reader> readers = new ArrayList<>();
  private final List<Subscriber> open = new ArrayList<>(); // caller's thread only
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
    Subscriber s = new Subscriber(ch, reader);
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
    for (Subscriber s : open) {
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
    final ConcurrentLinkedQueue<Subscriber> joining = new ConcurrentLinkedQueue<>();
    final Map<String, Receipt> receipts = new HashMap<>(); // guarded by this

    Reader(String name) throws IOException {
      this.selector = Selector.open();
      this.thread = new Thread(this::loop, name);
      thread.setDaemon(true);
      thread.start();
    }

    void join(Subscriber s) {
      joining.add(s);
      selector.wakeup();
    }

    synchronized void record(Subscriber s, String key, long nanos) {
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
          Subscriber j;
          while ((j = joining.poll()) != null) {
            j.channel.register(selector, SelectionKey.OP_READ, j);
          }
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            read((Subscriber) key.attachment(), key, buf);
          }
        }
      } catch (IOException | RuntimeException e) {
        if (running) {
          System.err.println(thread.getName() + " stopped: " + e);
        }
      }
    }

    private void read(Subscriber s, SelectionKey key, ByteBuffer buf) {
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

  /** One connection's parser state; touched by its reader thread only (but the counters). */
  private static final class Subscriber {
    private enum State { HEAD, SIZE, DATA, DATA_END, DONE }

    final SocketChannel channel;
    final Reader reader;
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

    Subscriber(SocketChannel channel, Reader reader) {
      this.channel = channel;
      this.reader = reader;
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
      if (startsWith(line, lineLength, DATA)) {
        key = key(line, lineLength);
      } else if (lineLength == 0 && key != null) {
        events++;
        reader.record(this, key, now);
        key = null;
      }
      lineLength = 0;
    }
  }

  private static boolean startsWith(byte[] b, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] b, int from, int to, byte[] what) {
    outer:
    for (int i = from; i <= to - what.length; i++) {
      for (int k = 0; k < what.length; k++) {
        if (b[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int lastIndexOf(byte[] b, int to, byte[] what) {
    outer:
    for (int i = to - what.length; i >= 0; i--) {
      for (int k = 0; k < what.length; k++) {
        if (b[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** {@code name#version} of a {@code data: } line's status JSON, read without a JSON parser. */
  static String key(byte[] line, int length) {
    int n = indexOf(line, 0, length, NAME);
    int v = lastIndexOf(line, length, VERSION);
    if (n < 0 || v < 0) {
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
