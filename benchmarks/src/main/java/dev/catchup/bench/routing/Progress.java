package dev.catchup.bench.routing;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines for the person running the benchmark: seconds since start, then the message. */
final class Progress {
  private final PrintStream out;
  private final long start = System.nanoTime();

  Progress(PrintStream out) {
    this.out = out;
  }

  void say(String format, Object... args) {
    out.printf(Locale.ROOT, "[%6.1f s] %s%n", seconds(), String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** Seconds since this was created. */
  double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
