package dev.catchup.bench.strategies;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.Stats;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every figure of one strategy at one delay, from its {@link Tally}. Latencies in milliseconds.
 *
 * @param id the strategy's stable name
 * @param description what it does
 * @param seconds measured wall time, all slices together
 * @param cycles write-then-read cycles completed
 * @param cyclesPerSecond that per second
 * @param afterWriteReads reads of the row just written, attempted
 * @param otherReads catalog reads, attempted
 * @param staleAfterWrite reads of the row just written that did not return the value written
 * @param staleOther catalog reads that did not return the primary's value
 * @param failedReads reads that threw
 * @param failedWrites writes that threw
 * @param failures failed reads and writes by the exception's class
 * @param readsByTarget successful reads by where they ran (a replica's name, or primary)
 * @param replicaShare successful reads that ran on a replica, over all successful reads
 * @param primaryReadsPerSecond successful reads that ran on the primary, per second
 * @param primarySelectsPerSecond the primary's own {@code Com_select} increase per second: every
 *     SELECT it ran, whoever sent it
 * @param comSelect {@code Com_select} increase per server over the slices
 * @param extraQueries queries the strategy's routing ran of its own, as it reports them (the SDK
 *     through {@code CatchupMetrics.extraQuery}; the GTID wait strategy its waits)
 * @param extraQueriesPerRead that per attempted read
 * @param wireExtraPerRead statements counted on the wire beyond the benchmark's own reads and
 *     writes, per attempted read: an independent count of the same cost
 * @param wire statements on the wire by server and kind ({@link WireCounter})
 * @param serverWaits reads that ran a GTID wait (or, MariaDB, a zero-timeout check) on a replica,
 *     reached
 * @param serverWaitTimeouts those that timed out
 * @param serverWaitMeanMillis their mean time
 * @param inProcessWaits reads that waited in the process for the monitor's push, reached
 * @param inProcessWaitTimeouts those that gave up
 * @param inProcessWaitMeanMillis their mean time
 * @param fallbacks reads sent to the primary because no replica had the write, by reason
 * @param routingSwitches Catchup switching between the monitor and asking directly (none expected)
 * @param readersWaitingPeak most readers at once between asking for a read connection and getting
 *     it (routing, waiting)
 * @param connectionsInWaitPeak most connections at once inside a GTID wait statement: database
 *     connections held by waiting readers
 * @param writeMillis each write, borrowing to closing the connection
 * @param afterWriteMillis each successful read of the row just written, asking for the connection
 *     to closing it
 * @param otherMillis each successful catalog read, the same way
 * @param failedReadMillis each failed read, from asking for the connection to the exception
 * @param ratios against the naive split and primary-only strategies of the same run and delay
 * @param afterWriteReplicaShare successful reads of the row just written that ran on a replica,
 *     over all successful such reads; null when none succeeded, or in reports from before it
 */
