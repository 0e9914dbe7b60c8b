package dev.catchup.sdk;

import java.time.Duration;

/**
 * Hooks for counters and timers; bind them to Micrometer or anything else. Called on the read path,
 * so implementations must be fast and thread-safe. Every method has a no-op default.
 */
public interface CatchupMetrics {
  /** Where a read ran. */
  enum Target { REPLICA, PRIMARY }

  /** Why a read went to the primary although it was a read. */
  enum FallbackReason {
    /** No replica had the token and the policy allows the primary. */
    NOT_CAUGHT_UP,
    /** No replica could be reached. */
    NO_REPLICA_AVAILABLE
  }

  /** No-op metrics. */
  CatchupMetrics NONE = new CatchupMetrics() {};

  /** A read connection was bound to {@code target} ({@code replica} is null for the primary). */
  default void readRouted(Target target, String replica, Consistency consistency) {}

  /**
   * A read waited on {@code replica}'s server for {@code waited}; {@code reached} is false on
   * timeout. Not called for the brief wait of a read right after its write ({@link #briefWaited}).
   */
  default void waited(String replica, Duration waited, boolean reached) {}

  /**
   * A read right after its session's write, while the monitor is followed, waited briefly (at most
   * 20 ms) on {@code replica}'s server; {@code reached} is false when the wait ended without the
   * token, and the read then goes on waiting in the process for the monitor: that is not a wait
   * that timed out. By default a brief wait that reached counts as {@link #waited} (it served the
   * read as a wait does) and one that did not is not reported.
   */
  default void briefWaited(String replica, Duration waited, boolean reached) {
    if (reached) {
      waited(replica, waited, true);
    }
  }

  /** A read went to the primary instead of a replica. */
  default void fellBack(FallbackReason reason) {}

  /** A read failed with {@link ReplicaNotCaughtUpException}. */
  default void failed(String replica) {}

  /** A write's GTID was recorded; {@code tokenSources} is the session token's size afterwards. */
  default void gtidRecorded(int tokenSources) {}

  /**
   * Catchup ran a query of its own on {@code server} (a GTID check or wait on a replica, reading
   * the primary's executed set, or, on {@code "primary"}, reading a write's GTID when the primary
   * does not report it in its replies): the extra cost beyond the caller's own statements.
   */
  default void extraQuery(String server) {}

  /** A read waited in the process for the monitor to report its token (no connection held). */
  default void waitedForMonitor(Duration waited, boolean reached) {}

  /** Routing switched between following the monitor and asking the servers directly. */
  default void monitorMode(boolean usingMonitor) {}
}
