package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.InProcessMonitor;
import dev.catchup.bench.harness.Launcher;
import dev.catchup.bench.harness.Machine;
import dev.catchup.bench.harness.Progress;
import dev.catchup.bench.harness.RawPools;
import dev.catchup.bench.harness.Stats;
import dev.catchup.monitor.Monitor;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ReadPolicy;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Entry point of {@code scripts/bench-strategies.sh}. Per flavor: starts a local topology and the
 * monitor in-process, seeds the catalog, then for each replication delay runs every strategy on
 * the same topology in turns ({@link Workload}), and writes {@code strategies.md} and
 * {@code strategies.json}. Everything it starts is stopped in {@code finally} blocks, and the
 * topology by a shutdown hook on Ctrl-C.
 *
 * <p>Exit codes: 0 done, 1 the run failed, 2 bad arguments.
 */
final class StrategiesBenchmark {
  private static final Duration UP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final int PROBES = 3;

  /** Every strategy's id, in the order the results list them. */
  static final List<String> IDS = ids();

  private StrategiesBenchmark() {}

  public static void main(String[] args) {
    Launcher.main("bench-strategies", args, StrategiesOptions::parse, StrategiesOptions.USAGE,
        StrategiesBenchmark::run);
  }

  /** Starts a topology per flavor, measures, and returns the report (not yet written). */
  static StrategiesReport run(StrategiesOptions o, Progress progress) throws Exception {
    Map<String, String> described = new LinkedHashMap<>();
    Launcher.Measured<StrategiesReport.FlavorResult> m =
        Launcher.eachFlavor(o, progress, t -> measure(t, o, progress, described));
    return new StrategiesReport(o, m.machine(), m.started(), m.seconds(), described, m.flavors());
  }

  /** The report of {@code results}, measured since {@code started}. */
  static StrategiesReport report(StrategiesOptions o, Instant started, String load,
      Progress progress, Map<String, String> described,
      List<StrategiesReport.FlavorResult> results) {
    return new StrategiesReport(o, Machine.describe(results, o.revision(), load), started,
        progress.seconds(), described, results);
  }

  /**
   * Measures every strategy at every delay on a running topology, and leaves its replicas at the
   * last delay measured (the caller stops the topology or puts the delays back).
   *
   * @param described filled with each strategy's id and description
   */
  static StrategiesReport.FlavorResult measure(Topology t, StrategiesOptions o, Progress progress,
      Map<String, String> described) throws Exception {
    String name = Topology.cliName(t.flavor());
    WireCounter.name(t.primary().port(), t.primary().name());
    t.replicas().forEach(r -> WireCounter.name(r.port(), r.name()));
    BenchTable.create(t);
    AtomicLong values = new AtomicLong(System.currentTimeMillis() * 1000); // never used before
    Catalog catalog = Catalog.seed(t, o.catalogRows(), values);
    AtomicLong ids = new AtomicLong(Workload.ID_BASE);
    int pool = o.threads();
    CountingMetrics directMetrics = CountingMetrics.recordingWaits(System::nanoTime);
    CountingMetrics monitorMetrics = CountingMetrics.recordingWaits(System::nanoTime);
    progress.say("%s: starting the monitor in-process", name);
    try (Monitor m = InProcessMonitor.start(t);
         RawPools raw = new RawPools(t, pool, "strategies-", true,
             c -> c.addDataSourceProperty(WireCounter.PROPERTY, WireCounter.VALUE));
         ComSelect comSelect = new ComSelect(t);
         CatchupDataSource direct = CatchupStrategy.dataSource(t, null, pool, directMetrics);
         CatchupDataSource followed = CatchupStrategy.dataSource(t, m, pool, monitorMetrics)) {
      List<Strategy> strategies = select(o.strategies(), all(t, o, raw, direct, directMetrics,
          followed, monitorMetrics));
      strategies.forEach(s -> described.put(s.id(), s.description()));
      List<StrategiesReport.DelayResult> delays = new ArrayList<>();
      boolean warm = false;
      for (int delay : o.delays()) {
        progress.say("%s: replication delay %d s", name, delay);
        for (Server r : t.replicas()) {
          t.setDelay(r, Duration.ofSeconds(delay));
        }
        InProcessMonitor.awaitUp(m.registry(), UP_TIMEOUT);
        InProcessMonitor.awaitFollowing(followed, UP_TIMEOUT);
        awaitCaughtUp(t);
        Stats apply = ApplyProbe.measure(t, PROBES, values);
        progress.say("%s: a write shows on the replicas %.0f ms (median; max %.0f) after its commit",
            name, apply.p50(), apply.max());
        if (!warm && !o.warmup().isZero()) {
          progress.say("%s: warm-up, %d ms per strategy (not measured)", name, o.warmup().toMillis());
          for (Strategy s : strategies) {
            Workload.run(s, plan(o, o.warmup(), ids), catalog, values, comSelect);
          }
          awaitCaughtUp(t);
        }
        warm = true;
        Map<String, Tally> tallies = new LinkedHashMap<>();
        strategies.forEach(s -> tallies.put(s.id(), new Tally()));
        for (int round = 0; round < o.rounds(); round++) {
          progress.say("%s: delay %d s, round %d of %d: %d strategies, %d ms each", name, delay,
              round + 1, o.rounds(), strategies.size(), o.slice().toMillis());
          for (int i = 0; i < strategies.size(); i++) {
            // Each round starts one strategy later, so that no strategy always follows the same one.
            Strategy s = strategies.get((i + round) % strategies.size());
            Tally slice = Workload.run(s, plan(o, o.slice(), ids), catalog, values, comSelect);
            tallies.get(s.id()).merge(slice);
            slice.failureExamples.forEach((k, v) -> progress.say("%s: %s: %s, e.g. %s", name,
                s.id(), k, v));
          }
        }
        List<StrategyResult> figures = StrategyResult.of(strategies, tallies);
        for (StrategyResult s : figures) {
          progress.say("%s: delay %d s: %-36s stale %d + %d, on a replica %s, primary %.1f reads/s,"
                  + " read after write p50 %.2f ms", name, delay, s.id(), s.staleAfterWrite(),
              s.staleOther(), s.replicaShare() == null ? "-"
                  : Math.round(s.replicaShare() * 100) + "%", s.primaryReadsPerSecond(),
              s.afterWriteMillis().p50());
        }
        delays.add(new StrategiesReport.DelayResult(delay, apply, figures));
      }
      return new StrategiesReport.FlavorResult(name, t.version(), t.replicas().size(), delays);
    }
  }

