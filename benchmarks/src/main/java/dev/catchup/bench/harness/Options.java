package dev.catchup.bench.harness;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The command line of every harness, parsed against the harness's table of {@link Option}s: each
 * flag known, given at most once and checked against its rule, every message naming the flag, the
 * value and the rule. The same table gives the usage text and the parameters the results record, so
 * a flag's default, range and name in the results are written once.
 */
public final class Options {
  /** Thrown for {@code --help}: not an error, the caller prints its usage text. */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help", null, false, false);
    }
  }

  /** How an option's text is read. */
  public enum Kind { INTEGER, INTEGERS, TEXT, DERIVED }

  /**
   * One option of a harness: its {@code flag} (null for a derived parameter), what its value looks
   * like in the usage text ({@code metavar}), its name in the results' parameters ({@code param},
   * null to leave it out), its default, the range of its integers and its usage text.
   */
  public record Option(Kind kind, String flag, String metavar, String param, String dflt, int min,
      int max, String help) {
    /** An integer in {@code [min, max]}. */
    public static Option integer(String flag, String metavar, String param, int dflt, int min,
        int max, String help) {
      return new Option(Kind.INTEGER, flag, metavar, param, String.valueOf(dflt), min, max, help);
    }

    /** Comma-separated integers, each in {@code [min, max]}, none twice, in the given order. */
    public static Option integers(String flag, String metavar, String param, String dflt, int min,
        int max, String help) {
      return new Option(Kind.INTEGERS, flag, metavar, param, dflt, min, max, help);
    }

    /** Text the harness checks itself. */
    public static Option text(String flag, String metavar, String param, String dflt, String help) {
      return new Option(Kind.TEXT, flag, metavar, param, dflt, 0, 0, help);
    }

    /** A parameter the results record that no flag sets: the harness computes it. */
    public static Option derived(String param) {
      return new Option(Kind.DERIVED, null, null, param, null, 0, 0, null);
    }

    private String usageLine() {
      String rule = switch (kind) {
        case INTEGER -> ", " + min + "-" + max + " (default " + dflt + ")";
        case INTEGERS -> ", each " + min + "-" + max + " (default " + dflt + ")";
        default -> dflt == null ? "" : " (default " + dflt + ")";
      };
      return String.format("  %-28s %s%s%n", flag + " " + metavar, help, rule);
    }
  }

  private static final Option FLAVOR = Option.text("--flavor", "mysql|mariadb|both", "flavors",
      "both", "servers to measure");
  private static final Option OUT = Option.text("--out", "DIR", null, "results",
      "directory for the results files");
  private static final Option INVOKED_AS = Option.text("--invoked-as", "TEXT", null, null,
      "command line recorded in the results (the script sets it)");
  private static final Option REVISION = Option.text("--revision", "TEXT", null, "unknown",
      "source revision recorded in the results (the script sets it)");

  private final List<Option> options;
  private final Map<String, Object> values;
  private final String defaultInvokedAs;

  private Options(List<Option> options, Map<String, Object> values, String defaultInvokedAs) {
    this.options = options;
    this.values = values;
    this.defaultInvokedAs = defaultInvokedAs;
  }

  /** A harness's usage text: its own options between the ones every harness takes. */
  public static String usage(String script, List<Option> own) {
    StringBuilder u = new StringBuilder("usage: " + script + " [options]\n");
    for (Option o : all(own)) {
      if (o.kind != Kind.DERIVED) {
        u.append(o.usageLine());
      }
    }
    return u.append(String.format("  %-28s %s%n", "--help", "this text")).toString();
  }

  /**
   * Reads {@code args} against {@code own} and the options every harness takes, checking each
   * value against its rule.
   *
   * @param main the harness's class, for the command line recorded when no script names it
   * @throws IllegalArgumentException for an unknown flag, a missing or bad value, a flag given twice
   * @throws HelpRequested for {@code --help} or {@code -h}
   */
  public static Options parse(String[] args, List<Option> own, Class<?> main) {
    List<Option> options = all(own);
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new HelpRequested();
      }
      if (options.stream().noneMatch(o -> flag.equals(o.flag))) {
        throw new IllegalArgumentException("unknown option '" + flag + "'; see --help");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value; see --help");
      }
      if (given.put(flag, args[++i]) != null) {
        throw new IllegalArgumentException(flag + " given twice");
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Option o : options) {
      if (o.kind == Kind.DERIVED) {
        continue;
      }
      String v = given.getOrDefault(o.flag, o.dflt);
      values.put(o.flag, switch (o.kind) {
        case INTEGER -> integer(o.flag, v, o.min, o.max);
        case INTEGERS -> integers(o, v);
        default -> v;
      });
    }
    values.put(FLAVOR.flag, flavors((String) values.get(FLAVOR.flag)));
    return new Options(options, values,
        "java " + main.getName() + " " + String.join(" ", args));
  }

  private static List<Option> all(List<Option> own) {
    List<Option> all = new ArrayList<>();
    all.add(FLAVOR);
    all.addAll(own);
    all.addAll(List.of(OUT, INVOKED_AS, REVISION));
    return all;
  }

  private static int integer(String flag, String v, int min, int max) {
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

  private static List<Integer> integers(Option o, String v) {
    return list(o.flag, v, part -> integer(o.flag, part, o.min, o.max));
  }

  /** Comma-separated {@code parts}, each read by {@code one}, none twice, in the given order. */
  private static <T> List<T> list(String flag, String v, Function<String, T> one) {
    List<T> list = new ArrayList<>();
    for (String part : v.split(",", -1)) {
      T t = one.apply(part);
      if (list.contains(t)) {
        throw new IllegalArgumentException(flag + " lists " + part.strip() + " twice");
      }
      list.add(t);
    }
    return List.copyOf(list);
  }

  private static List<Flavor> flavors(String v) {
    return switch (v) {
      case "mysql" -> List.of(Flavor.MYSQL);
      case "mariadb" -> List.of(Flavor.MARIADB);
      case "both" -> List.of(Flavor.MYSQL, Flavor.MARIADB);
      default -> throw new IllegalArgumentException("--flavor must be mysql, mariadb or both, was '"
          + v + "'");
    };
  }

  /** The value of an option of each kind. */
  public int integer(String flag) {
    return (Integer) value(flag);
  }

  @SuppressWarnings("unchecked")
  public List<Integer> integers(String flag) {
    return (List<Integer>) value(flag);
  }

  public String text(String flag) {
    return (String) value(flag);
  }

  /**
   * A text option read as comma-separated constants of {@code type}, named in lower case, none
   * twice, in the given order.
   */
  public <E extends Enum<E>> List<E> enums(String flag, Class<E> type) {
    String v = text(flag);
    return list(flag, v, part -> {
      try {
        return Enum.valueOf(type, part.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(flag + " must list " + String.join(" or ",
            Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList()) + ", was '" + v + "'");
      }
    });
  }

  private Object value(String flag) {
    if (!values.containsKey(flag)) {
      throw new IllegalArgumentException("no option " + flag); // a harness asking for a typo
    }
    return values.get(flag);
  }

  /** What every harness takes: the servers to measure, in order, ... */
  @SuppressWarnings("unchecked")
  public List<Flavor> flavors() {
    return (List<Flavor>) values.get(FLAVOR.flag);
  }

  /** ... where the results files go, ... */
  public Path outDir() {
    return Path.of(text(OUT.flag));
  }

  /** ... the command line for the results (by default how {@code main} ran) ... */
  public String invokedAs() {
    return Objects.requireNonNullElse(text(INVOKED_AS.flag), defaultInvokedAs).strip();
  }

  /** ... and the source revision for the results. */
  public String revision() {
    return text(REVISION.flag);
  }

  /**
   * Name and value of every parameter, for the results, in the table's order.
   *
   * @param derived the values of the {@link Option#derived} parameters
   */
  public Map<String, Object> parameters(Map<String, Object> derived) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Option o : options) {
      if (o.kind == Kind.DERIVED) {
        m.put(o.param, Objects.requireNonNull(derived.get(o.param), o.param));
      } else if (o == FLAVOR) {
        m.put(o.param, flavors().stream().map(Topology::cliName).toList());
      } else if (o.param != null) {
        m.put(o.param, values.get(o.flag));
      }
    }
    return m;
  }
}
