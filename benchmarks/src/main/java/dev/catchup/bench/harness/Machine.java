package dev.catchup.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The machine and the software a run measured, for the results files.
 *
 * @param cores processors the JVM sees (the servers, the monitor and the clients share them)
 * @param cpuModel from /proc/cpuinfo
 * @param memory total, from /proc/meminfo
 * @param os name, version and architecture
 * @param java version and VM
 * @param servers server version per flavor
 * @param libraries versions of the libraries on the read path, from their Maven metadata
 * @param revision source revision (the scripts pass {@code git rev-parse}-like text)
 * @param loadAverageAtStart /proc/loadavg when the run started: other work on the machine shows
 * @param loadAverageAtEnd /proc/loadavg when it ended
 */
public record Machine(int cores, String cpuModel, String memory, String os, String java,
    Map<String, String> servers, Map<String, String> libraries, String revision,
    String loadAverageAtStart, String loadAverageAtEnd) {

  /** The load average now, or {@code unknown}. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * This machine now.
   *
   * @param flavors what was measured per flavor, for the server versions
   * @param revision the source revision
   * @param loadAtStart {@link #loadAverage()} when the run started
   */
  public static Machine describe(List<? extends MeasuredFlavor> flavors, String revision,
      String loadAtStart) {
    Map<String, String> servers = new LinkedHashMap<>();
    flavors.forEach(f -> servers.put(f.flavor(), f.serverVersion()));
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
            + System.getProperty("java.vendor") + ")", Collections.unmodifiableMap(servers), libraries, revision,
        loadAtStart, loadAverage());
  }

  /** The version in a jar's {@code META-INF/maven/.../pom.properties} (kept by the shade plugin). */
  private static String mavenVersion(String group, String artifact) {
    String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = Machine.class.getResourceAsStream(res)) {
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
      return String.format(Locale.ROOT, "%.1f GiB",
          Long.parseLong(kb.replace("kB", "").strip()) / 1048576.0);
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