record StrategyResult(String id, String description, double seconds, long cycles,
    double cyclesPerSecond, long afterWriteReads, long otherReads, long staleAfterWrite,
    long staleOther, long failedReads, long failedWrites, Map<String, Long> failures,
    Map<String, Long> readsByTarget, Double replicaShare, double primaryReadsPerSecond,
    double primarySelectsPerSecond, Map<String, Long> comSelect, long extraQueries,
    Double extraQueriesPerRead, Double wireExtraPerRead, Map<String, Long> wire, long serverWaits,
    long serverWaitTimeouts, Double serverWaitMeanMillis, long inProcessWaits,
    long inProcessWaitTimeouts, Double inProcessWaitMeanMillis, Map<String, Long> fallbacks,
    Map<String, Long> routingSwitches, int readersWaitingPeak, int connectionsInWaitPeak,
    Stats writeMillis, Stats afterWriteMillis, Stats otherMillis, Stats failedReadMillis,
    Ratios ratios, @JsonInclude(JsonInclude.Include.NON_NULL) Double afterWriteReplicaShare) {

  /** The naive split's id: the latency baseline. */
  static final String NAIVE = "naive-split";
  /** The primary-only strategy's id: the primary load baseline. */
  static final String PRIMARY_ONLY = "primary-only";

  /**
   * Quotients against the baselines measured in the same run at the same delay; null where a
   * baseline was not run or is zero.
   *
   * @param afterWriteP50VsNaive read-after-write p50 over the naive split's
   * @param afterWriteP99VsNaive read-after-write p99 over the naive split's
   * @param otherP50VsNaive other reads' p50 over the naive split's
   * @param otherP99VsNaive other reads' p99 over the naive split's
   * @param primaryReadsVsPrimaryOnly reads per second on the primary over primary-only's
   */
  record Ratios(Double afterWriteP50VsNaive, Double afterWriteP99VsNaive, Double otherP50VsNaive,
      Double otherP99VsNaive, Double primaryReadsVsPrimaryOnly) {}

  /** Builds every strategy's result at one delay, ratios included. */
  static List<StrategyResult> of(List<Strategy> strategies, Map<String, Tally> tallies) {
    Tally naive = tallies.get(NAIVE);
    Tally primaryOnly = tallies.get(PRIMARY_ONLY);
    Stats naiveAfter = naive == null ? null : Stats.of(naive.afterWriteNanos);
    Stats naiveOther = naive == null ? null : Stats.of(naive.otherNanos);
    Double primaryBase = primaryOnly == null ? null : primaryReadsPerSecond(primaryOnly);
    return strategies.stream().map(s -> of(s, tallies.get(s.id()), naiveAfter, naiveOther,
        primaryBase)).toList();
  }

  private static StrategyResult of(Strategy s, Tally t, Stats naiveAfter, Stats naiveOther,
      Double primaryBase) {
    long reads = t.afterWriteReads + t.otherReads;
    long ok = t.readsByTarget.values().stream().mapToLong(Long::longValue).sum();
    long onPrimary = t.readsByTarget.getOrDefault(CountingMetrics.PRIMARY, 0L);
    CountingMetrics.Counts c = t.routing;
    long wireExtra = 0;
    for (Map.Entry<String, Long> e : t.wire.entrySet()) {
      String[] key = e.getKey().split("/", 3);
      if (key.length == 2 && !key[1].equals(WireCounter.Kind.READ.name())
          && !key[1].equals(WireCounter.Kind.WRITE.name())) {
        wireExtra += e.getValue();
      }
    }
    Stats after = Stats.of(t.afterWriteNanos);
    Stats other = Stats.of(t.otherNanos);
    double primaryPerSecond = primaryReadsPerSecond(t);
    long serverWaits = c.get("serverWaits.reached");
    long serverTimeouts = c.get("serverWaits.timedOut");
    long inProcess = c.get("monitorWaits.reached");
    long inProcessTimeouts = c.get("monitorWaits.timedOut");
    return new StrategyResult(s.id(), s.description(), Stats.round(t.seconds), t.cycles,
        perSecond(t.cycles, t.seconds), t.afterWriteReads, t.otherReads, t.afterWriteStale,
        t.otherStale, t.afterWriteFailed + t.otherFailed, t.writeFailures, new TreeMap<>(t.failures),
        new TreeMap<>(t.readsByTarget), ok == 0 ? null : Stats.round((ok - onPrimary) / (double) ok),
        primaryPerSecond, perSecond(t.comSelect.getOrDefault("primary", 0L), t.seconds),
        new TreeMap<>(t.comSelect), c.extraQueries(), perRead(c.extraQueries(), reads),
        perRead(wireExtra, reads), new TreeMap<>(t.wire), serverWaits, serverTimeouts,
        meanMillis(c.get("serverWaits.nanos"), serverWaits + serverTimeouts), inProcess,
        inProcessTimeouts, meanMillis(c.get("monitorWaits.nanos"), inProcess + inProcessTimeouts),
        c.by("fallbacks."), c.by("modeSwitches."), t.readersWaitingPeak, t.connectionsInWaitPeak,
        Stats.of(t.writeNanos), after, other, Stats.of(t.failedReadNanos),
        new Ratios(ratio(after.p50(), naiveAfter == null ? null : naiveAfter.p50()),
            ratio(after.p99(), naiveAfter == null ? null : naiveAfter.p99()),
            ratio(other.p50(), naiveOther == null ? null : naiveOther.p50()),
            ratio(other.p99(), naiveOther == null ? null : naiveOther.p99()),
            ratio(primaryPerSecond, primaryBase)),
        t.afterWriteOk == 0 ? null
            : Stats.round(t.afterWriteOnReplica / (double) t.afterWriteOk));
  }

  /** Stale reads of both kinds. */
  long stale() {
    return staleAfterWrite + staleOther;
  }

  private static double primaryReadsPerSecond(Tally t) {
    return perSecond(t.readsByTarget.getOrDefault(CountingMetrics.PRIMARY, 0L), t.seconds);
  }

  private static double perSecond(long n, double seconds) {
    return seconds <= 0 ? 0 : Math.round(n / seconds * 10) / 10.0;
  }

  private static Double perRead(long n, long reads) {
    return reads == 0 ? null : Stats.round(n / (double) reads);
  }

  private static Double meanMillis(long nanos, long n) {
    return n == 0 ? null : Stats.round(nanos / 1e6 / n);
  }

  private static Double ratio(double value, Double base) {
    if (base == null || !(base > 0) || !Double.isFinite(value)) {
      return null;
    }
    return Math.round(value / base * 100) / 100.0;
  }
}
