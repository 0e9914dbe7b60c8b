package dev.catchup.monitor.stream;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.Callback;

/** Records writes (their bytes too) and leaves each pending until the test completes it. */
final class FakeOut implements StreamOut {
  final List<Callback> pending = new CopyOnWriteArrayList<>();
  final BlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
  final AtomicReference<Throwable> aborted = new AtomicReference<>();
  volatile boolean ended;

  @Override
  public void write(ByteBuffer bytes, Callback done) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    // The callback first: a test that sees the bytes may complete the write at once.
    pending.add(done);
    written.add(copy);
  }

  @Override
  public void end() {
    ended = true;
  }

  @Override
  public void abort(Throwable cause) {
    aborted.set(cause);
  }
}
