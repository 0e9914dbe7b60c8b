package dev.catchup.monitor.stream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The open {@code /stream} connections and the writer pool that drains them. The pool grows only
 * while writes are in flight: a write to a healthy socket lands in its buffer in microseconds, so
 * idle subscribers hold no thread and a stalled one holds one until it is dropped. Subscribers
 * never hold HTTP dispatcher threads.
 */
final class Subscribers {
  static final String SHUTDOWN = "shutting down";

  private final StreamLimits limits;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor writers;

  Subscribers(StreamLimits limits) {
    this.limits = limits;
    AtomicInteger n = new AtomicInteger();
    this.writers = new ThreadPoolExecutor(0, limits.maxSubscribers(), 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "catchup-http-stream-writer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  StreamLimits limits() {
    return limits;
  }

  int open() {
    return open.get();
  }

  long dropped() {
    return dropped.get();
  }

  /**
   * Takes a place for a new subscriber and sends it the headers; null (nothing sent) when
   * {@link StreamLimits#maxSubscribers()} are open. The place is freed when the subscriber
   * finishes, or by {@link #release()} if it is never handed to the broadcaster.
   */
  Subscriber accept(Request request, Response response, Callback callback) throws IOException {
    if (open.incrementAndGet() > limits.maxSubscribers()) {
      open.decrementAndGet();
      return null;
    }
    boolean accepted = false;
    try {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put("X-Accel-Buffering", "no"); // nginx must not buffer it
      Subscriber s = new Subscriber(this, request, response, callback);
      s.send(BufferUtil.EMPTY_BUFFER); // commits the headers now, before any event
      accepted = true;
      return s;
    } finally {
      if (!accepted) {
        open.decrementAndGet();
      }
    }
  }

  /** Ends the (empty) stream of a subscriber accepted while the stream was closing. */
  void refuse(Response response, Callback callback) {
    try {
      response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    } finally {
      release();
    }
  }

  void add(Subscriber s) {
    subscribers.add(s);
  }

  void remove(Subscriber s) {
    subscribers.remove(s);
  }

  void release() {
    open.decrementAndGet();
  }

  void countDropped() {
    dropped.incrementAndGet();
  }

  void execute(Runnable drain) throws RejectedExecutionException {
    writers.execute(drain);
  }

  void broadcast(byte[] event) {
    for (Subscriber s : subscribers) {
      s.offerOrDrop(event);
    }
  }

  void dropStalled(long now) {
    long limit = limits.writeTimeout().toNanos();
    for (Subscriber s : subscribers) {
      if (s.stalled(now, limit)) {
        s.drop("write blocked for more than " + limits.writeTimeout());
      }
    }
  }

  /** Ends every stream, and those of {@code joining} (each gets its final chunk). */
  void closeAll(Collection<Subscriber> joining) {
    List<Subscriber> all = new ArrayList<>(subscribers);
    all.addAll(joining);
    all.forEach(s -> s.drop(SHUTDOWN));
  }

  /**
   * Lets the writers finish the final chunks for at most {@code within}, then interrupts them
   * (interrupting a blocked channel write closes that connection).
   *
   * @return whether every writer had ended
   */
  boolean shutdown(long withinNanos) throws InterruptedException {
    writers.shutdown();
    try {
      if (writers.awaitTermination(Math.max(1, withinNanos), TimeUnit.NANOSECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      writers.shutdownNow();
      throw e;
    }
    writers.shutdownNow();
    return false;
  }
}
