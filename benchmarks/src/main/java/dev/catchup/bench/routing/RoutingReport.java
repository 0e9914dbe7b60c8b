package dev.catchup.bench.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The results of one run, written twice from the same values: {@code routing-bench.json} for
 * machines and {@code routing-bench.md} for people. Nothing in either is typed by hand.
 *
 * @param options the run's parameters
 * @param machine where it ran
 * @param started when it started
 * @param seconds how long it took
 * @param flavors per flavor, every figure
 */
record RoutingReport(RoutingOptions options, Machine machine, Instant started, double seconds,
    List<FlavorResult> flavors) {
  static final String MARKDOWN = "routing-bench.md";
  static final String JSON = "routing-bench.json";

  /**
   * Everything measured on one flavor.
   *
   * @param flavor mysql or mariadb
   * @param serverVersion the primary's {@code VERSION()}
   * @param replicas replicas in the topology
   * @param covered covered reads at delay 0 (sections 1 and 2)
   * @param afterWrite write-then-read at delay 0, per mode (section 1)
   * @param waits write-then-read at the configured delay, per mode (section 3)
   * @param held many threads at the configured delay, per mode and pool size (section 4)
   */
  record FlavorResult(String flavor, String serverVersion, int replicas, CoveredReads.Result covered,
      List<WriteThenRead.Result> afterWrite, List<WriteThenRead.Result> waits,
      List<WriteThenRead.Result> held) {}

  /**
   * The machine and the software.
   *
   * @param cores processors the JVM sees (the servers, the monitor and the clients share them)
   * @param cpuModel from /proc/cpuinfo
   * @param memory total, from /proc/meminfo
   * @param os name, version and architecture
   * @param java version and VM
   * @param servers server version per flavor
   * @param libraries versions of the libraries on the read path, from their Maven metadata
   * @param revision source revision (the script passes {@code git describe}-like text)
   * @param loadAverageAtStart /proc/loadavg when the run started: other work on the machine shows
   * @param loadAverageAtEnd /proc/loadavg when it ended
   */
  record Machine(int cores, String cpuModel, String memory, String os, String java,
      Map<String, String> servers, Map<String, String> libraries, String revision,
      String loadAverageAtStart, String loadAverageAtEnd) {

    /** The load average now. */
    static String loadAverage() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
    }

    static Machine describe(List<FlavorResult> results, String revision, String loadAtStart) {
      Map<String, String> servers = new LinkedHashMap<>();
      results.forEach(r -> servers.put(r.flavor(), r.serverVersion()));
      Map<String, String> libraries = new LinkedHashMap<>();
      for (String[] ga : new String[][] {{"dev.catchup", "catchup-client-sdk"},
          {"dev.catchup", "catchup-monitor"}, {"com.zaxxer", "HikariCP"}}) {
        libraries.put(ga[1], mavenVersion(ga[0], ga[1]));
      }
      // Connector/J ships no Maven metadata in its jar; it knows its own version.
      libraries.put("mysql-connector-j", com.mysql.cj.Constants.CJ_VERSION);
      return new Machine(Runtime.getRuntime().availableProcessors(),
          procField("/proc/cpuinfo", "model name"), memory(procField("/proc/meminfo", "MemTotal")),
          System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
              + System.getProperty("os.arch") + ")",
          System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
              + System.getProperty("java.vendor") + ")", servers, libraries, revision, loadAtStart,
          loadAverage());
    }

    /** The version in a jar's {@code META-INF/maven/.../pom.properties} (kept by the shade plugin). */
    private static String mavenVersion(String group, String artifact) {
      String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
      try (InputStream in = RoutingReport.class.getResourceAsStream(res)) {
        if (in == null) {
          return "unknown";
        }
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }

    private static String memory(String kb) {
      try {
        return fmt("%.1f GiB", Long.parseLong(kb.replace("kB", "").strip()) / 1048576.0);
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
    Files.writeString(dir.resolve(MARKDOWN), new RoutingMarkdown(this).render());
  }

  static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
