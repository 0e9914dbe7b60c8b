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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /stream} connection: a bounded queue of events drained by the writer pool, one drain
 * at a time, all that is queued going out in one write. Dropped (and its connection aborted) when
 * the queue overflows, a write fails, or the broadcaster sees a write blocked too long.
 */
final class Subscriber {
  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);
  private static final int MAX_WRITE = 256 * 1024;

  private final Subscribers owner;
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

  Subscriber(Subscribers owner, Request request, Response response, Callback callback) {
    this.owner = owner;
    this.response = response;
    this.callback = callback;
    this.peer = Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request);
    this.queue = new ArrayBlockingQueue<>(owner.limits().subscriberBacklog());
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

  /** Whether a write has been blocked for longer than {@code limitNanos} at {@code now}. */
  boolean stalled(long now, long limitNanos) {
    return writing && now - writeStarted > limitNanos;
  }

  void offerOrDrop(byte[] event) {
    if (dropReason != null) {
      return;
    }
    if (queue.offer(event)) {
      schedule();
    } else {
      drop("more than " + owner.limits().subscriberBacklog() + " events behind");
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
        owner.execute(this::drain);
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
    owner.remove(this);
    // Released before it is counted as dropped (and before the log line and the abort, which can
    // take a while): whoever sees the drop counted also sees the subscriber gone from the open ones.
    owner.release();
    if (!SHUTDOWN.equals(dropReason)) {
      owner.countDropped();
      log.info("stream subscriber {} dropped: {}", peer, dropReason);
      // Failing the response aborts it: the connection is closed, a pending write fails.
      callback.failed(new IOException("stream subscriber dropped: " + dropReason));
    } else {
      response.write(true, BufferUtil.EMPTY_BUFFER, callback); // the final chunk
    }
  }
}
