package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.Options;
import dev.catchup.bench.harness.Options.Option;
import dev.catchup.bench.harness.RunOptions;
import java.util.List;

/**
 * What one benchmark run does. Every count and duration is bounded, so that a typo cannot start a
 * run that takes an hour.
 *
 * @param given the command line
 * @param backlog transactions written per tailer round
 * @param writers connections writing the backlog
 * @param rounds tailer rounds (the first is the JIT's warm-up)
 * @param latencyRate writes per second in the latency phase
 * @param latencySeconds duration of the latency phase
 * @param fanOutRate writes per second during each fan-out level
 * @param fanOutSeconds duration of each fan-out level
 * @param subscribers requested {@code /stream} subscriber counts, ascending
 * @param fanOutReaders threads reading the subscribers' sockets
 * @param fanOutMonitors monitors sharing the largest subscriber count in the shared-fleet cell (1:
 *     no such cell)
 * @param maxSubscribers the monitor's {@code http.maxSubscribers} for the run
 * @param costRates write rates of the cost phase, 0 for as fast as the writers go
 * @param costSeconds duration of each rate
 * @param costWriters connections writing in the cost phase
 */
record BenchmarkOptions(Options given, int backlog, int writers, int rounds, int latencyRate,
    int latencySeconds, int fanOutRate, int fanOutSeconds, List<Integer> subscribers, int fanOutReaders, int fanOutMonitors,
    int maxSubscribers, List<Integer> costRates, int costSeconds, int costWriters)
    implements RunOptions {

  /*
   * Why --backlog stops at 30,000: the tracker's queue holds 65,536 events and each transaction
   * queues two (its GTID and its XID). Beyond that the feed may drop events while the tracker is
   * busy, which the monitor allows (confirmation reads the server) but which would make the replay
   * count events that were never processed.
   */
  static final List<Option> OPTIONS = List.of(
      Option.integer("--replicas", "N", "replicas", 1, 1, 4, "replicas per topology"),
      Option.integer("--backlog", "N", "backlogTransactions", 20_000, 1_000, 30_000,
          "transactions per tailer round"),
      Option.integer("--writers", "K", "backlogWriterConnections", 4, 1, 16,
          "connections writing the backlog"),
      Option.integer("--rounds", "R", "tailerRounds", 5, 1, 9,
          "tailer rounds, the first a warm-up"),
      Option.integer("--rate", "R", "latencyWritesPerSecond", 200, 1, 2_000,
          "writes/s in the latency phase"),
      Option.integer("--seconds", "S", "latencySeconds", 10, 1, 120,
          "duration of the latency phase"),
      Option.integer("--fanout-rate", "R", "fanOutWritesPerSecond", 200, 1, 2_000,
          "writes/s during each fan-out level"),
      Option.integer("--fanout-seconds", "S", "fanOutSecondsPerLevel", 8, 1, 120,
          "duration of each fan-out level"),
      Option.integers("--subscribers", "LIST", "fanOutSubscribersRequested", "1,100,1000", 1, 4_000,
          "/stream subscriber counts, comma-separated (a 0-subscriber baseline runs first; counts "
              + "above the monitor's cap are measured at the cap)"),
      Option.integer("--fanout-readers", "T", "fanOutReaderThreads", 4, 1, 64,
          "threads reading the /stream subscribers' sockets (a fleet reads each in its own process)"),
      Option.integer("--fanout-monitors", "M", "fanOutSharedByMonitors", 2, 1, 4,
          "monitors sharing the largest subscriber count in one more fan-out cell (1: none)"),
      Option.integer("--max-subscribers", "N", "monitorMaxSubscribers", 1024, 1, 4_000,
          "the monitor's http.maxSubscribers (its default: 1024)"),
      Option.integers("--cost-rates", "LIST", "costWritesPerSecond", "200,2000,0", 0, 100_000,
          "write rates of the cost phase, comma-separated; 0 is as fast as the writers go"),
      Option.integer("--cost-seconds", "S", "costSecondsPerRate", 4, 1, 60,
          "duration of each rate in the cost phase"),
      Option.integer("--cost-writers", "K", "costWriterConnections", 4, 1, 16,
          "connections writing in the cost phase"));

  static final String USAGE = Options.usage("scripts/bench-monitor.sh", OPTIONS);

  /**
   * Parses command-line arguments.
   *
   * @throws IllegalArgumentException naming the flag and the rule, for any bad or unknown argument
   * @throws Options.HelpRequested for {@code --help}
   */
  static BenchmarkOptions parse(String[] args) {
    Options o = Options.parse(args, OPTIONS, MonitorBenchmark.class);
    return new BenchmarkOptions(o, o.integer("--backlog"), o.integer("--writers"),
        o.integer("--rounds"), o.integer("--rate"), o.integer("--seconds"),
        o.integer("--fanout-rate"), o.integer("--fanout-seconds"),
        o.integers("--subscribers").stream().sorted().toList(), o.integer("--fanout-readers"), o.integer("--fanout-monitors"),
        o.integer("--max-subscribers"),
        o.integers("--cost-rates"), o.integer("--cost-seconds"), o.integer("--cost-writers"));
  }
}