  private static Workload.Plan plan(StrategiesOptions o, Duration length, AtomicLong ids) {
    long base = ids.getAndAdd((long) o.threads() * Workload.ROWS_PER_THREAD);
    return new Workload.Plan(o.threads(), o.otherReads(), length, o.think(), base);
  }

  /** Every strategy, in the order the results list them. */
  private static List<Strategy> all(Topology t, StrategiesOptions o, RawPools raw,
      CatchupDataSource direct, CountingMetrics directMetrics, CatchupDataSource followed,
      CountingMetrics monitorMetrics) {
    List<Strategy> all = new ArrayList<>();
    all.add(new RawStrategy.NaiveSplit(raw));
    all.add(new RawStrategy.PrimaryOnly(raw));
    all.add(new RawStrategy.Sticky(raw, o.sticky(), System::nanoTime));
    all.add(new RawStrategy.ReplicaWait(raw, t.flavor(), o.maxWait()));
    for (boolean monitor : List.of(false, true)) {
      for (ReadPolicy p : List.of(ReadPolicy.WAIT, ReadPolicy.WAIT_THEN_FALLBACK,
          ReadPolicy.FALLBACK_TO_PRIMARY, ReadPolicy.FAIL)) {
        all.add(monitor ? new CatchupStrategy(followed, monitorMetrics, true, p, o.maxWait())
            : new CatchupStrategy(direct, directMetrics, false, p, o.maxWait()));
      }
    }
    if (!all.stream().map(Strategy::id).toList().equals(IDS)) {
      throw new IllegalStateException("strategy ids " + all.stream().map(Strategy::id).toList()
          + " differ from IDS " + IDS);
    }
    return all;
  }

  private static List<String> ids() {
    List<String> ids = new ArrayList<>(List.of(StrategyResult.NAIVE, StrategyResult.PRIMARY_ONLY,
        "sticky-primary", "replica-gtid-wait"));
    for (String suffix : List.of("", "-monitor")) {
      for (String policy : List.of("wait", "wait-then-fallback", "fallback-to-primary", "fail")) {
        ids.add("catchup-" + policy + suffix);
      }
    }
    return List.copyOf(ids);
  }

  /** The strategies named in {@code ids} (checked by the options), all when it is empty. */
  private static List<Strategy> select(List<String> ids, List<Strategy> all) {
    return ids.isEmpty() ? all : all.stream().filter(s -> ids.contains(s.id())).toList();
  }

  private static void awaitCaughtUp(Topology t) throws SQLException {
    for (Server r : t.replicas()) {
      if (!t.awaitCaughtUp(r, CATCH_UP)) {
        throw new IllegalStateException(r.name() + " did not catch up with the primary within "
            + CATCH_UP);
      }
    }
  }
}
