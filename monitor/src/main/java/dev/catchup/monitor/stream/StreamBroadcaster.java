package dev.catchup.monitor.stream;

import static dev.catchup.monitor.http.Reply.object;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.http.ApiError;
import dev.catchup.monitor.http.Limits;
import dev.catchup.monitor.http.Reply;
import dev.catchup.monitor.http.Views;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.Role;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /stream}: Server-Sent Events of every server's status, for SDKs.
 *
 * <p>One owned thread broadcasts. A registry publish only marks the server dirty and wakes it
 * (the tracker thread never serialises or writes). Each cycle the thread reads the <em>latest</em>
 * snapshot of every dirty server and, when its confirmed set, state, feed or lag band (see
 * {@link Key}) differs from what was last sent, serialises it once and queues the same bytes to every subscriber: a burst of publishes
 * collapses into one event. Cycles are at least {@link Limits#pace()} apart, so an isolated change
 * goes out at once and a storm costs at most one event per server per pace.
 *
 * <p>Each subscriber has a bounded queue drained by a writer pool, one drain at a time per
 * subscriber, so the broadcaster never blocks on a socket. A subscriber whose queue overflows,
 * whose write fails, or whose write blocks longer than {@link Limits#writeTimeout()} is dropped
 * and its connection aborted. The pool grows only while writes are in flight: a write to a healthy
 * socket lands in its buffer in microseconds, so idle subscribers hold no thread and a stalled one
 * holds one until it is dropped. Subscribers never hold HTTP dispatcher threads.
 */
final class StreamBroadcaster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamBroadcaster.class);
  private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(US_ASCII);
  private static final String SHUTDOWN = "shutting down";
  private static final int MAX_WRITE = 256 * 1024;

  private final Registry registry;
  private final Limits limits;
  private final List<String> names;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Set<String> dirty = new LinkedHashSet<>(); // guarded by lock
  private final List<Subscriber> joining = new ArrayList<>(); // guarded by lock
  private boolean stopping; // guarded by lock
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Map<String, Key> lastSent = new HashMap<>(); // broadcaster thread only
  private final Set<String> failing = new HashSet<>(); // broadcaster thread only
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor writers;
  private final Thread thread;
  private final AutoCloseable subscription;

  /** What a subscriber is told about; other fields change on every publish and are not news. */
  /**
   * What makes an event worth sending. The lag band is there because SDKs use a replica's
   * {@code secondsBehind} as it was at the last event: a replica that stops applying while the
   * primary moves on changes neither its set nor its state, and would look caught up until it
   * applies again. Crossing a band sends an event (at most once per band change, within the
   * tracker's reconcile interval), so the SDK learns it fell behind.
   */
  private record Key(GtidSet confirmed, ServerState state, FeedState feed, int lagBand) {}

  /** Coarse bands of seconds behind: -1 unknown, 0 none, then up to 50 ms, 0.5 s, 2 s, 10 s, more. */
  static int lagBand(Double secondsBehind) {
    if (secondsBehind == null) {
      return -1;
    }
    double b = secondsBehind;
    return b <= 0 ? 0 : b <= 0.05 ? 1 : b <= 0.5 ? 2 : b <= 2 ? 3 : b <= 10 ? 4 : 5;
  }

  private StreamBroadcaster(Registry registry, Limits limits) {
    this.registry = registry;
    this.limits = limits;
    this.names = registry.all().stream().map(ServerStatus::name).toList();
    AtomicInteger n = new AtomicInteger();
    this.writers = new ThreadPoolExecutor(0, limits.maxSubscribers(), 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> daemon(r, "catchup-http-stream-writer-" + n.incrementAndGet()));
    this.thread = daemon(this::run, "catchup-http-stream");
    this.subscription = registry.subscribe(s -> markDirty(s.name()));
  }

  static StreamBroadcaster start(Registry registry, Limits limits) {
    StreamBroadcaster b = new StreamBroadcaster(registry, limits);
    b.thread.start();
    return b;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  int subscribers() {
    return open.get();
  }

  long events() {
    return events.get();
  }

  long dropped() {
    return dropped.get();
  }

  private void markDirty(String name) {
    lock.lock();
    try {
      dirty.add(name);
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes over the response: sends the headers and hands it to the broadcaster, which completes
   * {@code callback} when the stream ends.
   */
  Reply open(Request request, Response response, Callback callback) throws IOException {
    if (open.incrementAndGet() > limits.maxSubscribers()) {
      open.decrementAndGet();
      throw new ApiError(503, "too many stream subscribers (limit " + limits.maxSubscribers() + ")",
          Map.of("Retry-After", "1"));
    }
    boolean handedOver = false;
    try {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put("X-Accel-Buffering", "no"); // nginx must not buffer it
      Subscriber s = new Subscriber(request, response, callback);
      s.send(BufferUtil.EMPTY_BUFFER); // commits the headers now, before any event
      lock.lock();
      try {
        if (!stopping) {
          joining.add(s);
          wake.signal();
          handedOver = true;
        }
      } finally {
        lock.unlock();
      }
      if (!handedOver) {
        response.write(true, BufferUtil.EMPTY_BUFFER, callback); // ends the (empty) stream: closing
      }
      return Reply.TAKEN;
    } finally {
      if (!handedOver) {
        open.decrementAndGet();
      }
    }
  }

  private void run() {
    long pace = limits.pace().toNanos();
    long now = System.nanoTime();
    long lastCycle = now - pace;
    long nextRecheck = now;
    long nextKeepAlive = now + limits.keepAlive().toNanos();
    try {
      while (true) {
        Collection<String> batch;
        List<Subscriber> joiners;
        lock.lock();
        try {
          while (true) {
            if (stopping) {
              return;
            }
            now = System.nanoTime();
            long until = Math.min(nextRecheck, nextKeepAlive);
            if (!dirty.isEmpty() || !joining.isEmpty()) {
              until = Math.min(until, lastCycle + pace);
            }
            if (now - until >= 0) {
              break;
            }
            wake.awaitNanos(until - now);
          }
          batch = new ArrayList<>(dirty);
          dirty.clear();
          joiners = new ArrayList<>(joining);
          joining.clear();
        } finally {
          lock.unlock();
        }
        lastCycle = now;
        if (now - nextRecheck >= 0 || !joiners.isEmpty()) {
          batch = names; // time alone can turn a server UNKNOWN; joiners need every server
          nextRecheck = now + limits.recheck().toNanos();
        }
        try {
          cycle(batch, joiners);
          if (now - nextKeepAlive >= 0) {
            broadcast(KEEPALIVE);
            nextKeepAlive = now + limits.keepAlive().toNanos();
          }
          dropStalled(now);
        } catch (RuntimeException e) {
          log.warn("stream broadcast cycle failed: {}", e.toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // and stop: only close() interrupts this thread
    } finally {
      List<Subscriber> all = new ArrayList<>(subscribers);
      lock.lock();
      try {
        stopping = true;
        all.addAll(joining);
        joining.clear();
      } finally {
        lock.unlock();
      }
      all.forEach(s -> s.drop(SHUTDOWN));
    }
  }

  private void cycle(Collection<String> batch, List<Subscriber> joiners) {
    List<byte[]> snapshot = new ArrayList<>();
    for (String name : batch) {
      try {
        ServerStatus s = registry.status(name).orElseThrow();
        ServerState state = registry.state(s);
        Double behind = s.role() == Role.REPLICA ? registry.secondsBehind(s) : null;
        Key key = new Key(s.confirmed(), state, s.feed(), lagBand(behind));
        byte[] event = null;
        if (!key.equals(lastSent.get(name))) {
          event = event(s, state, behind);
          lastSent.put(name, key);
          events.incrementAndGet();
          broadcast(event);
        }
        if (!joiners.isEmpty()) {
          snapshot.add(event != null ? event : event(s, state, behind));
        }
        failing.remove(name);
      } catch (RuntimeException e) {
        // One bad status must not stop the others; warn once, not at every recheck.
        if (failing.add(name)) {
          log.warn("stream: cannot send the status of {}: {}", name, e.toString());
        }
      }
    }
    for (Subscriber j : joiners) {
      for (byte[] e : snapshot) {
        j.offerOrDrop(e);
      }
      subscribers.add(j);
    }
  }

  private void broadcast(byte[] event) {
    for (Subscriber s : subscribers) {
      s.offerOrDrop(event);
    }
  }

  private void dropStalled(long now) {
    long limit = limits.writeTimeout().toNanos();
    for (Subscriber s : subscribers) {
      if (s.writing && now - s.writeStarted > limit) {
        s.drop("write blocked for more than " + limits.writeTimeout());
      }
    }
  }

  private byte[] event(ServerStatus s, ServerState state, Double behind) {
    Map<String, Object> data = object("name", s.name(), "role", Views.role(s.role()),
        "state", state.name(), "confirmed", s.confirmed().toString().replace("\n", ""),
        "feed", s.feed().name(),
        "confirmationAgeMillis", Views.millis(s.confirmationAge(registry.clock().instant())));
    if (s.role() == Role.REPLICA) {
      data.put("secondsBehind", behind);
    }
    data.put("version", s.version());
    try {
      // Jackson escapes control characters, so the JSON is one line, as a data: field must be.
      return ("event: status\ndata: " + Reply.JSON.writeValueAsString(data) + "\n\n").getBytes(UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise status of " + s.name(), e);
    }
  }

  /** Ends every stream (each gets its final chunk) and stops the threads, within a few seconds. */
  @Override
  public void close() {
    lock.lock();
    try {
      stopping = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
    try {
      subscription.close();
      thread.join(TimeUnit.SECONDS.toMillis(2));
      writers.shutdown();
      if (!writers.awaitTermination(1, TimeUnit.SECONDS)) {
        writers.shutdownNow(); // interrupting a blocked channel write closes that connection
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writers.shutdownNow();
    } catch (Exception e) {
      log.warn("closing the stream: {}", e.toString());
    }
  }

  /** One {@code /stream} connection. */
  private final class Subscriber {
    private final Response response;
    private final Callback callback;
    private final String peer;
    private final BlockingQueue<byte[]> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile String dropReason;
    private volatile boolean writing;
    private volatile long writeStarted;
    private Thread writer; // guarded by this: the thread inside write(), for drop() to interrupt

    Subscriber(Request request, Response response, Callback callback) {
      this.response = response;
      this.callback = callback;
      this.peer = Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request);
      this.queue = new ArrayBlockingQueue<>(limits.subscriberBacklog());
    }

    /**
     * Writes {@code bytes} and waits until they are written. An interrupt (from {@link #drop})
     * ends the wait; the caller then aborts the response, which closes the connection.
     */
    void send(ByteBuffer bytes) throws IOException {
      FutureCallback done = new FutureCallback();
      response.write(false, bytes, done);
      try {
        done.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("write interrupted");
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }

    void offerOrDrop(byte[] event) {
      if (dropReason != null) {
        return;
      }
      if (queue.offer(event)) {
        schedule();
      } else {
        drop("more than " + limits.subscriberBacklog() + " events behind");
      }
    }

    void drop(String reason) {
      if (dropReason != null) {
        return;
      }
      dropReason = reason;
      queue.clear();
      if (!SHUTDOWN.equals(reason)) {
        synchronized (this) {
          if (writer != null) {
            writer.interrupt(); // a blocked channel write fails at once and closes the socket
          }
        }
      }
      schedule();
    }

    private void schedule() {
      if (scheduled.compareAndSet(false, true)) {
        try {
          writers.execute(this::drain);
        } catch (RejectedExecutionException e) {
          dropReason = dropReason == null ? SHUTDOWN : dropReason;
          finish();
        }
      }
    }

    private void drain() {
      while (true) {
        if (dropReason != null) {
          finish(); // scheduled stays true: nothing runs for this subscriber again
          return;
        }
        try {
          writeQueued();
        } catch (IOException e) {
          if (dropReason == null) {
            dropReason = "write failed: " + e;
          }
          finish();
          return;
        }
        scheduled.set(false);
        if ((queue.isEmpty() && dropReason == null) || !scheduled.compareAndSet(false, true)) {
          return;
        }
      }
    }

    private void writeQueued() throws IOException {
      byte[] e = queue.poll();
      if (e == null) {
        return;
      }
      synchronized (this) {
        writer = Thread.currentThread();
      }
      writeStarted = System.nanoTime();
      writing = true;
      try {
        // Everything queued goes out in one write: one flush per drain, not one per event.
        List<byte[]> batch = new ArrayList<>();
        int size = 0;
        do {
          batch.add(e);
          size += e.length;
        } while (dropReason == null && size < MAX_WRITE && (e = queue.poll()) != null);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        batch.forEach(buffer::put);
        send(buffer.flip());
      } finally {
        writing = false;
        synchronized (this) {
          writer = null;
        }
        if (dropReason != null) {
          Thread.interrupted(); // drop()'s interrupt was aimed at this write, not at the pool thread
        }
      }
    }

    private void finish() {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      subscribers.remove(this);
      boolean abort = !SHUTDOWN.equals(dropReason);
      try {
        if (abort) {
          dropped.incrementAndGet();
          log.info("stream subscriber {} dropped: {}", peer, dropReason);
          // Failing the response aborts it: the connection is closed, a pending write fails.
          callback.failed(new IOException("stream subscriber dropped: " + dropReason));
        } else {
          response.write(true, BufferUtil.EMPTY_BUFFER, callback); // the final chunk
        }
      } finally {
        open.decrementAndGet();
      }
    }
  }
}
