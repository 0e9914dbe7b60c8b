package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import java.time.Duration;

/**
 * A replica's lag against the primary, computed from both servers' confirmed sets.
 *
 * @param replica replica name
 * @param state UNKNOWN when either side's information is stale
 * @param missingTransactions transactions the primary has confirmed that the replica has not; null
 *     while either server has never been read since the monitor started
 * @param secondsBehind age of the oldest missing transaction (0 when none is missing); null when
 *     unknown (the primary's commit time of that transaction was not seen, or either server has
 *     never been read)
 * @param lastApplyDelaySeconds the replica's apply delay for its last transaction; null if unknown
 * @param errant GTIDs the replica has that the primary does not
 * @param confirmationAge age of the replica's last confirmation; null if never confirmed
 * @param heartbeatLagSeconds lag measured with the heartbeat row (any flavor, sub-second); null
 *     when heartbeat mode is off or the row has not reached the replica
 */
public record LagReport(String replica, ServerState state, Long missingTransactions,
    Double secondsBehind, Double lastApplyDelaySeconds, GtidSet errant, Duration confirmationAge,
    Double heartbeatLagSeconds) {}
