package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A replica's lag against the primary as far as it depends on what was published: computed once
 * when either server publishes (counting missing transactions, subtracting errant ones and finding
 * the oldest missing commit cost time proportional to the sets), then read by every consumer. Only
 * what grows with the clock (ages, the heartbeat lag since it was read, trust) is derived at the
 * moment of reading, from these values.
 *
 * @param replica the replica's status this was computed from
 * @param primary the primary's status this was computed from
 * @param missing transactions the primary has confirmed that the replica has not; null while
 *     either server has never been read
 * @param errant GTIDs the replica has that the primary does not (empty while either was never read)
 * @param oldestMissingMicros original commit time (microseconds since the epoch) of the oldest
 *     transaction the replica lacks; -1 when none is missing or its commit time is unknown
 * @param failure why the lag could not be computed (a bug, such as a status of the wrong flavor),
 *     thrown to every reader; null when it was
 */
record ReplicaLag(ServerStatus replica, ServerStatus primary, Long missing, GtidSet errant,
    long oldestMissingMicros, RuntimeException failure) {

  /**
   * Computes what can be computed now of {@code replica}'s lag behind {@code primary}. Never throws:
   * a failure is kept and thrown to the readers, so that the publish that computed it (and the
   * other servers' statuses) goes through, as it did when lag was computed only when read.
   */
  static ReplicaLag of(ServerStatus replica, ServerStatus primary, CommitTimes commitTimes,
      GtidSet empty) {
    try {
      return compute(replica, primary, commitTimes, empty);
    } catch (RuntimeException e) {
      return new ReplicaLag(replica, primary, null, empty, -1, e);
    }
  }

  private static ReplicaLag compute(ServerStatus replica, ServerStatus primary,
      CommitTimes commitTimes, GtidSet empty) {
    // A server never read has an empty confirmed set that means "not known": counting against it
    // would report every transaction missing, and an age that climbs with the clock.
    boolean known = replica.confirmedAt() != null && primary.confirmedAt() != null;
    if (!known) {
      return new ReplicaLag(replica, primary, null, empty, -1, null);
    }
    long missing = primary.confirmed().countNotIn(replica.confirmed());
    return new ReplicaLag(replica, primary, missing,
        replica.confirmed().subtract(primary.confirmed()),
        missing == 0 ? -1 : commitTimes.oldestMissingMicros(replica.confirmed()), null);
  }

  /**
   * Age at {@code now} of the oldest transaction the replica lacks: 0 when none is missing, null
   * when unknown (either server never read, or the commit time of that transaction not seen).
   */
  Double secondsBehind(Instant now) {
    checkComputed();
    if (missing == null) {
      return null;
    }
    if (missing == 0) {
      return 0.0;
    }
    return oldestMissingMicros < 0 ? null
        : Math.max(0, (ChronoUnit.MICROS.between(Instant.EPOCH, now) - oldestMissingMicros) / 1e6);
  }

  /** The full report at {@code now}, with {@code state} the trust in both servers now. */
  LagReport report(ServerState state, Instant now) {
    checkComputed();
    ServerStatus.Binlog binlog = replica.binlog();
    Double applyDelay = binlog.lastApplyDelay() == null ? null
        : binlog.lastApplyDelay().toNanos() / 1e9;
    // The row was read right after confirmedAt; until the next read the lag grows with the clock, as
    // pt-heartbeat's would. Reporting the value as read would only ever show the lag just after an
    // apply, which under MariaDB's whole-second delay is the smallest it gets.
    ServerStatus.Replication r = replica.replication();
    Double heartbeat = r.heartbeatLag() == null || replica.confirmedAt() == null ? null
        : r.heartbeatLag().plus(replica.confirmationAge(now)).toNanos() / 1e9;
    return new LagReport(replica.name(), state, missing, secondsBehind(now), applyDelay, errant,
        replica.confirmationAge(now), heartbeat);
  }

  private void checkComputed() {
    if (failure != null) {
      throw new IllegalStateException("the lag of " + replica.name() + " could not be computed: "
          + failure, failure);
    }
  }
}
