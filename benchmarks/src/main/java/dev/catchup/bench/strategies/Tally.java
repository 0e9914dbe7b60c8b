package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.Stats;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one strategy did: raw samples and counts, first per client thread, then merged over the
 * threads of a slice and over the slices of a run. Mutable and confined: each thread fills its
 * own, and merging happens on one thread after they finished.
 */
final class Tally {
  /** Whether a read follows the session's write at once, or is one of the other reads. */
  enum ReadKind { AFTER_WRITE, OTHER }

  long cycles;
  double seconds;
  long writeFailures;
  /** Times in nanoseconds. */
  final Histogram writeNanos = Stats.histogram();
  final Histogram afterWriteNanos = Stats.histogram();
  final Histogram otherNanos = Stats.histogram();
  final Histogram failedReadNanos = Stats.histogram();
  long afterWriteReads;
  long otherReads;
  long afterWriteStale;
  long otherStale;
  long afterWriteFailed;
  /** Successful reads of the row just written, and those of them that ran on a replica. */
  long afterWriteOk;
  long afterWriteOnReplica;
  long otherFailed;
  /** Failed reads and writes by what was attempted and the exception's class. */
  final Map<String, Long> failures = new TreeMap<>();
  /** Successful reads by where they ran: a replica's name or {@code primary}. */
  final Map<String, Long> readsByTarget = new TreeMap<>();
  int readersWaitingPeak;
  int connectionsInWaitPeak;
  CountingMetrics.Counts routing = CountingMetrics.Counts.NONE;
  final Map<String, Long> wire = new TreeMap<>();
  final Map<String, Long> comSelect = new TreeMap<>();
  /** An example of each failure kind, for the log. */
  final Map<String, String> failureExamples = new TreeMap<>();

  void read(ReadKind kind, long nanos, String target, boolean stale) {
    Stats.record(kind == ReadKind.AFTER_WRITE ? afterWriteNanos : otherNanos, nanos);
    readsByTarget.merge(target, 1L, Long::sum);
    if (kind == ReadKind.AFTER_WRITE) {
      afterWriteReads++;
      afterWriteStale += stale ? 1 : 0;
      afterWriteOk++;
      afterWriteOnReplica += CountingMetrics.PRIMARY.equals(target) ? 0 : 1;
    } else {
      otherReads++;
      otherStale += stale ? 1 : 0;
    }
  }

  void readFailed(ReadKind kind, long nanos, Exception e) {
    Stats.record(failedReadNanos, nanos);
    if (kind == ReadKind.AFTER_WRITE) {
      afterWriteReads++;
      afterWriteFailed++;
    } else {
      otherReads++;
      otherFailed++;
    }
    failed("read " + e.getClass().getSimpleName(), e);
  }

  void writeFailed(Exception e) {
    writeFailures++;
    failed("write " + e.getClass().getSimpleName(), e);
  }

  private void failed(String key, Exception e) {
    failures.merge(key, 1L, Long::sum);
    failureExamples.putIfAbsent(key, String.valueOf(e.getMessage()));
  }

  /** Adds {@code o} into this. */
  void merge(Tally o) {
    cycles += o.cycles;
    seconds += o.seconds;
    writeFailures += o.writeFailures;
    writeNanos.add(o.writeNanos);
    afterWriteNanos.add(o.afterWriteNanos);
    otherNanos.add(o.otherNanos);
    failedReadNanos.add(o.failedReadNanos);
    afterWriteReads += o.afterWriteReads;
    otherReads += o.otherReads;
    afterWriteStale += o.afterWriteStale;
    otherStale += o.otherStale;
    afterWriteFailed += o.afterWriteFailed;
    afterWriteOk += o.afterWriteOk;
    afterWriteOnReplica += o.afterWriteOnReplica;
    otherFailed += o.otherFailed;
    o.failures.forEach((k, v) -> failures.merge(k, v, Long::sum));
    o.failureExamples.forEach(failureExamples::putIfAbsent);
    o.readsByTarget.forEach((k, v) -> readsByTarget.merge(k, v, Long::sum));
    readersWaitingPeak = Math.max(readersWaitingPeak, o.readersWaitingPeak);
    connectionsInWaitPeak = Math.max(connectionsInWaitPeak, o.connectionsInWaitPeak);
    routing = routing.plus(o.routing);
    o.wire.forEach((k, v) -> wire.merge(k, v, Long::sum));
    o.comSelect.forEach((k, v) -> comSelect.merge(k, v, Long::sum));
  }
}
