package dev.catchup.bench.failover;

import dev.catchup.bench.harness.Options;
import dev.catchup.bench.harness.Options.Option;
import dev.catchup.bench.harness.RunOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run does. Every count is bounded so that a typo cannot start a run that takes an hour.
 *
 * @param given the command line
 * @param modes with and without the monitor, in order
 * @param kinds planned and unplanned, in order
 * @param rounds rounds per flavor, mode and kind
 * @param threads workload threads, one session each
 * @param think pause at the end of each workload cycle
 * @param warmupReads successful reads per thread before the change
 * @param settle how long the workload goes on after it recovered
 * @param delay the unplanned rounds' replication delay of the first replica (the k-th gets k times it)
 * @param checkInterval the SDK's {@code topologyCheckInterval}
 * @param maxWait the SDK's {@code maxWait}
 */
record FailoverOptions(Options given, List<Mode> modes, List<Kind> kinds, int rounds, int threads,
    Duration think, int warmupReads, Duration settle, Duration delay, Duration checkInterval,
    Duration maxWait) implements RunOptions {

  /** With or without the monitor. */
  enum Mode {
    /** The SDK alone: it finds the new primary itself. */
    DIRECT,
    /** The SDK configured with a monitor, one in-process monitor per round. */
    MONITOR;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The topology change. */
  enum Kind {
    /** {@link Change#planned}: a switchover, nothing lost. */
    PLANNED,
    /** {@link Change#unplanned}: the primary killed with its replicas delayed. */
    UNPLANNED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final List<Option> OPTIONS = List.of(
      Option.integer("--replicas", "N", "replicas", 2, 2, 3, "replicas per topology"),
      Option.text("--modes", "direct,monitor", "modes", "direct,monitor",
          "with the SDK alone, with the monitor, or both, in this order"),
      Option.text("--kinds", "planned,unplanned", "kinds", "planned,unplanned",
          "planned switchover, unplanned failover, or both, in this order"),
      Option.integer("--rounds", "R", "rounds", 3, 1, 10, "rounds per flavor, mode and kind"),
      Option.integer("--threads", "K", "threads", 4, 1, 16, "workload threads, one session each"),
      Option.integer("--think-ms", "T", "thinkMs", 5, 0, 1_000,
          "pause at the end of each write-then-read cycle"),
      Option.integer("--warmup-reads", "N", "warmupReadsPerThread", 2, 1, 100,
          "successful reads per thread before the change"),
      Option.integer("--settle-ms", "T", "settleMs", 1_500, 0, 10_000,
          "workload time after the first write and read succeeded again"),
      Option.integer("--delay", "S", "unplannedDelaySeconds", 1, 1, 5,
          "unplanned rounds: replica k applies k*S seconds late"),
      Option.integer("--check-ms", "T", "topologyCheckIntervalMs", 1_000, 100, 10_000,
          "the SDK's topologyCheckInterval"),
      Option.integer("--max-wait-ms", "W", "maxWaitMs", 5_000, 1_000, 60_000,
          "the SDK's maxWait"),
      Option.derived("readPolicy"),
      Option.derived("connectTimeout"),
      Option.derived("monitorReconcileInterval"));

  static final String USAGE = Options.usage("scripts/bench-failover.sh", OPTIONS);

  /**
   * Parses command-line arguments.
   *
   * @throws IllegalArgumentException naming the flag and the rule, for any bad or unknown argument
   * @throws Options.HelpRequested for {@code --help}
   */
  static FailoverOptions parse(String[] args) {
    Options o = Options.parse(args, OPTIONS, FailoverBenchmark.class);
    return new FailoverOptions(o, o.enums("--modes", Mode.class), o.enums("--kinds", Kind.class),
        o.integer("--rounds"),
        o.integer("--threads"), Duration.ofMillis(o.integer("--think-ms")),
        o.integer("--warmup-reads"), Duration.ofMillis(o.integer("--settle-ms")),
        Duration.ofSeconds(o.integer("--delay")), Duration.ofMillis(o.integer("--check-ms")),
        Duration.ofMillis(o.integer("--max-wait-ms")));
  }

  @Override
  public Map<String, Object> derived() {
    return Map.of("readPolicy", FailoverBenchmark.POLICY.name(),
        "connectTimeout", FailoverBenchmark.CONNECT_TIMEOUT.toString(),
        "monitorReconcileInterval", FailoverBenchmark.RECONCILE.toString());
  }
}
