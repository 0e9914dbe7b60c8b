package dev.catchup.bench.routing;

import dev.catchup.bench.harness.Flags;
import dev.catchup.bench.harness.RunOptions;
import dev.catchup.testkit.ServerFlavor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run does. Every count is bounded so that a typo cannot start a run that takes an hour;
 * {@link #parse} rejects anything out of range with a message naming the flag, the value and the
 * rule.
 *
 * @param flavors servers to measure, in order
 * @param replicas replicas per topology
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
 * @param outDir where the results files go
 * @param invokedAs the command line recorded in the results
 * @param revision the source revision recorded in the results
 */
record RoutingOptions(List<ServerFlavor> flavors, int replicas, int coveredReads, int warmupReads,
    int batch, int afterWriteReads, int afterWriteThreads, int delaySeconds, int waitThreads,
    int waitRounds, int heldThreads, int heldRounds, Path outDir, String invokedAs, String revision)
    implements RunOptions {

  static final String USAGE = Flags.usage("scripts/bench-routing.sh", "routing-bench.md", """
        --replicas N                 replicas per topology, 1-2 (default 1)
        --covered-reads N            covered reads measured per mode, 100-20000 (default 3000)
        --warmup-reads N             covered reads per mode before measuring, 0-20000 (default 1000)
        --batch N                    sessions per covered batch, 8-256 (default 64)
        --after-write-reads N        write-then-read cycles per mode at delay 0, 10-10000
                                     (default 800)
        --after-write-threads K      threads for those, 1-16 (default 4)
        --delay S                    replication delay of the waiting phases, 1-5 s (default 1)
        --wait-threads K             threads timing waits against the apply, 1-16 (default 4)
        --wait-rounds R              cycles per thread there, 1-20 (default 5)
        --held-threads K             threads of the held-connections phase, 2-64 (default 16)
        --held-rounds R              cycles per thread there, 1-10 (default 2)
      """);

  private static final List<String> OWN = List.of("--replicas", "--covered-reads",
      "--warmup-reads", "--batch", "--after-write-reads", "--after-write-threads", "--delay",
      "--wait-threads", "--wait-rounds", "--held-threads", "--held-rounds");

  /**
   * Parses command-line arguments.
   *
   * @throws IllegalArgumentException naming the flag and the rule, for any bad or unknown argument
   * @throws Flags.HelpRequested for {@code --help}
   */
  static RoutingOptions parse(String[] args) {
    Flags f = Flags.parseRun(args, OWN);
    return new RoutingOptions(
        f.flavors(),
        f.integer("--replicas", 1, 1, 2),
        f.integer("--covered-reads", 3_000, 100, 20_000),
        f.integer("--warmup-reads", 1_000, 0, 20_000),
        f.integer("--batch", 64, 8, 256),
        f.integer("--after-write-reads", 800, 10, 10_000),
        f.integer("--after-write-threads", 4, 1, 16),
        f.integer("--delay", 1, 1, 5),
        f.integer("--wait-threads", 4, 1, 16),
        f.integer("--wait-rounds", 5, 1, 20),
        f.integer("--held-threads", 16, 2, 64),
        f.integer("--held-rounds", 2, 1, 10),
        f.outDir(),
        f.invokedAs(RoutingBenchmark.class),
        f.revision());
  }

  /** Name and value of every parameter, for the results. */
  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("flavors", flavors.stream().map(ServerFlavor::cliName).toList());
    m.put("replicas", replicas);
    m.put("coveredReadsPerMode", coveredReads);
    m.put("coveredWarmupReadsPerMode", warmupReads);
    m.put("coveredBatchSessions", batch);
    m.put("afterWriteCyclesPerMode", afterWriteReads);
    m.put("afterWriteThreads", afterWriteThreads);
    m.put("delaySeconds", delaySeconds);
    m.put("waitThreads", waitThreads);
    m.put("waitRoundsPerThread", waitRounds);
    m.put("heldThreads", heldThreads);
    m.put("heldRoundsPerThread", heldRounds);
    m.put("readPolicy", Access.POLICY.name());
    m.put("maxWait", Access.MAX_WAIT.toString());
    return m;
  }
}
