package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.InProcessMonitor;
import dev.catchup.bench.harness.Progress;
import dev.catchup.bench.harness.Stats;
import dev.catchup.bench.monitor.PublishBenchmarkRecorder.Publish;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.testkit.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet shared by several monitors: the largest subscriber count split evenly over {@code M}
 * monitors of the same topology (each SDK accepts several monitors and follows one), under the same
 * write load as the fan-out levels. Each monitor writes only its share, so a broadcast cycle is
 * {@code M} times shorter, and the monitors' cycles run side by side. Here the monitors share the
 * machine's cores (with the servers and the subscribers); in a deployment each has its own.
 */
final class SharedFleetBenchmark {
  /**
   * The shared fleet's figures.
   *
   * @param monitors monitors sharing the fleet
   * @param subscribersPerMonitor subscribers each monitor served
   * @param seconds length of the measured window
   * @param writesPerSecond achieved write rate
   * @param eventsPerSubscriberMin fewest events a subscriber received in the window
   * @param eventsMatched events received that belong to a publish of the window (every monitor)
   * @param publishToFirstMillis publish to its monitor's first subscriber's receipt, per event
   * @param publishToLastMillis publish to its monitor's last subscriber's receipt, per event
   * @param streamCpuMillisPerSecond broadcaster + http server CPU per second, every monitor
   * @param streamCpuMicrosPerDelivery that CPU over the monitors' 0-subscriber baseline, per event
   *     delivered to one subscriber
   * @param cpuMillisPerSecond CPU per second of wall time, by thread group (every monitor)
   */
  record Result(int monitors, int subscribersPerMonitor, double seconds, double writesPerSecond,
      long eventsPerSubscriberMin, long eventsMatched, Stats publishToFirstMillis,
      Stats publishToLastMillis, double streamCpuMillisPerSecond, Double streamCpuMicrosPerDelivery,
      Map<String, Double> cpuMillisPerSecond) {}

  private SharedFleetBenchmark() {}

  /**
   * Starts {@code monitors - 1} more monitors beside {@code first} (with its HTTP settings), opens
   * {@code subscribers / monitors} subscribers on each, and measures one window.
   *
   * @param baselineStreamCpu one monitor's stream CPU (ms/s) with no subscriber
   */
  static Result run(Topology t, Monitor first, HttpSettings http, int monitors, int subscribers,
      double baselineStreamCpu, BenchmarkOptions o, Progress progress) throws Exception {
    List<Monitor> all = new ArrayList<>(List.of(first));
    List<SseBenchmarkClients> clients = new ArrayList<>();
    List<PublishBenchmarkRecorder> recorders = new ArrayList<>();
    int each = subscribers / monitors;
    int readers = Math.max(1, o.fanOutReaders() / monitors);
    try (PacedBenchmarkWriter writer = new PacedBenchmarkWriter(t)) {
      while (all.size() < monitors) {
        Monitor m = InProcessMonitor.start(t, http);
        all.add(m);
        InProcessMonitor.awaitUp(m.registry(), Duration.ofSeconds(30));
      }
      int servers = 1 + t.replicas().size();
      for (Monitor m : all) {
        SseBenchmarkClients c = new SseBenchmarkClients(m.httpPort(), readers);
        clients.add(c);
        recorders.add(new PublishBenchmarkRecorder(m.registry()));
        // The first monitor may still be closing the previous levels' streams (the readers
        // closed them): a refusal is retried until those places are free.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (c.size() < each) {
          if (!c.open(Duration.ofSeconds(5))) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("monitor on port " + m.httpPort() + " refused "
                  + "subscriber " + (c.size() + 1) + ": " + c.lastRefusal());
            }
            Thread.sleep(50);
          }
        }
        c.awaitEvents(servers, Duration.ofSeconds(10));
      }
      Thread.sleep(300);
      progress.say("fan-out: %d monitors x %d subscribers, %d writes/s for %d s", monitors, each,
          o.fanOutRate(), o.fanOutSeconds());
      recorders.forEach(PublishBenchmarkRecorder::clear);
      CpuBenchmarkMeter.Snapshot cpu0 = CpuBenchmarkMeter.take();
      clients.forEach(SseBenchmarkClients::startRecording);
      PacedBenchmarkWriter.Run run = writer.run(o.fanOutRate(), Duration.ofSeconds(o.fanOutSeconds()));
      GtidSet last = run.writes().get(run.writes().size() - 1).gtid();
      for (Monitor m : all) {
        CommitLatencyBenchmark.awaitConfirmed(m.registry(), last);
      }
      Thread.sleep(250); // the last events' deliveries
      List<Map<String, SseBenchmarkClients.Receipt>> receipts = new ArrayList<>();
      clients.forEach(c -> receipts.add(c.stopRecording()));
      CpuBenchmarkMeter.Snapshot cpu1 = CpuBenchmarkMeter.take();

      List<Double> toFirst = new ArrayList<>();
      List<Double> toLast = new ArrayList<>();
      long deliveries = 0;
      long min = Long.MAX_VALUE;
      for (int i = 0; i < all.size(); i++) {
        // Each monitor numbers its own status versions: its events match its own publishes.
        Map<String, Long> publishedAt = new HashMap<>();
        for (List<Publish> ps : recorders.get(i).takeByServer().values()) {
          ps.forEach(p -> publishedAt.put(p.status().name() + "#" + p.status().version(), p.nanos()));
        }
        SseBenchmarkClients.Receipt.delays(receipts.get(i), publishedAt, toFirst, toLast);
        for (long n : clients.get(i).recordedPerSubscriber()) {
          deliveries += n;
          min = Math.min(min, n);
        }
      }
      double wallSeconds = CpuBenchmarkMeter.wallMillis(cpu0, cpu1) / 1000;
      Map<String, Double> cpu = CpuBenchmarkMeter.perSecond(cpu0, cpu1);
      double stream = FanOutBenchmark.streamCpu(cpu);
      double extra = stream - monitors * baselineStreamCpu;
      Result r = new Result(monitors, each, Stats.round(wallSeconds),
          Math.round(run.achievedPerSecond() * 10) / 10.0, min, toLast.size(), Stats.of(toFirst),
          Stats.of(toLast), Stats.round(stream),
          deliveries == 0 ? null : Stats.round(extra * wallSeconds * 1000 / deliveries), cpu);
      progress.say("fan-out: %d monitors x %d subscribers: publish to last subscriber p50 %.3f ms, "
              + "p99 %.3f ms; stream threads %.1f ms CPU/s", monitors, each,
          r.publishToLastMillis().p50(), r.publishToLastMillis().p99(), stream);
      return r;
    } finally {
      for (SseBenchmarkClients c : clients) {
        c.close();
      }
      for (PublishBenchmarkRecorder rec : recorders) {
        rec.close();
      }
      for (Monitor m : all.subList(1, all.size())) {
        m.close();
      }
    }
  }
}
