package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import java.time.Duration;
import java.time.Instant;

/**
 * What the monitor knows of one server at one moment. Immutable; a new one is published on every
 * change.
 *
 * @param name configured name
 * @param role primary or replica
 * @param confirmed GTIDs confirmed visible to readers (read from the server itself); routing uses
 *     only this
 * @param seen GTIDs seen in the binlog stream, which may run ahead of {@code confirmed} by the
 *     moment between the binlog write and the commit becoming visible
 * @param confirmedAt when {@code confirmed} was read; null before the first read
 * @param lastEventAt when the last binlog event arrived; null before the first
 * @param feed state of the binlog connection
 * @param transactionsPerSecond transactions seen per second, over the last few seconds
 * @param lastApplyDelay for the last transaction, its commit here minus its original commit on the
 *     primary (MySQL commit timestamps, microsecond precision); null when unknown
 * @param lastOriginalCommit original commit time of the last transaction applied; null if unknown
 * @param threads replication threads of a replica as last read; null for the primary, before the
 *     first read, when they could not be read, and as soon as the server cannot be reached
 * @param threadsError on a replica whose {@code threads} is null: why (the server refused to show
 *     them, for example for a missing grant, or could not be reached); null otherwise
 * @param driftCorrections times the server's own executed set held GTIDs the stream had not shown
 * @param reconnects binlog reconnections so far
 * @param lastError the last error talking to the server, null when the last attempt succeeded
 * @param version increases with every published status of this server
 * @param heartbeatLag on a replica with heartbeat mode on: the replica's clock minus the newest
 *     heartbeat row it has applied, as read just after {@code confirmedAt} (resolution: the
 *     heartbeat interval); null when off or unknown
 */
public record ServerStatus(String name, Role role, GtidSet confirmed, GtidSet seen,
    Instant confirmedAt, Instant lastEventAt, FeedState feed, double transactionsPerSecond,
    Duration lastApplyDelay, Instant lastOriginalCommit, ReplicationThreads threads,
    String threadsError, long driftCorrections, long reconnects, String lastError, long version, Duration heartbeatLag) {

  /** How long ago {@code confirmed} was read, or null if it never was. */
  public Duration confirmationAge(Instant now) {
    return confirmedAt == null ? null : Duration.between(confirmedAt, now);
  }
}
