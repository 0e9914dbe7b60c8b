package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.Flags;
import dev.catchup.bench.harness.RunOptions;
import dev.catchup.testkit.ServerFlavor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one benchmark run does. Every count and duration is bounded, so that a typo cannot start a
 * run that takes an hour; {@link #parse} rejects anything out of range with a message naming the
 * flag, the value and the rule.
 *
 * @param flavors servers to measure, in order
 * @param replicas replicas per topology
 * @param backlog transactions written per tailer round
 * @param writers connections writing the backlog
 * @param rounds tailer rounds (the first is the JIT's warm-up)
 * @param latencyRate writes per second in the latency phase
 * @param latencySeconds duration of the latency phase
 * @param fanOutRate writes per second during each fan-out level
 * @param fanOutSeconds duration of each fan-out level
 * @param subscribers requested {@code /stream} subscriber counts, ascending, without duplicates
 * @param outDir where the results files go
 * @param invokedAs the command line recorded in the results
 * @param revision the source revision recorded in the results
 */
record BenchmarkOptions(List<ServerFlavor> flavors, int replicas, int backlog, int writers, int rounds,
    int latencyRate, int latencySeconds, int fanOutRate, int fanOutSeconds, List<Integer> subscribers,
    Path outDir, String invokedAs, String revision) implements RunOptions {

  static final String USAGE = Flags.usage("scripts/bench-monitor.sh", "monitor-bench.md", """
        --replicas N                 replicas per topology, 1-4 (default 1)
        --backlog N                  transactions per tailer round, 1000-30000 (default 20000)
        --writers K                  connections writing the backlog, 1-16 (default 4)
        --rounds R                   tailer rounds, the first a warm-up, 1-9 (default 5)
        --rate R                     writes/s in the latency phase, 1-2000 (default 200)
        --seconds S                  duration of the latency phase, 1-120 (default 10)
        --fanout-rate R              writes/s during each fan-out level, 1-2000 (default 200)
        --fanout-seconds S           duration of each fan-out level, 1-120 (default 8)
        --subscribers LIST           /stream subscriber counts, comma-separated, each 1-1000
                                     (default 1,100,500); a 0-subscriber baseline runs first and
                                     counts above the monitor's cap are measured at the cap
      """);

  private static final List<String> OWN = List.of("--replicas", "--backlog",
      "--writers", "--rounds", "--rate", "--seconds", "--fanout-rate", "--fanout-seconds",
      "--subscribers");

  /**
   * Parses command-line arguments.
   *
   * @throws IllegalArgumentException naming the flag and the rule, for any bad or unknown argument
   * @throws Flags.HelpRequested for {@code --help}
   */
  static BenchmarkOptions parse(String[] args) {
    Flags f = Flags.parseRun(args, OWN);
    return new BenchmarkOptions(
        f.flavors(),
        f.integer("--replicas", 1, 1, 4),
        // At most 30,000: see below.
        f.integer("--backlog", 20_000, 1_000, 30_000),
        f.integer("--writers", 4, 1, 16),
        f.integer("--rounds", 5, 1, 9),
        f.integer("--rate", 200, 1, 2_000),
        f.integer("--seconds", 10, 1, 120),
        f.integer("--fanout-rate", 200, 1, 2_000),
        f.integer("--fanout-seconds", 8, 1, 120),
        subscribers(f.text("--subscribers", "1,100,500")),
        f.outDir(),
        f.invokedAs(MonitorBenchmark.class),
        f.revision());
  }

  /*
   * Why --backlog stops at 30,000: the tracker's queue holds 65,536 events and each transaction
   * queues two (its GTID and its XID). Beyond that the feed may drop events while the tracker is
   * busy, which the monitor allows (confirmation reads the server) but which would make the replay
   * count events that were never processed.
   */
  private static List<Integer> subscribers(String v) {
    TreeSet<Integer> counts = new TreeSet<>();
    for (String part : v.split(",", -1)) {
      int n;
      try {
        n = Integer.parseInt(part.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--subscribers must be comma-separated integers between 1 "
            + "and 1000, was '" + v + "'");
      }
      if (n < 1 || n > 1_000) {
        throw new IllegalArgumentException("--subscribers counts must be between 1 and 1000, was " + n);
      }
      counts.add(n);
    }
    return List.copyOf(new ArrayList<>(counts));
  }

  /** Name and value of every parameter, for the results. */
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("flavors", flavors.stream().map(ServerFlavor::cliName).toList());
    m.put("replicas", replicas);
    m.put("backlogTransactions", backlog);
    m.put("backlogWriterConnections", writers);
    m.put("tailerRounds", rounds);
    m.put("latencyWritesPerSecond", latencyRate);
    m.put("latencySeconds", latencySeconds);
    m.put("fanOutWritesPerSecond", fanOutRate);
    m.put("fanOutSecondsPerLevel", fanOutSeconds);
    m.put("fanOutSubscribersRequested", subscribers);
    return m;
  }
}
