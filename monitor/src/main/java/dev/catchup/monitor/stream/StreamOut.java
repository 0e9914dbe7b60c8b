package dev.catchup.monitor.stream;

import java.nio.ByteBuffer;
import org.eclipse.jetty.util.Callback;

/**
 * Where a {@link Subscriber} writes: its response, seen only through the three things it does
 * with it, so that its concurrency can be tested without a server.
 */
interface StreamOut {
  /** Starts writing {@code bytes} (not the last); {@code done} is completed when written or failed. */
  void write(ByteBuffer bytes, Callback done);

  /** Ends the stream normally: the final chunk, then the request completes. */
  void end();

  /** Aborts the stream: the connection is closed and a pending write fails. */
  void abort(Throwable cause);
}
