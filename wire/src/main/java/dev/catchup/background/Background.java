package dev.catchup.background;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A component with its own threads, stopped in two steps so that many can stop in parallel. */
public interface Background {
  /** For logs: what this is. */
  String name();

  /** Asks every thread to stop (and closes what they block on); returns without waiting. */
  void requestStop();

  /** Waits at most {@code within} for the threads to end; true when they all have. */
  boolean awaitStop(Duration within) throws InterruptedException;

  /**
   * Asks every component to stop before waiting for any, then waits for all against one deadline:
   * stopping one after another would make a close of N hung servers take N times the wait of one.
   *
   * @return the names of the components that had not stopped by the deadline
   */
  static List<String> stopAll(List<? extends Background> all, Duration budget) {
    for (Background b : all) {
      b.requestStop();
    }
    long deadline = System.nanoTime() + budget.toNanos();
    List<String> left = new ArrayList<>();
    boolean interrupted = false;
    for (Background b : all) {
      try {
        if (interrupted || !b.awaitStop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          left.add(b.name());
        }
      } catch (InterruptedException e) {
        interrupted = true;
        left.add(b.name());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return left;
  }
}
