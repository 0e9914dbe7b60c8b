package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.Progress;
import dev.catchup.bench.harness.Stats;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.Monitor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The monitor's cost as the write rate grows: for each rate (200, 2,000 and as fast as the
 * writers go, by default), {@code K} connections write single-row autocommit transactions for a
 * fixed time, then the run waits until the monitor confirmed the last one on every server. Per
 * rate: the confirmation reads per transaction (each server's {@code Com_select} increase: the
 * tracker's reads are its only SELECTs there) and the CPU of the tracker and binlog feed threads
 * per 1,000 transactions per server. The tracker confirms once per burst of events, so the reads
 * per transaction fall as transactions arrive closer together.
 */
final class WriteRateBenchmark {
  /**
   * One rate.
   *
   * @param targetPerSecond the rate asked for, 0 for as fast as the writers go
   * @param achievedPerSecond transactions divided by the writing time
   * @param transactions transactions written
   * @param readsPerTransaction per server, confirmation reads (SELECTs) per transaction
   * @param trackerCpuMillisPer1000 tracker threads' CPU per 1,000 transactions per server
   * @param feedCpuMillisPer1000 binlog feed threads' CPU per 1,000 transactions per server
   */
  record Rate(int targetPerSecond, double achievedPerSecond, long transactions,
      Map<String, Double> readsPerTransaction, double trackerCpuMillisPer1000,
      double feedCpuMillisPer1000) {}

  private WriteRateBenchmark() {}

  static List<Rate> run(Topology t, Monitor monitor, BenchmarkOptions o, Progress progress)
      throws Exception {
    List<Server> all = new ArrayList<>();
    all.add(t.primary());
    all.addAll(t.replicas());
    Map<String, Connection> status = new LinkedHashMap<>();
    List<Connection> writers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(o.costWriters(), r -> {
      Thread th = new Thread(r, "bench-rate-writer");
      th.setDaemon(true);
      return th;
    });
    try {
      for (Server s : all) {
        status.put(s.name(), t.connect(s)); // before the first count: a connect SELECTs too
      }
      for (int i = 0; i < o.costWriters(); i++) {
        writers.add(t.connect(t.primary()));
      }
      List<Rate> rates = new ArrayList<>();
      Connection primary = status.get(t.primary().name());
      write(pool, writers, 500, Duration.ofMillis(500)); // warm-up: JIT, connections
      awaitAll(t, primary, monitor);
      for (int target : o.costRates()) {
        progress.say("write rate: %s for %d s from %d connections",
            target == 0 ? "as fast as they go" : target + " tx/s", o.costSeconds(), writers.size());
        Map<String, Long> selects0 = BenchTable.comSelect(status);
        CpuBenchmarkMeter.Snapshot cpu0 = CpuBenchmarkMeter.take();
        long start = System.nanoTime();
        long written = write(pool, writers, target, Duration.ofSeconds(o.costSeconds()));
        double seconds = (System.nanoTime() - start) / 1e9;
        awaitAll(t, primary, monitor);
        CpuBenchmarkMeter.Snapshot cpu1 = CpuBenchmarkMeter.take();
        Map<String, Long> selects1 = BenchTable.comSelect(status);
        Map<String, Double> cpu = CpuBenchmarkMeter.grouped(cpu0, cpu1, CpuBenchmarkMeter.GROUPS);
        double perServer = written * (double) all.size() / 1000;
        Map<String, Double> reads = new LinkedHashMap<>();
        // The primary's count includes the one SELECT of its executed set made to await it.
        selects1.forEach((server, n) -> reads.put(server,
            Math.round((n - selects0.get(server)) * 10_000.0 / written) / 10_000.0));
        Rate r = new Rate(target, Math.round(written / seconds * 10) / 10.0, written, reads,
            Stats.round(cpu.getOrDefault("tracker", 0.0) / perServer),
            Stats.round(cpu.getOrDefault("binlog feed", 0.0) / perServer));
        progress.say("write rate: %.0f tx/s achieved; confirmation reads per tx %s; tracker CPU "
            + "%.1f ms per 1000 tx per server", r.achievedPerSecond(), reads,
            r.trackerCpuMillisPer1000());
        rates.add(r);
      }
      return rates;
    } finally {
      pool.shutdownNow();
      for (Connection c : writers) {
        c.close();
      }
      for (Connection c : status.values()) {
        c.close();
      }
    }
  }

  /** Writes at {@code perSecond} in all (0: unpaced) from every connection for {@code d}. */
  private static long write(ExecutorService pool, List<Connection> writers, int perSecond,
      Duration d) throws Exception {
    AtomicInteger n = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + d.toNanos();
    long interval = perSecond == 0 ? 0 : 1_000_000_000L * writers.size() / perSecond;
    List<Future<Long>> done = new ArrayList<>();
    for (int w = 0; w < writers.size(); w++) {
      Connection c = writers.get(w);
      long offset = interval * w / writers.size();
      done.add(pool.submit(() -> {
        long count = 0;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + BenchmarkSql.TABLE
            + " (writer, v) VALUES (1, ?)")) {
          for (long next = start + offset; ; next += interval) {
            if (interval > 0) {
              long wait = next - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            }
            if (System.nanoTime() - end >= 0) {
              return count;
            }
            insert.setInt(1, n.incrementAndGet());
            insert.executeUpdate();
            count++;
          }
        }
      }));
    }
    long total = 0;
    for (Future<Long> f : done) {
      total += f.get();
    }
    return total;
  }

  /** Waits until every server's confirmed set holds the primary's executed set. */
  private static void awaitAll(Topology t, Connection primary, Monitor monitor) throws Exception {
    GtidSet target = BenchmarkSql.executed(t, primary, true);
    CommitLatencyBenchmark.awaitConfirmed(monitor.registry(), target);
  }
}
