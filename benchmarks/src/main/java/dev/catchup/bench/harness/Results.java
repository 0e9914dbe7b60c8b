package dev.catchup.bench.harness;

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
import java.util.stream.Collectors;

/**
 * A run's results files being written, for every harness: {@code <name>.json} for machines and
 * {@code <name>.md} for people, from the same values, nothing in either typed by hand. Both start
 * with what every run records (the command, when and how long, the machine, the parameters); the
 * harness adds its figures to the JSON and writes its Markdown sections and tables between and
 * after the common ones.
 */
public final class Results {
  /** The machine note of the harnesses that report the load average's meaning. */
  public static final String CORES_AND_LOAD = "The servers, the monitor and the benchmark's "
      + "clients share these cores; the load average shows other work on the machine.";

  private final String name;
  private final RunOptions options;
  private final Machine machine;
  private final Instant started;
  private final double seconds;
  private final Map<String, Object> json = new LinkedHashMap<>();
  private final StringBuilder md = new StringBuilder();

  /**
   * @param name the files' name without extension, e.g. {@code strategies}
   * @param options the run's options (command and parameters)
   * @param machine where it ran
   * @param started when it started
   * @param seconds how long it took
   */
  public Results(String name, RunOptions options, Machine machine, Instant started,
      double seconds) {
    this.name = name;
    this.options = options;
    this.machine = machine;
    this.started = started;
    this.seconds = seconds;
    json.put("generatedAt", started.truncatedTo(ChronoUnit.SECONDS).toString());
    json.put("command", options.invokedAs());
    json.put("durationSeconds", Math.round(seconds));
    json.put("machine", machine);
    json.put("parameters", options.describe());
  }

  /** {@code String.format} in {@link Locale#ROOT}, so that figures look the same everywhere. */
  public static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  /** {@code key value, key value}, or {@code none} for an empty or missing map. */
  public static String counts(Map<String, ?> m, String none) {
    return m == null || m.isEmpty() ? none : m.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  /** Three decimals (microseconds of a time in milliseconds), {@code -} for none. */
  public static String num3(Double v) {
    return v == null || v.isNaN() ? "-" : fmt("%.3f", v);
  }

  /** {@code p50 / p99} in {@link #num3}. */
  public static String p50p99(Stats s) {
    return num3(s.p50()) + " / " + num3(s.p99());
  }

  /** Adds a top-level field to the JSON file, after the common ones. */
  public Results json(String field, Object value) {
    json.put(field, value);
    return this;
  }

  /** Appends Markdown text. */
  public Results append(String text) {
    md.append(text);
    return this;
  }

  /**
   * The page every harness writes: the head ({@link #head}), {@code top} (the harness's summary),
   * the machine ending with {@code machineNote}, the parameters, then {@code rest}.
   */
  public void page(String title, String sameFigures, Runnable top, String machineNote,
      Runnable rest) {
    head(title, sameFigures);
    top.run();
    machine(machineNote);
    parameters();
    rest.run();
  }

  /**
   * The title, then the command, when and how long, and where the same figures are.
   *
   * @param sameFigures how the JSON file relates, e.g. {@code "the same figures"}
   */
  public void head(String title, String sameFigures) {
    String file = name + ".json";
    md.append(title(title, options.invokedAs(), started, Math.round(seconds)));
    md.append(fmt(" Every figure below comes from that run; %s are in [`%s`](%s).\n\n",
        sameFigures, file, file));
  }

  /**
   * A results file's title and first sentence, for every results file: "Written by `cmd` on
   * 2026-12-05T12:19:13Z (212 s)."
   */
  public static String title(String title, String command, Instant started, long seconds) {
    return fmt("# %s\n\nWritten by `%s` on %s (%d s).", title, command,
        started.truncatedTo(ChronoUnit.SECONDS), seconds);
  }

  /** The machine section, ending with {@code note}. */
  public void machine(String note) {
    Machine m = machine;
    md.append("## Machine\n\n| | |\n|---|---|\n");
    row("cores", m.cores());
    row("CPU", m.cpuModel());
    row("memory", m.memory());
    row("OS", m.os());
    row("Java", m.java());
    m.servers().forEach((flavor, version) -> row(flavor + " server", version));
    m.libraries().forEach(this::row);
    row("source revision", m.revision());
    row("load average at start", m.loadAverageAtStart());
    row("load average at end", m.loadAverageAtEnd());
    md.append('\n').append(note).append("\n\n");
  }

  /** The parameters section: every parameter's name and value. */
  public void parameters() {
    md.append("## Parameters\n\n");
    table("parameter", "value");
    options.describe().forEach(this::row);
    md.append('\n');
  }

  /**
   * A table's header: the columns' titles, a title starting with {@code >} for a right-aligned
   * (numeric) column.
   */
  public void table(String... columns) {
    StringBuilder align = new StringBuilder("|");
    md.append('|');
    for (String c : columns) {
      boolean right = c.startsWith(">");
      md.append(' ').append(right ? c.substring(1) : c).append(" |");
      align.append(right ? "---:|" : "---|");
    }
    md.append('\n').append(align).append('\n');
  }

  /** A table's row. */
  public void row(Object... cells) {
    md.append('|');
    for (Object c : cells) {
      md.append(' ').append(c).append(" |");
    }
    md.append('\n');
  }

  /** A table's row from one format: {@code cells} is the cells' {@link #fmt} pattern, joined by {@code " | "}. */
  public void rowf(String cells, Object... args) {
    md.append("| ").append(fmt(cells, args)).append(" |\n");
  }

  /**
   * Writes both files into {@code dir}, creating it.
   *
   * @return the files written, Markdown first
   */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path jsonFile = dir.resolve(name + ".json");
    Path mdFile = dir.resolve(name + ".md");
    Files.writeString(jsonFile, mapper.writeValueAsString(json) + "\n");
    Files.writeString(mdFile, md.toString());
    return List.of(mdFile, jsonFile);
  }
}
