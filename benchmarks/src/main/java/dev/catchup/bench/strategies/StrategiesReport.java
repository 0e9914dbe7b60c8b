package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.Launcher;
import dev.catchup.bench.harness.Machine;
import dev.catchup.bench.harness.MeasuredFlavor;
import dev.catchup.bench.harness.Results;
import dev.catchup.bench.harness.Stats;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The results of one run, written twice from the same values: {@code strategies.json} for machines
 * and {@code strategies.md} for people. Nothing in either is typed by hand.
 *
 * @param options the run's parameters
 * @param machine where it ran
 * @param started when it started
 * @param seconds how long it took, topologies included
 * @param strategies id to description of every strategy run
 * @param flavors per flavor, every figure
 */
record StrategiesReport(StrategiesOptions options, Machine machine, Instant started, double seconds,
    Map<String, String> strategies, List<FlavorResult> flavors) implements Launcher.Report {
  @Override
  public String name() {
    return "strategies";
  }

  /**
   * Everything measured on one flavor.
   *
   * @param flavor mysql or mariadb
   * @param serverVersion the primary's {@code VERSION()}
   * @param replicas replicas in the topology
   * @param delays per replication delay, in the order run
   */
  record FlavorResult(String flavor, String serverVersion, int replicas, List<DelayResult> delays)
      implements MeasuredFlavor {}

  /**
   * Every strategy at one replication delay.
   *
   * @param delaySeconds the delay every replica was configured with
   * @param observedApplyMillis from a probe write's commit reply to its visibility on each
   *     replica, measured before the strategies ran ({@link ApplyProbe})
   * @param strategies per strategy, in the order of {@link StrategiesReport#strategies}
   */
  record DelayResult(int delaySeconds, Stats observedApplyMillis, List<StrategyResult> strategies) {}

  @Override
  public void render(Results out) {
    new StrategiesMarkdown(this, out.json("strategies", strategies).json("flavors", flavors)).render();
  }
}
