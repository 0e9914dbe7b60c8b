package dev.catchup.bench.harness;

import java.util.concurrent.locks.LockSupport;

/** Waiting for a moment on {@link System#nanoTime()}'s scale, for loops that run on a schedule. */
public final class Pace {
  private Pace() {}

  /** Parks the calling thread until {@code System.nanoTime()} reaches {@code due}. */
  public static void parkUntil(long due) {
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }
}
