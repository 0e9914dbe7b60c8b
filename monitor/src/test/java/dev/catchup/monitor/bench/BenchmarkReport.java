package dev.catchup.monitor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

  /**
   * The machine.
   *
   * @param cores processors the JVM sees (the servers and the monitor share them)
   * @param cpuModel from /proc/cpuinfo
   * @param memory total, from /proc/meminfo
   * @param os name, version and architecture
   * @param java version and VM
   * @param servers server version per flavor
   * @param loadAverageAtStart /proc/loadavg when the run started: other work on the machine shows
   */
  record Machine(int cores, String cpuModel, String memory, String os, String java,
      Map<String, String> servers, String loadAverageAtStart) {
    /** The load average now, to be taken before anything starts. */
    static String loadAverage() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
    }

    static Machine describe(List<FlavorResult> results, String loadAverageAtStart) {
      Map<String, String> servers = new LinkedHashMap<>();
      results.forEach(r -> servers.put(r.flavor(), r.serverVersion()));
      return new Machine(Runtime.getRuntime().availableProcessors(), procField("/proc/cpuinfo", "model name"),
          memory(procField("/proc/meminfo", "MemTotal")),
          System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
              + System.getProperty("os.arch") + ")",
          System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
              + System.getProperty("java.vendor") + ")", servers, loadAverageAtStart);
    }

    private static String memory(String kb) {
      try {
        return BenchmarkReport.fmt("%.1f GiB", Long.parseLong(kb.replace("kB", "").strip()) / 1048576.0);
      } catch (NumberFormatException e) {
        return kb;
      }
    }

    private static String procField(String file, String field) {
      try {
        for (String line : Files.readAllLines(Path.of(file))) {
          if (line.startsWith(field)) {
            return line.substring(line.indexOf(':') + 1).strip();
          }
        }
      } catch (IOException e) {
        return "unknown (" + e.getMessage() + ")";
      }
      return "unknown";
    }
  }

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
