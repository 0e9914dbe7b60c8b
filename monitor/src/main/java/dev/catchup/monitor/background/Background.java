package dev.catchup.monitor.background;

import java.time.Duration;

/** A component with its own threads, stopped in two steps so that many can stop in parallel. */
interface Background {
  /** For logs: what this is. */
  String name();

  /** Asks every thread to stop (and closes what they block on); returns without waiting. */
  void requestStop();

  /** Waits at most {@code within} for the threads to end; true when they all have. */
  boolean awaitStop(Duration within) throws InterruptedException;
}
