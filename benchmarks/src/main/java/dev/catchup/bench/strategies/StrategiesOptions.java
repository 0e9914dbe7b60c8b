package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.Flags;
import dev.catchup.bench.harness.RunOptions;
import dev.catchup.sdk.ReadOptions;
import dev.catchup.testkit.ServerFlavor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the strategies benchmark does. Every number is bounded so that a typo cannot
 * start a run that takes an hour; {@link #parse} rejects anything out of range with a message
 * naming the flag, the value and the rule.
 *
 * @param flavors servers to measure, in order
 * @param replicas replicas per topology
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
 * @param outDir where the results files go
 * @param invokedAs the command line recorded in the results
 * @param revision the source revision recorded in the results
 */
record StrategiesOptions(List<ServerFlavor> flavors, int replicas, int threads, int otherReads,
    int seconds, int rounds, Duration warmup, List<Integer> delays, Duration think, Duration sticky,
    Duration maxWait, int catalogRows, List<String> strategies, Path outDir, String invokedAs,
    String revision) implements RunOptions {

  static final String USAGE = Flags.usage("scripts/bench-strategies.sh", "strategies.md", """
        --replicas N                 replicas per topology, 1-2 (default 1)
        --threads N                  client threads, one session each, 1-40 (default 4; three
                                     pools of N connections per server, 151 allowed)
        --reads K                    other reads per cycle, after the read-after-write, 0-100
                                     (default 4)
        --seconds S                  measured time per strategy and delay, 1-600 (default 4)
        --rounds R                   strategies take turns R times, S/R seconds each, 1-20
                                     (default 2)
        --warmup-ms W                unmeasured slice per strategy before the first delay,
                                     0-10000 ms (default 500)
        --delays D[,D...]            replication delays in seconds, each 0-30 (default 0,1)
        --think-ms T                 pause after each cycle, 0-60000 ms (default 10)
        --sticky-seconds T           primary window after a write for the sticky strategy, 0-60
                                     (default 2)
        --max-wait-ms W              longest wait for a replica, Catchup's maxWait and the GTID
                                     wait's timeout, 1-60000 (default: the SDK's, 5000)
        --catalog-rows N             rows the other reads pick from, 10-1000000 (default 1000)
        --strategies ID[,ID...]      run only these (default all; ids in the results)
      """);

  private static final List<String> OWN = List.of("--replicas", "--threads",
      "--reads", "--seconds", "--rounds", "--warmup-ms", "--delays", "--think-ms", "--sticky-seconds",
      "--max-wait-ms", "--catalog-rows", "--strategies");

  /**
   * Parses command-line arguments.
   *
   * @throws IllegalArgumentException naming the flag and the rule, for any bad or unknown argument
   * @throws Flags.HelpRequested for {@code --help}
   */
  static StrategiesOptions parse(String[] args) {
    Flags f = Flags.parseRun(args, OWN);
    int seconds = f.integer("--seconds", 4, 1, 600);
    int rounds = f.integer("--rounds", 2, 1, 20);
    if (seconds * 1000 / rounds < 250) {
      throw new IllegalArgumentException("--seconds / --rounds must leave at least 250 ms per "
          + "slice, was " + seconds + " s / " + rounds);
    }
    List<Integer> delays = new ArrayList<>();
    for (String d : f.text("--delays", "0,1").split(",", -1)) {
      int s = Flags.integer("--delays", d, 0, 30);
      if (delays.contains(s)) {
        throw new IllegalArgumentException("--delays lists " + s + " twice");
      }
      delays.add(s);
    }
    String strategies = f.text("--strategies", "all").strip();
    List<String> ids = strategies.equals("all") ? List.of() : List.of(strategies.split("\\s*,\\s*"));
    for (String id : ids) {
      if (!StrategiesBenchmark.IDS.contains(id)) {
        throw new IllegalArgumentException("--strategies: unknown strategy '" + id + "'; known: "
            + String.join(", ", StrategiesBenchmark.IDS));
      }
    }
    return new StrategiesOptions(
        f.flavors(),
        f.integer("--replicas", 1, 1, 2),
        f.integer("--threads", 4, 1, 40),
        f.integer("--reads", 4, 0, 100),
        seconds,
        rounds,
        Duration.ofMillis(f.integer("--warmup-ms", 500, 0, 10_000)),
        List.copyOf(delays),
        Duration.ofMillis(f.integer("--think-ms", 10, 0, 60_000)),
        Duration.ofSeconds(f.integer("--sticky-seconds", 2, 0, 60)),
        Duration.ofMillis(f.integer("--max-wait-ms", (int) ReadOptions.DEFAULTS.maxWait().toMillis(),
            1, 60_000)),
        f.integer("--catalog-rows", 1_000, 10, 1_000_000),
        ids,
        f.outDir(),
        f.invokedAs(StrategiesBenchmark.class),
        f.revision());
  }

  /** One slice's length. */
  Duration slice() {
    return Duration.ofMillis(seconds * 1000L / rounds);
  }

  /** Name and value of every parameter, for the results. */
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("flavors", flavors.stream().map(ServerFlavor::cliName).toList());
    m.put("replicas", replicas);
    m.put("threads", threads);
    m.put("otherReadsPerCycle", otherReads);
    m.put("rowsPerThread", Workload.ROWS_PER_THREAD);
    m.put("secondsPerStrategyAndDelay", seconds);
    m.put("rounds", rounds);
    m.put("sliceMillis", slice().toMillis());
    m.put("warmupMillisPerStrategy", warmup.toMillis());
    m.put("delaysSeconds", delays);
    m.put("thinkMillis", think.toMillis());
    m.put("stickySeconds", sticky.toSeconds());
    m.put("maxWaitMillis", maxWait.toMillis());
    m.put("catalogRows", catalogRows);
    m.put("strategies", strategies.isEmpty() ? "all" : strategies);
    return m;
  }
}
