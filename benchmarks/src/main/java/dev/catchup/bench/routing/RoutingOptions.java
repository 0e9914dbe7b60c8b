package dev.catchup.bench.routing;

import dev.catchup.bench.harness.Options;
import dev.catchup.bench.harness.Options.Option;
import dev.catchup.bench.harness.RunOptions;
import java.util.List;
import java.util.Map;

/**
 * What one run does. Every count is bounded so that a typo cannot start a run that takes an hour.
 *
 * @param given the command line
 * @param coveredReads covered reads measured per mode
 * @param warmupReads covered reads per mode before measuring
 * @param batch sessions written, then read, per covered batch
 * @param afterWriteReads write-then-read cycles per mode at delay 0
 * @param afterWriteThreads threads running them
 * @param delaySeconds replication delay of the waiting phases
 * @param waitThreads threads of the wait-versus-apply phase
 * @param waitRounds cycles per thread there
 * @param heldThreads threads of the held-connections phase
 * @param heldRounds cycles per thread there
 */
record RoutingOptions(Options given, int coveredReads, int warmupReads, int batch,
    int afterWriteReads, int afterWriteThreads, int delaySeconds, int waitThreads, int waitRounds,
    int heldThreads, int heldRounds) implements RunOptions {

  static final List<Option> OPTIONS = List.of(
      Option.integer("--replicas", "N", "replicas", 1, 1, 2, "replicas per topology"),
      Option.integer("--covered-reads", "N", "coveredReadsPerMode", 3_000, 100, 20_000,
          "covered reads measured per mode"),
      Option.integer("--warmup-reads", "N", "coveredWarmupReadsPerMode", 1_000, 0, 20_000,
          "covered reads per mode before measuring"),
      Option.integer("--batch", "N", "coveredBatchSessions", 64, 8, 256,
          "sessions per covered batch"),
      Option.integer("--after-write-reads", "N", "afterWriteCyclesPerMode", 800, 10, 10_000,
          "write-then-read cycles per mode at delay 0"),
      Option.integer("--after-write-threads", "K", "afterWriteThreads", 4, 1, 16,
          "threads for those"),
      Option.integer("--delay", "S", "delaySeconds", 1, 1, 5,
          "replication delay of the waiting phases, seconds"),
      Option.integer("--wait-threads", "K", "waitThreads", 4, 1, 16,
          "threads timing waits against the apply"),
      Option.integer("--wait-rounds", "R", "waitRoundsPerThread", 5, 1, 20,
          "cycles per thread there"),
      Option.integer("--held-threads", "K", "heldThreads", 16, 2, 64,
          "threads of the held-connections phase"),
      Option.integer("--held-rounds", "R", "heldRoundsPerThread", 2, 1, 10,
          "cycles per thread there"),
      Option.derived("readPolicy"),
      Option.derived("maxWait"));

  static final String USAGE = Options.usage("scripts/bench-routing.sh", OPTIONS);

  /**
   * Parses command-line arguments.
   *
   * @throws IllegalArgumentException naming the flag and the rule, for any bad or unknown argument
   * @throws Options.HelpRequested for {@code --help}
   */
  static RoutingOptions parse(String[] args) {
    Options o = Options.parse(args, OPTIONS, RoutingBenchmark.class);
    return new RoutingOptions(o, o.integer("--covered-reads"), o.integer("--warmup-reads"),
        o.integer("--batch"), o.integer("--after-write-reads"), o.integer("--after-write-threads"),
        o.integer("--delay"), o.integer("--wait-threads"), o.integer("--wait-rounds"),
        o.integer("--held-threads"), o.integer("--held-rounds"));
  }

  @Override
  public Map<String, Object> derived() {
    return Map.of("readPolicy", Access.POLICY.name(), "maxWait", Access.MAX_WAIT.toString());
  }
}
