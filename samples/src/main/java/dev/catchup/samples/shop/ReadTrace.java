package dev.catchup.samples.shop;

import dev.catchup.sdk.CatchupMetrics;
import dev.catchup.sdk.Consistency;
import java.time.Duration;

/**
 * How the current request's reads were served, for the response headers the demo driver tallies.
 * Catchup calls its metrics hooks on the thread that runs the read, so a thread-local record per
 * request sees exactly that request's routing.
 */
final class ReadTrace implements CatchupMetrics {
  private static final ThreadLocal<Trace> CURRENT = new ThreadLocal<>();

  /** One request's reads; confined to the request's thread. */
  static final class Trace {
    String target;
    long waitedNanos;
    String waitedOn;
    String fallback;

    void routed(String where) {
      target = where;
    }
  }

  static Trace begin() {
    Trace t = new Trace();
    CURRENT.set(t);
    return t;
  }

  static Trace current() {
    return CURRENT.get();
  }

  static void end() {
    CURRENT.remove();
  }

  private static void with(java.util.function.Consumer<Trace> action) {
    Trace t = CURRENT.get();
    if (t != null) {
      action.accept(t);
    }
  }

  @Override
  public void readRouted(Target target, String replica, Consistency consistency) {
    with(t -> t.routed(target == Target.PRIMARY ? "primary" : replica));
  }

  @Override
  public void waited(String replica, Duration waited, boolean reached) {
    with(t -> {
      t.waitedNanos += waited.toNanos();
      t.waitedOn = "replica";
    });
  }

  @Override
  public void waitedForMonitor(Duration waited, boolean reached) {
    with(t -> {
      t.waitedNanos += waited.toNanos();
      t.waitedOn = "monitor";
    });
  }

  @Override
  public void fellBack(FallbackReason reason) {
    with(t -> t.fallback = reason.name());
  }
}
