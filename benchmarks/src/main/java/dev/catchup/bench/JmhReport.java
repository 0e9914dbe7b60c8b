package dev.catchup.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.catchup.bench.harness.Results;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Joins the JMH JSON result files of the modules' benchmarks into one and writes it with a Markdown
 * table, the machine and the command beside it, so that no figure in the README is typed by hand.
 *
 * <p>Usage: {@code JmhReport <out.json> <out.md> <title> <command> <started> <jmh.json>...}, where
 * {@code started} is when the JMH runs began, in seconds since the epoch ({@code date +%s}): the
 * header says how long the run took, as the other results files do.
 */
public final class JmhReport {
  private JmhReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 6 || !args[4].matches("\\d+")) {
      System.err.println("usage: JmhReport <out.json> <out.md> <title> <command that produced it> "
          + "<started, seconds since the epoch> <jmh.json>...");
      System.exit(2);
    }
    Instant started = Instant.ofEpochSecond(Long.parseLong(args[4]));
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode runs = mapper.createArrayNode();
    for (int i = 5; i < args.length; i++) {
      runs.addAll((ArrayNode) mapper.readTree(Path.of(args[i]).toFile()));
    }
    Path json = Path.of(args[0]);
    mapper.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), runs);
    StringBuilder md = new StringBuilder();
    md.append(header(args[2], args[3], started, Instant.now()));
    md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(cpuModel()).append(", Java ").append(System.getProperty("java.version"))
        .append(" (").append(System.getProperty("java.vm.name")).append(").\n\n");
    md.append("| benchmark | mode | score | error (99.9%) | unit | forks x iterations |\n");
    md.append("|---|---|---:|---:|---|---|\n");
    for (JsonNode run : runs) {
      String name = run.get("benchmark").asText();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      JsonNode params = run.get("params");
      if (params != null && params.size() > 0) {
        StringBuilder p = new StringBuilder();
        params.fields().forEachRemaining(e -> p.append(p.length() == 0 ? "" : ", ")
            .append(e.getKey()).append('=').append(e.getValue().asText()));
        name += " (" + p + ")";
      }
      JsonNode primary = run.get("primaryMetric");
      md.append("| ").append(name)
          .append(" | ").append(run.get("mode").asText())
          .append(" | ").append(format(primary.get("score").asDouble()))
          .append(" | ").append(primary.get("scoreError").isNumber()
              ? "± " + format(primary.get("scoreError").asDouble()) : "n/a")
          .append(" | ").append(primary.get("scoreUnit").asText())
          .append(" | ").append(run.get("forks").asInt()).append(" x ")
          .append(run.get("measurementIterations").asInt()).append(" |\n");
    }
    md.append("\nRaw JMH output: `").append(json.getFileName()).append("` beside this file.\n");
    Files.writeString(Path.of(args[1]), md.toString());
  }

  /**
   * The title, then the command, when the run started and how long it took, in the words of the
   * other results files: "Written by `cmd` on 2026-12-05T12:19:13Z (212 s)."
   */
  static String header(String title, String command, Instant started, Instant finished) {
    long seconds = Math.max(0, Duration.between(started, finished).toSeconds());
    return Results.title(title, command, started, seconds) + "\n\n";
  }

  private static String format(double v) {
    return v >= 100 ? Results.fmt("%,.0f", v) : Results.fmt("%.2f", v);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the core count and JVM still describe the machine.
    }
    return "unknown CPU";
  }
}
