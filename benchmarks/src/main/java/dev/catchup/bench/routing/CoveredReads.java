package dev.catchup.bench.routing;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.Progress;
import dev.catchup.bench.harness.Stats;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.Monitor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Covered reads: each read's token is already on the replica (and, in monitor mode, already
 * confirmed by the monitor to the SDK) when the read starts. In batches: {@code batch} sessions
 * each write one row, the benchmark waits until the replicas have applied everything the primary
 * committed (on its own connections; in monitor mode until the monitor confirmed it and a probe
 * read saw the SDK's view cover it), then reads every row once, in write order, timing each read.
 * So every read carries a token newer than anything the SDK has confirmed before, as a session does
 * that reads a little after its write; the modes take turns batch by batch so that background
 * noise spreads over all of them. Counters and {@code Com_select} are taken around the reads only.
 */
final class CoveredReads {
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
  private static final long ID_BASE = 1_000_000;

  /**
   * One mode's figures.
   *
   * @param mode the mode's label
   * @param reads reads measured
   * @param readMillis from asking for the connection to closing it, one point SELECT
   * @param p50RatioToRaw median over the raw pool's median (null without a raw mode)
   * @param p99RatioToRaw p99 over the raw pool's p99
   * @param readsByTarget reads per replica name, or {@code primary}
   * @param extraQueries queries routing ran of its own ({@code CatchupMetrics.extraQuery})
   * @param extraQueriesPerRead that per read
   * @param inProcessWaits reads that waited in the process for the monitor
   * @param serverWaits reads that waited (or checked) on a replica with a wait query
   * @param comSelectPerRead per replica, its {@code Com_select} increase over the reads' windows,
   *     divided by the reads measured
   * @param stale reads that returned a value other than the one their session wrote
   * @param failures reads that threw
   * @param routingSwitches switches between following the monitor and asking the servers
   *     directly during the reads, by direction (none expected)
   */
  record ModeResult(String mode, long reads, Stats readMillis, Double p50RatioToRaw,
      Double p99RatioToRaw, Map<String, Long> readsByTarget, long extraQueries,
      Double extraQueriesPerRead, long inProcessWaits, long serverWaits,
      Map<String, Double> comSelectPerRead, long stale, long failures,
      Map<String, Long> routingSwitches) {}

  /**
   * @param batch sessions (rows) per batch
   * @param warmupReads reads per mode before measuring
   * @param measuredReads reads per mode measured
   * @param modes per mode
   */
  record Result(int batch, int warmupReads, int measuredReads, List<ModeResult> modes) {}

  private CoveredReads() {}

  static Result run(Topology t, Monitor monitor, List<Access> accesses, RoutingOptions o,
      Progress progress) throws SQLException, InterruptedException {
    int batch = o.batch();
    int warmupBatches = (o.warmupReads() + batch - 1) / batch;
    int measuredBatches = (o.coveredReads() + batch - 1) / batch;
    List<State> states = new ArrayList<>();
    for (int i = 0; i < accesses.size(); i++) {
      states.add(new State(accesses.get(i), ID_BASE * (i + 1), batch, measuredBatches * batch));
    }
    Map<String, Connection> replicas = new LinkedHashMap<>();
    try (Connection primary = t.connect(t.primary())) {
      for (Server r : t.replicas()) {
        replicas.put(r.name(), t.connect(r));
      }
      long value = System.currentTimeMillis() * 1000; // never seen in the table before
      long reported = System.nanoTime();
      for (int b = 0; b < warmupBatches + measuredBatches; b++) {
        boolean measured = b >= warmupBatches;
        for (int j = 0; j < states.size(); j++) {
          State s = states.get((b + j) % states.size()); // the modes take turns going first
          for (int k = 0; k < batch; k++) {
            s.expected[k] = ++value;
            try (Connection c = s.slots.get(k).write()) {
              BenchTable.write(c, s.idBase + k, s.expected[k]);
            }
          }
          cover(t, monitor, s.access, primary, replicas);
          CountingMetrics m = s.access.metrics();
          CountingMetrics.Counts before = m == null ? CountingMetrics.Counts.NONE : m.snapshot();
          Map<String, Long> selectsBefore = BenchTable.comSelect(replicas);
          for (int k = 0; k < batch; k++) {
            s.read(k, measured);
          }
          if (measured) {
            Map<String, Long> selectsAfter = BenchTable.comSelect(replicas);
            selectsAfter.forEach((r, n) -> s.comSelect.merge(r, n - selectsBefore.get(r), Long::sum));
            if (m != null) {
              s.counts = s.counts.plus(m.snapshot().minus(before));
            }
          }
        }
        if (System.nanoTime() - reported > 5_000_000_000L) {
          reported = System.nanoTime();
          progress.say("  covered reads: batch %d of %d", b + 1, warmupBatches + measuredBatches);
        }
      }
    } finally {
      for (Connection c : replicas.values()) {
        c.close();
      }
    }
    Stats raw = states.stream().filter(s -> s.access.mode() == Mode.RAW).findFirst()
        .map(State::stats).orElse(null);
    List<ModeResult> out = new ArrayList<>();
    for (State s : states) {
      out.add(s.result(raw));
    }
    return new Result(batch, warmupBatches * batch, measuredBatches * batch, out);
  }

  /** Returns once every replica has applied what the primary committed, and the router knows. */
  private static void cover(Topology t, Monitor monitor, Access access, Connection primary,
      Map<String, Connection> replicas) throws SQLException, InterruptedException {
    GtidSet committed = BenchTable.primaryExecuted(t, primary);
    if (access.mode() == Mode.MONITOR) {
      for (String r : replicas.keySet()) {
        try {
          monitor.registry().awaitConfirmed(committed, r, CONFIRM_TIMEOUT)
              .get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          throw new IllegalStateException("the monitor did not confirm " + committed + " on " + r
              + " within " + CONFIRM_TIMEOUT, e);
        }
      }
      access.probe(committed);
    } else {
      for (Map.Entry<String, Connection> e : replicas.entrySet()) {
        BenchTable.awaitApplied(t, e.getKey(), e.getValue(), committed);
      }
    }
  }

  /** One mode's sessions, rows and running figures. */
  private static final class State {
    final Access access;
    final long idBase;
    final List<Access.Slot> slots = new ArrayList<>();
    final long[] expected;
    final Histogram nanos = Stats.histogram();
    final Map<String, Long> targets = new TreeMap<>();
    final Map<String, Long> comSelect = new LinkedHashMap<>();
    CountingMetrics.Counts counts = CountingMetrics.Counts.NONE;
    long stale;
    long failures;

    State(Access access, long idBase, int batch, int measuredReads) {
      this.access = access;
      this.idBase = idBase;
      this.expected = new long[batch];
      for (int k = 0; k < batch; k++) {
        slots.add(access.newSlot());
      }
    }

    void read(int k, boolean measured) {
      long start = System.nanoTime();
      long v;
      try (Connection c = slots.get(k).read()) {
        v = BenchTable.read(c, idBase + k);
      } catch (SQLException e) {
        if (measured) {
          failures++;
        }
        return;
      }
      long end = System.nanoTime();
      if (!measured) {
        return;
      }
      Stats.record(nanos, end - start);
      targets.merge(String.valueOf(access.lastTarget()), 1L, Long::sum);
      if (v != expected[k]) {
        stale++;
      }
    }

    Stats stats() {
      return Stats.of(nanos);
    }

    ModeResult result(Stats raw) {
      Stats st = stats();
      long reads = nanos.getTotalCount() + failures;
      Map<String, Double> perRead = new LinkedHashMap<>();
      comSelect.forEach((r, d) -> perRead.put(r, reads == 0 ? null : Stats.round(d / (double) reads)));
      boolean sdk = access.metrics() != null;
      return new ModeResult(access.mode().label(), reads, st,
          raw == null ? null : Stats.round(st.p50() / raw.p50()),
          raw == null ? null : Stats.round(st.p99() / raw.p99()),
          targets, counts.extraQueries(),
          sdk && reads > 0 ? Stats.round(counts.extraQueries() / (double) reads) : null,
          counts.sum("monitorWaits.reached") + counts.sum("monitorWaits.timedOut"),
          counts.sum("serverWaits.reached") + counts.sum("serverWaits.timedOut"),
          perRead, stale, failures, counts.by("modeSwitches."));
    }
  }
}
