package dev.catchup.monitor.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The open {@code /stream} connections. No subscriber holds a thread: the broadcaster starts each
 * write without blocking (a healthy socket takes it at once, in the broadcaster's thread), and a
 * slow socket's write stays pending in Jetty until it completes or the subscriber is dropped. So
 * a thousand subscribers cost a thousand sockets and queues, not a thousand threads.
 */
final class Subscribers {
  static final String SHUTDOWN = "shutting down";

  private final StreamLimits limits;
  private final LongSupplier nanoTime;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  /** Signalled when the last open subscriber is released, for {@link #shutdown} to wait on. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allReleased = lock.newCondition();

  /** {@code nanoTime} is the clock of write starts, the one {@link #dropStalled} is given. */
  Subscribers(StreamLimits limits, LongSupplier nanoTime) {
    this.limits = limits;
    this.nanoTime = nanoTime;
  }

  StreamLimits limits() {
    return limits;
  }

  long nanoTime() {
    return nanoTime.getAsLong();
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
    String peer = Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request);
    Subscriber s = admit(peer, new JettyOut(response, callback));
    if (s == null) {
      return null;
    }
    boolean accepted = false;
    try {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put("X-Accel-Buffering", "no"); // nginx must not buffer it
      s.send(BufferUtil.EMPTY_BUFFER); // commits the headers now, before any event
      accepted = true;
      return s;
    } finally {
      if (!accepted) {
        release();
      }
    }
  }

  /**
   * Takes a place for a subscriber writing to {@code out}; null when
   * {@link StreamLimits#maxSubscribers()} are open.
   */
  Subscriber admit(String peer, StreamOut out) {
    if (open.incrementAndGet() > limits.maxSubscribers()) {
      release(); // not a bare decrement: it may be the one that leaves none open
      return null;
    }
    return new Subscriber(this, peer, out);
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
    if (open.decrementAndGet() == 0) {
      // Under the lock, so that a shutdown that saw one open is already waiting: no lost signal.
      lock.lock();
      try {
        allReleased.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  void countDropped() {
    dropped.incrementAndGet();
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
   * Gives the final chunks up to {@code withinNanos} to be written (every subscriber finished, its
   * last write completed); those still pending are left to the server's own stop, which closes
   * their connections.
   *
   * @return whether every subscriber had finished
   */
  boolean shutdown(long withinNanos) throws InterruptedException {
    long left = withinNanos;
    lock.lock();
    try {
      while (open.get() > 0) {
        if (left <= 0) {
          return false;
        }
        left = allReleased.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A Jetty response as a stream: {@code callback} completes the request when the stream ends. */
  private record JettyOut(Response response, Callback callback) implements StreamOut {
    @Override
    public void write(ByteBuffer bytes, Callback done) {
      response.write(false, bytes, done);
    }

    @Override
    public void end() {
      response.write(true, BufferUtil.EMPTY_BUFFER, callback); // the final chunk
    }

    @Override
    public void abort(Throwable cause) {
      callback.failed(cause); // failing the request's callback aborts its response
    }
  }
}
