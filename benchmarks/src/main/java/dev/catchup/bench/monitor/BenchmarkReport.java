package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.Launcher;
import dev.catchup.bench.harness.Machine;
import dev.catchup.bench.harness.MeasuredFlavor;
import dev.catchup.bench.harness.Results;
import java.time.Instant;
import java.util.List;

/**
 * The results of one run, written twice from the same values: {@code monitor-bench.json} for
 * machines and {@code monitor-bench.md} for people. Nothing in either is typed by hand.
 *
 * @param options the run's parameters
 * @param machine where it ran
 * @param started when it started
 * @param seconds how long it took
 * @param flavors per flavor, every figure
 */
record BenchmarkReport(BenchmarkOptions options, Machine machine, Instant started, double seconds,
    List<FlavorResult> flavors) implements Launcher.Report {
  @Override
  public String name() {
    return "monitor-bench";
  }

  /**
   * Everything measured on one flavor.
   *
   * @param flavor mysql or mariadb
   * @param serverVersion the primary's {@code VERSION()}
   * @param replicas replicas in the topology
   * @param tailer tailer rounds
   * @param tailerSummary medians of the warm tailer rounds
   * @param latency commit to publish
   * @param fanOut stream fan-out
   * @param writeRates the monitor's cost at each write rate
   */
  record FlavorResult(String flavor, String serverVersion, int replicas,
      List<TailerBenchmark.Round> tailer, TailerBenchmark.Summary tailerSummary,
      CommitLatencyBenchmark.Result latency, FanOutBenchmark.Result fanOut,
      List<WriteRateBenchmark.Rate> writeRates) implements MeasuredFlavor {}

  @Override
  public void render(Results out) {
    new BenchmarkMarkdown(this, out.json("flavors", flavors)).render();
  }
}
