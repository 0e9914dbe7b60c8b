package dev.catchup.bench.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.catchup.bench.harness.Machine;
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
    List<FlavorResult> flavors) {
  static final String MARKDOWN = "monitor-bench.md";
  static final String JSON = "monitor-bench.json";

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
   */
  record FlavorResult(String flavor, String serverVersion, int replicas,
      List<TailerBenchmark.Round> tailer, TailerBenchmark.Summary tailerSummary,
      CommitLatencyBenchmark.Result latency, FanOutBenchmark.Result fanOut) {}

  /** Writes both files into {@code dir}. */
  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("generatedAt", started.truncatedTo(ChronoUnit.SECONDS).toString());
    json.put("command", options.invokedAs());
    json.put("durationSeconds", Math.round(seconds));
    json.put("machine", machine);
    json.put("parameters", options.describe());
    json.put("flavors", flavors);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(dir.resolve(JSON), mapper.writeValueAsString(json) + "\n");
    Files.writeString(dir.resolve(MARKDOWN), new BenchmarkMarkdown(this).render());
  }

  static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
