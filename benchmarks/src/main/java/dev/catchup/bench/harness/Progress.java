package dev.catchup.bench.harness;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines for the person running the benchmark: seconds since start, then the message. */
public final class Progress {
  private final PrintStream out;
  private final long start = System.nanoTime();

  public Progress(PrintStream out) {
    this.out = out;
  }

  public void say(String format, Object... args) {
    out.printf(Locale.ROOT, "[%6.1f s] %s%n", seconds(), String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** Seconds since this was created. */
  public double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
