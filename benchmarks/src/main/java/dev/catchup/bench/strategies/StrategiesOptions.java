package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.Options;
import dev.catchup.bench.harness.Options.Option;
import dev.catchup.bench.harness.RunOptions;
import dev.catchup.sdk.ReadOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run of the strategies benchmark does. Every number is bounded so that a typo cannot
 * start a run that takes an hour.
 *
 * @param given the command line
 * @param threads client threads, one session each
 * @param otherReads catalog reads per cycle, after the read of the row just written
 * @param seconds measured time per strategy and delay, split over the rounds
 * @param rounds slices per strategy: strategies take turns, {@code seconds / rounds} each
 * @param warmup an unmeasured slice per strategy before the first delay's (zero: none)
 * @param delays replication delays to measure, in seconds, in order
 * @param think pause at the end of each cycle
 * @param sticky how long the sticky strategy keeps a session's reads on the primary after a write
 * @param maxWait how long a read may wait for a replica: Catchup's {@code maxWait} and the GTID
 *     wait strategy's timeout
 * @param catalogRows rows the other reads pick from
 * @param strategies ids of the strategies to run (all when empty)
 */
record StrategiesOptions(Options given, int threads, int otherReads, int seconds, int rounds,
    Duration warmup, List<Integer> delays, Duration think, Duration sticky, Duration maxWait,
    int catalogRows, List<String> strategies) implements RunOptions {

  static final List<Option> OPTIONS = List.of(
      Option.integer("--replicas", "N", "replicas", 1, 1, 2, "replicas per topology"),
      Option.integer("--threads", "N", "threads", 4, 1, 40, "client threads, one session each "
          + "(three pools of N connections per server, 151 allowed)"),
      Option.integer("--reads", "K", "otherReadsPerCycle", 4, 0, 100,
          "other reads per cycle, after the read-after-write"),
      Option.derived("rowsPerThread"),
      Option.integer("--seconds", "S", "secondsPerStrategyAndDelay", 4, 1, 600,
          "measured time per strategy and delay"),
      Option.integer("--rounds", "R", "rounds", 2, 1, 20,
          "strategies take turns R times, S/R seconds each"),
      Option.derived("sliceMillis"),
      Option.integer("--warmup-ms", "W", "warmupMillisPerStrategy", 500, 0, 10_000,
          "unmeasured slice per strategy before the first delay, ms"),
      Option.integers("--delays", "D[,D...]", "delaysSeconds", "0,1", 0, 30,
          "replication delays in seconds"),
      Option.integer("--think-ms", "T", "thinkMillis", 10, 0, 60_000, "pause after each cycle, ms"),
      Option.integer("--sticky-seconds", "T", "stickySeconds", 2, 0, 60,
          "primary window after a write for the sticky strategy"),
      Option.integer("--max-wait-ms", "W", "maxWaitMillis",
          (int) ReadOptions.DEFAULTS.maxWait().toMillis(), 1, 60_000,
          "longest wait for a replica, Catchup's maxWait (default: the SDK's) and the GTID wait's "
              + "timeout"),
      Option.integer("--catalog-rows", "N", "catalogRows", 1_000, 10, 1_000_000,
          "rows the other reads pick from"),
      Option.text("--strategies", "ID[,ID...]", null, "all", "run only these (ids in the results)"),
      Option.derived("strategies"));

  static final String USAGE = Options.usage("scripts/bench-strategies.sh", OPTIONS);

  /**
   * Parses command-line arguments.
   *
   * @throws IllegalArgumentException naming the flag and the rule, for any bad or unknown argument
   * @throws Options.HelpRequested for {@code --help}
   */
  static StrategiesOptions parse(String[] args) {
    Options o = Options.parse(args, OPTIONS, StrategiesBenchmark.class);
    int seconds = o.integer("--seconds");
    int rounds = o.integer("--rounds");
    if (seconds * 1000 / rounds < 250) {
      throw new IllegalArgumentException("--seconds / --rounds must leave at least 250 ms per "
          + "slice, was " + seconds + " s / " + rounds);
    }
    String strategies = o.text("--strategies").strip();
    List<String> ids = strategies.equals("all") ? List.of() : List.of(strategies.split("\\s*,\\s*"));
    for (String id : ids) {
      if (!StrategiesBenchmark.IDS.contains(id)) {
        throw new IllegalArgumentException("--strategies: unknown strategy '" + id + "'; known: "
            + String.join(", ", StrategiesBenchmark.IDS));
      }
    }
    return new StrategiesOptions(o, o.integer("--threads"), o.integer("--reads"), seconds, rounds,
        Duration.ofMillis(o.integer("--warmup-ms")), o.integers("--delays"),
        Duration.ofMillis(o.integer("--think-ms")), Duration.ofSeconds(o.integer("--sticky-seconds")),
        Duration.ofMillis(o.integer("--max-wait-ms")), o.integer("--catalog-rows"), ids);
  }

  /** One slice's length. */
  Duration slice() {
    return Duration.ofMillis(seconds * 1000L / rounds);
  }

  @Override
  public Map<String, Object> derived() {
    return Map.of("rowsPerThread", Workload.ROWS_PER_THREAD, "sliceMillis", slice().toMillis(),
        "strategies", strategies.isEmpty() ? "all" : strategies);
  }
}
