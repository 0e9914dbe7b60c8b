package dev.catchup.bench.monitor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.catchup.bench.harness.InProcessMonitor;
import dev.catchup.bench.harness.Launcher;
import dev.catchup.bench.harness.Progress;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.testkit.Topology;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;

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
    Launcher.main("bench-monitor", args, BenchmarkOptions::parse, BenchmarkOptions.USAGE,
        MonitorBenchmark::measure,
        (o, m) -> new BenchmarkReport(o, m.machine(), m.started(), m.seconds(), m.flavors()));
  }

  private static BenchmarkReport.FlavorResult measure(Topology t, BenchmarkOptions o,
      Progress progress) throws Exception {
    quietLibraries();
    String name = Topology.cliName(t.flavor());
    BenchmarkSql.createTable(t);
    // Latency and fan-out first, on servers that have not yet written the tailer's backlogs
    // (100,000 rows with the defaults, whose background flushing would disturb them); then the
    // monitor stops, so that its own trackers do not replay the backlogs too.
    CommitLatencyBenchmark.Result latency;
    FanOutBenchmark.Result fanOut;
    List<WriteRateBenchmark.Rate> writeRates;
    progress.say("%s: starting the monitor in-process", name);
    // Its defaults, but for the subscriber limit asked for and the per-client bound: every
    // subscriber of this run comes from the loopback address (a fleet's come from one each).
    int connections = Math.max(HttpSettings.DEFAULT_MAX_CONNECTIONS, o.maxSubscribers() + 64);
    HttpSettings http = new HttpSettings("127.0.0.1", 0, null, Duration.ofSeconds(1),
        Duration.ofSeconds(30), false, HttpSettings.DEFAULT_HEADER_TIMEOUT,
        HttpSettings.DEFAULT_IDLE_TIMEOUT, connections, connections, o.maxSubscribers(),
        HttpSettings.DEFAULT_MAX_WAITS);
    try (Monitor m = InProcessMonitor.start(t, http)) {
      InProcessMonitor.awaitUp(m.registry(), Duration.ofSeconds(30));
      latency = CommitLatencyBenchmark.run(t, m, o, progress);
      writeRates = WriteRateBenchmark.run(t, m, o, progress);
      fanOut = FanOutBenchmark.run(t, m, http, o, progress);
    }
    // The tailer phase cuts the trackers' connections on purpose: their WARN lines are expected.
    Logger tracking = (Logger) LoggerFactory.getLogger("dev.catchup.monitor.tracking");
    Logger binlog = (Logger) LoggerFactory.getLogger("dev.catchup.monitor.binlog");
    tracking.setLevel(Level.ERROR);
    binlog.setLevel(Level.ERROR);
    List<TailerBenchmark.Round> rounds;
    try {
      rounds = new TailerBenchmark(t, o, progress).run();
    } finally {
      tracking.setLevel(null);
      binlog.setLevel(null);
    }
    return new BenchmarkReport.FlavorResult(name, t.version(), o.replicas(), rounds,
        TailerBenchmark.Summary.of(rounds), latency, fanOut, writeRates);
  }

  /**
   * The progress lines are the benchmark's output; library INFO lines (topology script, monitor
   * start and stop) would bury them. Warnings still show.
   */
  private static void quietLibraries() {
    // The binlog client logs through java.util.logging, routed to SLF4J by the launcher: the
    // level below applies to it too.
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
