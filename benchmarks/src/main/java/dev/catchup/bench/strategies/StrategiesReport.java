package dev.catchup.bench.strategies;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.catchup.bench.harness.Machine;
import dev.catchup.bench.harness.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    Map<String, String> strategies, List<FlavorResult> flavors) {
  static final String MARKDOWN = "strategies.md";
  static final String JSON = "strategies.json";

  /**
   * Everything measured on one flavor.
   *
   * @param flavor mysql or mariadb
   * @param serverVersion the primary's {@code VERSION()}
   * @param replicas replicas in the topology
   * @param delays per replication delay, in the order run
   */
  record FlavorResult(String flavor, String serverVersion, int replicas, List<DelayResult> delays) {}

  /**
   * Every strategy at one replication delay.
   *
   * @param delaySeconds the delay every replica was configured with
   * @param observedApplyMillis from a probe write's commit reply to its visibility on each
   *     replica, measured before the strategies ran ({@link ApplyProbe})
   * @param strategies per strategy, in the order of {@link StrategiesReport#strategies}
   */
  record DelayResult(int delaySeconds, Stats observedApplyMillis, List<StrategyResult> strategies) {}

  /** Writes both files into {@code dir}. */
  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("generatedAt", started.truncatedTo(ChronoUnit.SECONDS).toString());
    json.put("command", options.invokedAs());
    json.put("durationSeconds", Math.round(seconds));
    json.put("machine", machine);
    json.put("parameters", options.describe());
    json.put("strategies", strategies);
    json.put("flavors", flavors);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(dir.resolve(JSON), mapper.writeValueAsString(json) + "\n");
    Files.writeString(dir.resolve(MARKDOWN), new StrategiesMarkdown(this).render());
  }

  static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
