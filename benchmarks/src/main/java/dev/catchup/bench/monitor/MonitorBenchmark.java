package dev.catchup.bench.monitor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.catchup.bench.harness.Flags;
import dev.catchup.bench.harness.InProcessMonitor;
import dev.catchup.bench.harness.Machine;
import dev.catchup.bench.harness.Progress;
import dev.catchup.monitor.Monitor;
import dev.catchup.testkit.ServerFlavor;
import dev.catchup.testkit.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Entry point of {@code scripts/bench-monitor.sh}: for each flavor, starts a local topology
 * (delay 0), runs the three phases (commit-to-publish latency and stream fan-out with the monitor
 * running, then tailer throughput with a tracker of its own) and writes {@code monitor-bench.md} and {@code monitor-bench.json}. Everything it starts is
 * stopped in {@code finally} blocks, and by a shutdown hook on Ctrl-C.
 *
 * <p>Exit codes: 0 done, 1 a phase failed, 2 bad arguments.
 */
final class MonitorBenchmark {
  private MonitorBenchmark() {}

  public static void main(String[] args) {
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (Flags.HelpRequested e) {
      System.out.print(BenchmarkOptions.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("bench-monitor: " + e.getMessage());
      System.exit(2);
      return;
    }
    Thread.currentThread().setName("bench-main");
    quietLibraries();
    Progress progress = new Progress(System.out);
    Instant started = Instant.now();
    String load = Machine.loadAverage();
    try {
      List<BenchmarkReport.FlavorResult> results = new ArrayList<>();
      for (ServerFlavor flavor : options.flavors()) {
        results.add(runFlavor(flavor, options, progress));
      }
      Map<String, String> servers = new LinkedHashMap<>();
      results.forEach(r -> servers.put(r.flavor(), r.serverVersion()));
      BenchmarkReport report = new BenchmarkReport(options,
          Machine.describe(servers, options.revision(), load), started, progress.seconds(), results);
      report.write(options.outDir());
      progress.say("wrote %s and %s", options.outDir().resolve(BenchmarkReport.MARKDOWN),
          options.outDir().resolve(BenchmarkReport.JSON));
    } catch (Exception e) {
      System.err.println("bench-monitor: failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static BenchmarkReport.FlavorResult runFlavor(ServerFlavor flavor, BenchmarkOptions o,
      Progress progress) throws Exception {
    String name = flavor.cliName();
    progress.say("%s: starting a topology: primary + %d replica(s), delay 0 (scripts/topology.sh)",
        name, o.replicas());
    Topology t = Topology.start(flavor, o.replicas(), Duration.ZERO);
    Thread hook = new Thread(t::close, "bench-shutdown-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      progress.say("%s: %s", name, t);
      BenchmarkSql.createTable(t);
      // Latency and fan-out first, on servers that have not yet written the tailer's backlogs
      // (100,000 rows with the defaults, whose background flushing would disturb them); then the
      // monitor stops, so that its own trackers do not replay the backlogs too.
      CommitLatencyBenchmark.Result latency;
      FanOutBenchmark.Result fanOut;
      progress.say("%s: starting the monitor in-process", name);
      try (Monitor m = InProcessMonitor.start(t)) {
        InProcessMonitor.awaitUp(m.registry(), Duration.ofSeconds(30));
        latency = CommitLatencyBenchmark.run(t, m, o, progress);
        fanOut = FanOutBenchmark.run(t, m, o, progress);
      }
      // The tailer phase cuts the trackers' connections on purpose: their WARN lines are expected.
      Logger tracking = (Logger) LoggerFactory.getLogger("dev.catchup.monitor.tracking");
      tracking.setLevel(Level.ERROR);
      List<TailerBenchmark.Round> rounds;
      try {
        rounds = new TailerBenchmark(t, o, progress).run();
      } finally {
        tracking.setLevel(null);
      }
      return new BenchmarkReport.FlavorResult(name, t.version(), o.replicas(), rounds,
          TailerBenchmark.Summary.of(rounds), latency, fanOut);
    } finally {
      progress.say("%s: stopping the topology", name);
      t.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  /**
   * The progress lines are the benchmark's output; library INFO lines (topology script, monitor
   * start and stop) would bury them. Warnings still show.
   */
  private static void quietLibraries() {
    // The binlog client logs through java.util.logging: through SLF4J, the levels below apply.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
