package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks replicas for a token on their own connections, for {@link ReadRouter}: a check that does
 * not wait, or a server-side wait in slices; remembers what a replica proved, and marks a replica
 * whose connection failed. Hands back the connection of the replica that has the token, to run the
 * read on.
 */
final class ReplicaAsker {
  private static final Logger log = LoggerFactory.getLogger(ReplicaAsker.class);

  private final Servers servers;
  private final ServerWait serverWait;
  private final CatchupMetrics metrics;
  private final Ticker ticker;
  private final long sliceNanos;

  ReplicaAsker(Servers servers, ServerWait serverWait, CatchupMetrics metrics, Ticker ticker,
      long sliceNanos) {
    this.servers = servers;
    this.serverWait = serverWait;
    this.metrics = metrics;
    this.ticker = ticker;
    this.sliceNanos = sliceNanos;
  }

  /**
   * What asking replicas came to: the replica that has the token and its open connection (null
   * when none), whether any replica answered, or a wait cut short because the roles changed
   * ({@code rolesChanged}).
   */
  record Asked(Replica replica, Connection connection, boolean anyReachable, String lastTried,
      boolean rolesChanged) {}

  /** What asking one replica came to. */
  private enum Answer { SERVES, LACKS, ROLES_CHANGED }

  /**
   * How replicas are asked: a check that does not wait, a wait for the rest of the read's budget,
   * or the brief wait of a read right after its session's write while the monitor is followed
   * (without the token the read goes on waiting in the process: not a wait that timed out).
   */
  enum Asking {
    CHECK, WAIT, BRIEF_WAIT;

    boolean waits() {
      return this != CHECK;
    }
  }

  /**
   * Checks (or, asked to wait, waits until {@code deadlineNanos}) on each of {@code names} in
   * turn; a wait is spent on the first replica that answers, not multiplied by their number.
   */
  Asked ask(List<String> names, Asking how, long deadlineNanos, GtidSet required,
      long generation) throws SQLException {
    boolean wait = how.waits();
    boolean anyReachable = false;
    String lastTried = "none";
    for (String name : names) {
      Replica r = servers.handle(name);
      Connection c = r.borrow(ticker.read());
      if (c == null) {
        if (r.isBusy()) {
          anyReachable = true; // alive but saturated: not a reason to call replicas unreachable
          lastTried = name + " (pool exhausted)";
        }
        continue;
      }
      boolean answered = false;
      boolean handedOut = false;
      try {
        Answer a = serves(r, c, required, how, deadlineNanos, generation);
        answered = true;
        anyReachable = true;
        lastTried = name;
        if (a == Answer.SERVES) {
          handedOut = true;
          return new Asked(r, c, true, name, false);
        }
        if (a == Answer.ROLES_CHANGED) {
          return new Asked(null, null, true, name, true);
        }
      } catch (SQLException e) {
        // The replica died under us (a pooled connection can outlive its server briefly).
        r.markFailed(ticker.read(), e);
      } finally {
        // Also on a RuntimeException (a state the parser refuses, say): the read fails with it, but
        // the borrowed connection must go back to the pool, or each such read leaks one.
        if (!handedOut) {
          close(c);
        }
      }
      if (answered && wait) {
        break;
      }
    }
    return new Asked(null, null, anyReachable, lastTried, false);
  }

  /**
   * Checks or waits on an open replica connection; remembers success. A wait runs in slices of at
   * most {@code sliceNanos}: between them, a change of primary since the decision
   * ({@code generation}) ends it, so that the read is decided again on the new roles instead of
   * waiting out {@code maxWait} for writes the change may have lost. The answer counts only when
   * the replica's own state proves the token ({@link Coverage#provenOnServer}): a MariaDB position
   * that passed a lost GTID by sequence number does not. That is decided once, under one reading of
   * the roles' fence, for both the metric and the answer: two readings could straddle a change of
   * primary and count a served read as a wait that timed out.
   */
  private Answer serves(Replica r, Connection c, GtidSet required, Asking how,
      long deadlineNanos, long generation) throws SQLException {
    long waitStart = how.waits() ? ticker.read() : 0;
    ServerWait.Reached got;
    boolean changed = false;
    if (how.waits()) {
      // Bounded in count too: the slices of the budget, one more for rounding. A brief wait is one
      // server-side wait, however early the server ends it (its timer and ours differ by a little):
      // a second one to the deadline's last millisecond would only add a query to the read.
      long slices = how == Asking.BRIEF_WAIT ? 1
          : Math.max(0, deadlineNanos - waitStart) / sliceNanos + 2;
      for (long n = 1; ; n++) {
        metrics.extraQuery(r.name());
        long left = Math.max(0, deadlineNanos - ticker.read());
        got = serverWait.await(c, required, Duration.ofNanos(Math.min(left, sliceNanos)));
        if (got.reached() || ticker.read() - deadlineNanos >= 0 || n >= slices) {
          break;
        }
        if (servers.roles().generation() != generation) {
          changed = true;
          break;
        }
      }
    } else {
      metrics.extraQuery(r.name());
      got = serverWait.check(c, required);
    }
    boolean proven = got.reached()
        && Coverage.provenOnServer(got.state(), required, servers.roles().fence());
    if (how.waits()) {
      Duration waited = Duration.ofNanos(ticker.read() - waitStart);
      if (how == Asking.BRIEF_WAIT) {
        metrics.briefWaited(r.name(), waited, proven);
      } else {
        metrics.waited(r.name(), waited, proven);
      }
    }
    if (proven) {
      r.confirmed(required);
      return Answer.SERVES;
    }
    if (got.reached()) {
      // Passed by sequence number only: the GTIDs of another server it lacks (lost in a failover,
      // or not replicated here) will not arrive by waiting on this position.
      log.debug("replica {} passed {} by sequence number but its state {} does not have it",
          r.name(), required, got.state());
    }
    return changed ? Answer.ROLES_CHANGED : Answer.LACKS;
  }

  static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing a replica connection failed: {}", e.getMessage());
    }
  }
}
