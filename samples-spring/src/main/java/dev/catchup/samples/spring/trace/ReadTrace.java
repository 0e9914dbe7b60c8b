package dev.catchup.samples.spring.trace;

import java.time.Duration;

/**
 * How the current request's read was served, for the {@code Catchup-Read-*} response headers the
 * demo driver tallies (demo instrumentation: an application needs none of this). Confined to the
 * request's thread, which is the thread that runs its reads.
 */
public final class ReadTrace {
  private static final ThreadLocal<ReadTrace> CURRENT = new ThreadLocal<>();

  String target;
  long waitedNanos;
  String waitedOn;
  String fallback;

  private ReadTrace() {}

  static ReadTrace begin() {
    ReadTrace t = new ReadTrace();
    CURRENT.set(t);
    return t;
  }

  static ReadTrace current() {
    return CURRENT.get();
  }

  static void end() {
    CURRENT.remove();
  }

  /** The read ran on {@code server} (a replica's name, or {@code primary}). */
  public static void routed(String server) {
    ReadTrace t = CURRENT.get();
    if (t != null) {
      t.target = server;
    }
  }

  static void waited(Duration waited, String on) {
    ReadTrace t = CURRENT.get();
    if (t != null) {
      t.waitedNanos += waited.toNanos();
      t.waitedOn = on;
    }
  }

  static void fellBack(String reason) {
    ReadTrace t = CURRENT.get();
    if (t != null) {
      t.fallback = reason;
    }
  }
}
