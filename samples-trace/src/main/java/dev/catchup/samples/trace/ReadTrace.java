package dev.catchup.samples.trace;

import dev.catchup.sdk.CatchupMetrics;
import dev.catchup.sdk.Consistency;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How the current request's reads were served, for the {@code Catchup-Read-*} response headers the
 * demo driver tallies (demo instrumentation: an application needs none of this). Catchup calls its
 * metrics hooks ({@link #metrics()}) on the thread that runs the read, and a naive split reports
 * its choice ({@link #routed}) on that thread too, so a thread-local trace per request sees exactly
 * that request's routing. Both the plain shop and the Spring services report through it.
 */
public final class ReadTrace {
  /** Where the read ran: a replica's name, or {@code primary}. */
  public static final String TARGET = "Catchup-Read-Target";
  /** How long the read waited in all, in milliseconds. */
  public static final String WAITED_MS = "Catchup-Read-Waited-Ms";
  /** What it waited on: {@code replica} (the server's wait) or {@code monitor}. */
  public static final String WAITED_ON = "Catchup-Read-Waited-On";
  /** Why it went to the primary instead of a replica, when it did. */
  public static final String FALLBACK = "Catchup-Read-Fallback";

  private static final ThreadLocal<ReadTrace> CURRENT = new ThreadLocal<>();

  private String target;
  private long waitedNanos;
  private String waitedOn;
  private String fallback;

  private ReadTrace() {}

  /** Starts tracing the current thread's request. */
  public static ReadTrace begin() {
    ReadTrace t = new ReadTrace();
    CURRENT.set(t);
    return t;
  }

  /** The current thread's trace, or null outside a traced request. */
  public static ReadTrace current() {
    return CURRENT.get();
  }

  /** Stops tracing the current thread (the request is done). */
  public static void end() {
    CURRENT.remove();
  }

  /** The read ran on {@code server} (a replica's name, or {@code primary}). */
  public static void routed(String server) {
    with(t -> t.target = server);
  }

  /** Hooks that report Catchup's routing of each read into the current thread's trace. */
  public static CatchupMetrics metrics() {
    return new Hooks();
  }

  private static void with(Consumer<ReadTrace> action) {
    ReadTrace t = CURRENT.get();
    if (t != null) {
      action.accept(t);
    }
  }

  /** What this trace says about the request's read, as response headers (none when untraced). */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    if (target != null) {
      h.put(TARGET, target);
    }
    if (waitedOn != null) {
      h.put(WAITED_MS, String.format(Locale.ROOT, "%.3f", waitedNanos / 1e6));
      h.put(WAITED_ON, waitedOn);
    }
    if (fallback != null) {
      h.put(FALLBACK, fallback);
    }
    return h;
  }

  private static final class Hooks implements CatchupMetrics {
    @Override
    public void readRouted(Target target, String replica, Consistency consistency) {
      routed(target == Target.PRIMARY ? "primary" : replica);
    }

    @Override
    public void waited(String replica, Duration waited, boolean reached) {
      with(t -> t.waited(waited, "replica"));
    }

    @Override
    public void waitedForMonitor(Duration waited, boolean reached) {
      with(t -> t.waited(waited, "monitor"));
    }

    @Override
    public void fellBack(FallbackReason reason) {
      with(t -> t.fallback = reason.name());
    }
  }

  private void waited(Duration waited, String on) {
    waitedNanos += waited.toNanos();
    waitedOn = on;
  }
}
