package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.Stats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One slice of one strategy: {@code threads} client threads, each with a session of its own, loop
 * until the slice's time is up: write one of the thread's rows with a new value, read it back at
 * once, read {@code otherReads} catalog rows, think. Every read is checked independently of the
 * strategy: the row just written against the value the thread wrote, a catalog row against the
 * primary's value ({@link Catalog}). Counters (the strategy's own, the wire's, the servers'
 * {@code Com_select}) are taken before and after; peaks are exact, not sampled.
 */
final class Workload {
  /** First id of the workload's own rows; each slice takes a fresh block. */
  static final long ID_BASE = 2_000_000_000L;
  /** Rows each thread writes in turn: the first pass inserts them, later passes update them. */
  static final int ROWS_PER_THREAD = 8;
  /** Past the slice's end, how long threads may take to finish their current cycle. */
  private static final Duration FINISH_MARGIN = Duration.ofMinutes(2);

  /**
   * What a slice runs.
   *
   * @param threads client threads, one session each
   * @param otherReads catalog reads after each read-after-write
   * @param duration how long threads start new cycles
   * @param think pause at the end of each cycle
   * @param idBase first id of this slice's rows ({@link #ROWS_PER_THREAD} per thread)
   */
  record Plan(int threads, int otherReads, Duration duration, Duration think, long idBase) {}

  private Workload() {}

  static Tally run(Strategy strategy, Plan plan, Catalog catalog, AtomicLong values,
      ComSelect comSelect) throws SQLException, InterruptedException {
    CountingMetrics.Counts routingBefore = strategy.metrics().snapshot();
    Map<String, Long> wireBefore = WireCounter.snapshot();
    Map<String, Long> selectsBefore = comSelect.read();
    WireCounter.takePeakInWait();
    strategy.metrics().drainWaits();
    ExecutorService pool = Executors.newFixedThreadPool(plan.threads(), r -> {
      Thread th = new Thread(r, "bench-client");
      th.setDaemon(true);
      return th;
    });
    Tally total = new Tally();
    try {
      CountDownLatch go = new CountDownLatch(1);
      long[] deadline = new long[1];
      List<Future<Tally>> futures = new ArrayList<>();
      for (int i = 0; i < plan.threads(); i++) {
        long firstRow = plan.idBase() + (long) i * ROWS_PER_THREAD;
        futures.add(pool.submit(() -> {
          go.await();
          return cycles(strategy, plan, firstRow, deadline[0], catalog, values);
        }));
      }
      long start = System.nanoTime();
      deadline[0] = start + plan.duration().toNanos();
      go.countDown(); // publishes deadline[0] to the threads
      long limit = plan.duration().plus(FINISH_MARGIN).toNanos();
      for (Future<Tally> f : futures) {
        try {
          total.merge(f.get(Math.max(1, limit - (System.nanoTime() - start)), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
          throw new IllegalStateException(strategy.id() + ": a client thread failed: " + e.getCause(),
              e.getCause());
        } catch (TimeoutException e) {
          throw new IllegalStateException(strategy.id() + ": a client thread did not finish within "
              + FINISH_MARGIN + " after the slice ended", e);
        }
      }
      total.seconds = (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdownNow();
    }
    total.readersWaitingPeak = strategy.metrics().drainWaits();
    total.connectionsInWaitPeak = WireCounter.takePeakInWait();
    total.routing = strategy.metrics().snapshot().minus(routingBefore);
    total.wire.putAll(minus(WireCounter.snapshot(), wireBefore));
    total.comSelect.putAll(minus(comSelect.read(), selectsBefore));
    return total;
  }

  private static Tally cycles(Strategy strategy, Plan plan, long firstRow, long deadline,
      Catalog catalog, AtomicLong values) {
    Strategy.Client client = strategy.newClient();
    CountingMetrics metrics = strategy.metrics();
    Tally t = new Tally();
    long n = 0;
    while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
      long id = firstRow + n++ % ROWS_PER_THREAD;
      long v = values.incrementAndGet();
      long start = System.nanoTime();
      try {
        client.write(id, v);
      } catch (SQLException e) {
        t.writeFailed(e);
        continue;
      }
      Stats.record(t.writeNanos, System.nanoTime() - start);
      read(client, metrics, t, Tally.ReadKind.AFTER_WRITE, id, v);
      for (int k = 0; k < plan.otherReads(); k++) {
        int i = catalog.pick();
        read(client, metrics, t, Tally.ReadKind.OTHER, catalog.id(i), catalog.value(i));
      }
      t.cycles++;
      if (!plan.think().isZero()) {
        try {
          Thread.sleep(plan.think().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // the run is being stopped: end the loop
        }
      }
    }
    return t;
  }

  /**
   * One read, timed from asking for the connection to closing it. Where it ran is asked after the
   * SELECT: Catchup routes a read connection at its first statement.
   */
  private static void read(Strategy.Client client, CountingMetrics metrics, Tally t,
      Tally.ReadKind kind, long id, long expected) {
    long start = System.nanoTime();
    long got;
    String target;
    try (Connection c = client.readConnection()) {
      got = BenchTable.read(c, id);
      target = metrics.lastTarget();
    } catch (SQLException | RuntimeException e) {
      t.readFailed(kind, System.nanoTime() - start, e);
      return;
    }
    t.read(kind, System.nanoTime() - start, target == null ? "unknown" : target, got != expected);
  }

  /** {@code after - before}, key by key, zeros left out. */
  static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        out.put(k, d);
      }
    });
    return out;
  }
}
