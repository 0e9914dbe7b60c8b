package dev.catchup.bench.harness;

import dev.catchup.testkit.ServerFlavor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags of the harnesses: {@code --name value} pairs, each known and given at most
 * once. Values are checked where they are read, and every message names the flag, the value and
 * the rule.
 */
public final class Flags {
  /** Thrown for {@code --help}: not an error, the caller prints its usage text. */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help", null, false, false);
    }
  }

  /** The flags every harness takes besides its own (see {@link #usage}). */
  private static final List<String> RUN_FLAGS = List.of("--flavor", "--out", "--invoked-as",
      "--revision");

  private final Map<String, String> given;
  private final String[] args;

  private Flags(Map<String, String> given, String[] args) {
    this.given = given;
    this.args = args;
  }

  /**
   * A harness's usage text: its own flags' lines between the flags every harness takes.
   *
   * @param script the script that runs the harness
   * @param markdown the name of the Markdown results file
   * @param own the harness's lines, each indented by two spaces and ending in a newline
   */
  public static String usage(String script, String markdown, String own) {
    return "usage: " + script + " [options]\n"
        + "  --flavor mysql|mariadb|both  servers to measure (default both)\n"
        + own
        + "  --out DIR                    directory for " + markdown + " and .json (default results)\n"
        + """
          --invoked-as TEXT            command line recorded in the results (the script sets it)
          --revision TEXT              source revision recorded in the results (the script sets it)
          --help                       this text
        """;
  }

  /** {@link #parse} with the flags every harness takes added to {@code own}. */
  public static Flags parseRun(String[] args, List<String> own) {
    List<String> known = new ArrayList<>(own);
    known.addAll(RUN_FLAGS);
    return parse(args, known);
  }

  /**
   * Reads {@code args} against the flags in {@code known}.
   *
   * @throws IllegalArgumentException for an unknown flag, a missing value or a flag given twice
   * @throws HelpRequested for {@code --help} or {@code -h}
   */
  public static Flags parse(String[] args, List<String> known) {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new HelpRequested();
      }
      if (!known.contains(flag)) {
        throw new IllegalArgumentException("unknown option '" + flag + "'; see --help");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value; see --help");
      }
      if (given.put(flag, args[++i]) != null) {
        throw new IllegalArgumentException(flag + " given twice");
      }
    }
    return new Flags(given, args.clone());
  }

  /** The flag's text, or {@code dflt} when it was not given. */
  public String text(String flag, String dflt) {
    return given.getOrDefault(flag, dflt);
  }

  /** The flag's integer value in {@code [min, max]}, or {@code dflt} when it was not given. */
  public int integer(String flag, int dflt, int min, int max) {
    String v = given.get(flag);
    return v == null ? dflt : integer(flag, v, min, max);
  }

  /** {@code v} as an integer in {@code [min, max]}; the message names {@code flag}. */
  public static int integer(String flag, String v, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be an integer between " + min + " and " + max
          + ", was '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", was " + n);
    }
    return n;
  }

  /** {@code --out}: where the results files go ({@code results} when not given). */
  public Path outDir() {
    return Path.of(text("--out", "results"));
  }

  /** {@code --invoked-as}: the command line for the results; by default how {@code main} ran. */
  public String invokedAs(Class<?> main) {
    return text("--invoked-as", "java " + main.getName() + " " + String.join(" ", args)).strip();
  }

  /** {@code --revision}: the source revision for the results ({@code unknown} when not given). */
  public String revision() {
    return text("--revision", "unknown");
  }

  /** {@code --flavor}: mysql, mariadb or both (both when not given). */
  public List<ServerFlavor> flavors() {
    String v = given.getOrDefault("--flavor", "both");
    return switch (v) {
      case "mysql" -> List.of(ServerFlavor.MYSQL);
      case "mariadb" -> List.of(ServerFlavor.MARIADB);
      case "both" -> List.of(ServerFlavor.MYSQL, ServerFlavor.MARIADB);
      default -> throw new IllegalArgumentException("--flavor must be mysql, mariadb or both, was '"
          + v + "'");
    };
  }
}
