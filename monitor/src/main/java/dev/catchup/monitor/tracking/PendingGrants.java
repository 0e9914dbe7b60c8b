package dev.catchup.monitor.tracking;

import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.topology.Role;
import dev.catchup.retry.Backoff;
import dev.catchup.retry.RetryStreak;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The grant check owed to a server the monitor could not check at start (it was down): run once
 * the server answers its tracker, then never again. A check the server cannot answer yet (still
 * starting, a probe that timed out) is tried again with back-off and logged as a
 * {@link RetryStreak}, so a missing grant is never left unsaid and a failing check is never a
 * silent loop. Tracker thread only.
 */
final class PendingGrants {
  /** A check of the monitor user's grants: what the server lacks, or null when nothing. */
  @FunctionalInterface
  interface Check {
    String check(ServerEndpoint e, Role role) throws SQLException;
  }

  private final ServerEndpoint endpoint;
  private final RetryStreak retry;
  private final LongSupplier nanoTime;
  private final Logger log;
  private Check check; // null once done
  private long nextAttemptNanos;
  private String problem;

  PendingGrants(ServerEndpoint endpoint, Check check, Clock clock, Backoff backoff,
      LongSupplier nanoTime, Logger log) {
    this.endpoint = endpoint;
    this.check = check;
    this.retry = new RetryStreak(endpoint.name() + ": checking the monitor user's grants", clock,
        backoff, log);
    this.nanoTime = nanoTime;
    this.log = log;
  }

  /**
   * The server answered the tracker (a read, or a refusal of one: a server of another flavor is the
   * one whose check says why): runs the check unless it is done or backing off.
   */
  void serverAnswered(Role role) {
    if (check == null || (retry.attempts() > 0 && nanoTime.getAsLong() - nextAttemptNanos < 0)) {
      return;
    }
    try {
      problem = check.check(endpoint, role); // GrantCheck logs what is missing, once
      check = null;
      retry.recovered();
    } catch (SQLException e) {
      if (Thread.currentThread().isInterrupted()) {
        return; // the tracker is stopping: nothing was learnt about the server
      }
      Duration wait = retry.failed(e, "what it lacks is not known yet");
      nextAttemptNanos = nanoTime.getAsLong() + wait.toNanos();
    } catch (RuntimeException e) {
      // A bug in the check: said once with its trace; the tracker's reads go on without it.
      log.error("{}: the grant check failed; not checking this server's grants", endpoint.name(), e);
      check = null;
    }
  }

  /** What the check found missing, for the server's status; null when nothing or not known yet. */
  String problem() {
    return problem;
  }
}
