package dev.catchup.bench.harness;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * A results Markdown file being written, with the parts every harness's file has: the title and
 * the command that wrote it, the machine and the parameters. The harness writes its own sections
 * between and after them.
 */
public final class ResultsMarkdown {
  /** The machine note of the harnesses that report the load average's meaning. */
  public static final String CORES_AND_LOAD = "The servers, the monitor and the benchmark's "
      + "clients share these cores; the load average shows other work on the machine.";

  private final StringBuilder md = new StringBuilder();

  /** {@code String.format} in {@link Locale#ROOT}, so that figures look the same everywhere. */
  public static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  public ResultsMarkdown append(String text) {
    md.append(text);
    return this;
  }

  public ResultsMarkdown append(char c) {
    md.append(c);
    return this;
  }

  /**
   * The title, then the command, when and how long, and where the same figures are.
   *
   * @param sameFigures how the JSON file relates, e.g. {@code "the same figures"}
   */
  public void head(String title, RunOptions o, Instant started, double seconds, String jsonFile,
      String sameFigures) {
    md.append("# ").append(title).append("\n\n");
    md.append(fmt("Written by `%s` on %s (%d s). Every figure below comes from that run; %s are in "
            + "[`%s`](%s).\n\n", o.invokedAs(), started.truncatedTo(ChronoUnit.SECONDS),
        Math.round(seconds), sameFigures, jsonFile, jsonFile));
  }

  /** The machine section, ending with {@code note}. */
  public void machine(Machine m, String note) {
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
  public void parameters(Map<String, Object> parameters) {
    md.append("## Parameters\n\n| parameter | value |\n|---|---|\n");
    parameters.forEach(this::row);
    md.append('\n');
  }

  private void row(String name, Object value) {
    md.append("| ").append(name).append(" | ").append(value).append(" |\n");
  }

  @Override
  public String toString() {
    return md.toString();
  }
}
