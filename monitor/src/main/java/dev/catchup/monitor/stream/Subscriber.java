package dev.catchup.monitor.stream;

import static dev.catchup.monitor.stream.Subscribers.SHUTDOWN;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /stream} connection: a bounded queue of broadcasts (what the broadcaster hands it at
 * once, at most one per cycle: the cycle's events and keep-alive as one array, or its first
 * snapshot of every server as one array), counted as such whatever the number of events in them,
 * and at most one write in flight. A
 * write is started by whoever queues an event while none is in flight (the broadcaster thread, so
 * a healthy socket is written there and then, without a thread hand-off), and its completion starts
 * the next with everything queued meanwhile, in one write. Writes never block a thread: a slow
 * socket leaves its write pending in Jetty while the queue fills. Dropped (and its connection
 * aborted) when the queue overflows, a write fails, or the broadcaster sees a write pending too long.
 */
final class Subscriber {
  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);
  private static final int MAX_WRITE = 256 * 1024;

  private final Subscribers owner;
  private final StreamOut out;
  private final String peer;
  private final BlockingQueue<byte[]> queue;
  /** A write is in flight, or the subscriber has finished: only its holder starts a write. */
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final Callback written = Callback.from(this::written, this::writeFailed);
  private volatile String dropReason;
  private volatile boolean writing;
  private volatile long writeStarted;

  Subscriber(Subscribers owner, String peer, StreamOut out) {
    this.owner = owner;
    this.out = out;
    this.peer = peer;
    this.queue = new ArrayBlockingQueue<>(owner.limits().subscriberBacklog());
  }

  /**
   * Writes {@code bytes} and waits until they are written (the headers, on the request's thread).
   */
  void send(ByteBuffer bytes) throws IOException {
    FutureCallback done = new FutureCallback();
    out.write(bytes, done);
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("write interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  /** Whether a write has been pending for longer than {@code limitNanos} at {@code now}. */
  boolean stalled(long now, long limitNanos) {
    return writing && now - writeStarted > limitNanos;
  }

  void offerOrDrop(byte[] event) {
    if (dropReason != null) {
      return;
    }
    if (queue.offer(event)) {
      pump();
    } else {
      drop("more than " + owner.limits().subscriberBacklog() + " broadcasts behind");
    }
  }

  void drop(String reason) {
    if (dropReason != null) {
      return;
    }
    dropReason = reason;
    queue.clear();
    if (!SHUTDOWN.equals(reason)) {
      // Aborted at once, whoever holds busy: a write in flight fails and its socket is closed. Not
      // left to pump(): a completion thread may hold busy between taking the queue and starting
      // its write, and that write, if it then stalled, would never be dropped (this reason is set,
      // so dropStalled's drop returns above) nor finish (its write neither completes nor fails
      // until the idle timeout). A write started after the abort fails at once.
      finish();
      return;
    }
    pump(); // finishes now, or when the write in flight completes, then writes the final chunk
  }

  /** Starts a write of everything queued unless one is in flight (whose completion calls this). */
  private void pump() {
    while (busy.compareAndSet(false, true)) {
      if (dropReason != null) {
        finish(); // busy stays true: nothing is written for this subscriber again
        return;
      }
      ByteBuffer batch = takeQueued();
      if (batch != null) {
        writeStarted = owner.nanoTime();
        writing = true;
        out.write(batch, written);
        return;
      }
      busy.set(false);
      if (queue.isEmpty() && dropReason == null) {
        return; // else queued (or dropped) between the poll and the release: go round again
      }
    }
  }

  private void written() {
    writing = false;
    busy.set(false);
    pump();
  }

  private void writeFailed(Throwable t) {
    writing = false;
    if (dropReason == null) {
      dropReason = "write failed: " + t;
    }
    finish();
  }

  /** Everything queued, up to {@link #MAX_WRITE}, as one buffer; null when nothing is. */
  private ByteBuffer takeQueued() {
    byte[] e = queue.poll();
    if (e == null) {
      return null;
    }
    byte[] next = queue.poll();
    if (next == null) {
      return ByteBuffer.wrap(e); // the common case: one event, the broadcaster's shared bytes
    }
    // Several went out in one write: one flush, not one per event.
    List<byte[]> batch = new ArrayList<>();
    batch.add(e);
    int size = e.length;
    for (; next != null; next = size < MAX_WRITE ? queue.poll() : null) {
      batch.add(next);
      size += next.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    batch.forEach(buffer::put);
    return buffer.flip();
  }

  private void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    owner.remove(this);
    // Released before it is counted as dropped (and before the log line and the abort, which can
    // take a while): whoever sees the drop counted also sees the subscriber gone from the open ones.
    owner.release();
    if (!SHUTDOWN.equals(dropReason)) {
      owner.countDropped();
      log.info("stream subscriber {} dropped: {}", peer, dropReason);
      out.abort(new IOException("stream subscriber dropped: " + dropReason));
    } else {
      out.end();
    }
  }
}
