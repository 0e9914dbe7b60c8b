package dev.catchup.monitor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop, so that {@code main} stops the monitor and exits 0, as
 * {@code --help} promises. Left to the JVM, either signal runs the shutdown hooks and then exits
 * with 128 + the signal number (143 for SIGTERM) whatever the hooks do, and a supervisor reads a
 * graceful stop as a failure.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to handle a
 * signal; JEP 260 keeps it accessible on purpose until a public API replaces it. javac warns that
 * it is internal, and that warning cannot be suppressed.
 */
final class StopSignals {
  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final AtomicReference<String> received = new AtomicReference<>();

  private StopSignals() {}

  /**
   * Handles SIGTERM and SIGINT from now on. Where the JVM does not let us (run with {@code -Xrs}),
   * says so and leaves the signal to the JVM: the monitor then still stops through its shutdown
   * hook, only with the JVM's exit code.
   */
  static StopSignals install() {
    StopSignals s = new StopSignals();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> s.request("SIG" + signal.getName()));
      } catch (IllegalArgumentException e) {
        log.warn("cannot handle SIG{} ({}); it will stop the monitor with the JVM's exit code",
            name, e.getMessage());
      }
    }
    return s;
  }

  private void request(String signal) {
    received.compareAndSet(null, signal);
    requested.countDown();
  }

  /** Blocks until a stop is requested; returns the signal's name, e.g. {@code SIGTERM}. */
  String await() throws InterruptedException {
    requested.await();
    return received.get();
  }
}
