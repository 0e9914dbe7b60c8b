package dev.catchup.sdk;

import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once per primary, how writes are recorded: from the replies when the primary reports
 * GTIDs in them, else by query. The choice is made on the first borrow whose probe the server
 * answers; a probe that fails (a connection dropped under it, a primary restarting) decides nothing:
 * that borrow records by query, which is always correct, and the next borrow asks again. A real
 * downgrade (the server answered that it does not track GTIDs) is logged once with what it said.
 * A primary Catchup does not support (older than {@link dev.catchup.dialect.Dialect#minimumVersion},
 * or of the other flavor) decides nothing either: every borrow fails with the probe's message, so no
 * write is made that Catchup cannot vouch for, and a server upgraded in place is accepted.
 *
 * <p>Only this class knows whether the choice is made yet: callers borrow primary connections
 * through {@link #borrow} and start recording through {@link #start}, the same way in every state.
 */
final class WriteCaptureChoice {
  private static final Logger log = LoggerFactory.getLogger(WriteCaptureChoice.class);

  /**
   * Asks the server whether it reports GTIDs: null when it does, else what it reported. Throws
   * {@link SQLFeatureNotSupportedException} for a server Catchup refuses.
   */
  @FunctionalInterface
  interface Probe {
    String trackingProblem(Connection c) throws SQLException;
  }

  private final Probe probe;
  private final WriteCapture fromReplies;
  private final WriteCapture byQuery;
  private volatile WriteCapture chosen;
  private boolean probeFailed; // guarded by this
  private boolean refusalLogged; // guarded by this
  /** The connection the last probe failed on: asked again within its borrow, it is not re-probed. */
  private WeakReference<Connection> failedOn = new WeakReference<>(null); // guarded by this

  WriteCaptureChoice(Probe probe, WriteCapture fromReplies, WriteCapture byQuery) {
    this.probe = probe;
    this.fromReplies = fromReplies;
    this.byQuery = byQuery;
  }

  /** The primary's pool. */
  @FunctionalInterface
  interface PrimaryPool {
    Connection borrow() throws SQLException;
  }

  /**
   * A primary connection from {@code pool}. While nothing is chosen yet, the connection is probed;
   * a probe that found it broken (the pool closed it) costs the caller nothing: another connection
   * is taken, and probed in turn when its writes start being recorded.
   */
  Connection borrow(PrimaryPool pool) throws SQLException {
    Connection c = pool.borrow();
    if (chosen == null) {
      try {
        forBorrow(c);
      } catch (SQLException e) {
        closeAfter(c, e);
        throw e;
      }
      if (c.isClosed()) {
        c.close(); // hands the pool's bookkeeping back; the broken connection was evicted already
        c = pool.borrow();
      }
    }
    return c;
  }

  /**
   * Starts recording the writes on {@code physical}, a borrowed primary connection, into
   * {@code session}, with the capture chosen for this primary. When that fails the connection goes
   * back to its pool: the caller never holds a primary connection whose writes would be lost.
   */
  WriteCapture.Recording start(Connection physical, Session session) throws SQLException {
    try {
      return forBorrow(physical).start(physical, session);
    } catch (SQLException | RuntimeException e) {
      closeAfter(physical, e);
      throw e;
    }
  }

  private static void closeAfter(Connection c, Exception cause) {
    try {
      c.close();
    } catch (SQLException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  /**
   * The capture for a borrow of {@code physical}; probes it while nothing is chosen yet.
   *
   * @throws SQLFeatureNotSupportedException when the primary is a server Catchup refuses
   */
  WriteCapture forBorrow(Connection physical) throws SQLException {
    WriteCapture c = chosen;
    return c != null ? c : choose(physical);
  }

  /** The chosen capture, or null while undecided. */
  WriteCapture chosen() {
    return chosen;
  }

  private synchronized WriteCapture choose(Connection physical) throws SQLException {
    if (chosen != null) {
      return chosen;
    }
    if (physical != null && failedOn.get() == physical) {
      return byQuery;
    }
    String problem;
    try {
      problem = probe.trackingProblem(physical);
    } catch (SQLFeatureNotSupportedException e) {
      if (!refusalLogged) {
        refusalLogged = true;
        log.error("{}", e.getMessage());
      }
      throw e;
    } catch (SQLException e) {
      failedOn = new WeakReference<>(physical);
      if (!probeFailed) {
        probeFailed = true;
        log.warn("could not ask the primary whether it reports GTIDs in its replies ({}); writes on "
            + "this connection are recorded with an extra query, and the next connection asks "
            + "again", e.getMessage());
      }
      return byQuery;
    }
    if (problem == null) {
      chosen = fromReplies;
      if (probeFailed) {
        log.info("the primary reports GTIDs in its replies: writes are recorded from them");
      }
    } else {
      chosen = byQuery;
      log.warn("the primary does not report GTIDs in its replies ({}); Catchup reads each write's "
          + "GTID with an extra query after each use of a primary connection instead, which costs "
          + "about as much as the write itself", problem);
    }
    return chosen;
  }
}
