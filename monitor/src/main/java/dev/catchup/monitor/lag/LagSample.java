package dev.catchup.monitor.lag;

import dev.catchup.monitor.tracking.LagReport;
import dev.catchup.monitor.tracking.ServerState;
import java.time.Instant;
import java.util.Objects;

/**
 * A replica's lag at one moment, as {@link LagHistory} keeps it.
 *
 * @param at when it was taken (the registry's clock)
 * @param state UNKNOWN when the replica's or the primary's information was stale
 * @param secondsBehind age of the oldest missing transaction; null when unknown
 * @param missingTransactions transactions the primary had confirmed and the replica had not; null
 *     while either had never been read
 * @param heartbeatLagSeconds heartbeat-row lag; null when heartbeat mode is off or unknown
 */
public record LagSample(Instant at, ServerState state, Double secondsBehind, Long missingTransactions,
    Double heartbeatLagSeconds) {

  public LagSample {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(state, "state");
  }

  public static LagSample of(Instant at, LagReport lag) {
    return new LagSample(at, lag.state(), lag.secondsBehind(), lag.missingTransactions(),
        lag.heartbeatLagSeconds());
  }
}
