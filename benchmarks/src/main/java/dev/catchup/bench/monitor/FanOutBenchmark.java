package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.Progress;
import dev.catchup.bench.harness.Stats;
import dev.catchup.bench.monitor.PublishBenchmarkRecorder.Publish;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /stream} fan-out: the same write load (a fixed rate for a fixed time) with 0 subscribers
 * (baseline), then with each requested count. Subscribers are added, never closed between levels,
 * so every level starts from a clean count. Each level reports how many statuses the registry
 * published and how many events the broadcaster sent (it coalesces), when the first and the last
 * subscriber received each event relative to its publish, and the CPU of the monitor's threads.
 *
 * <p>The monitor caps subscribers and refuses more with 503; a count above the cap is measured at
 * the cap, and the cap and the refusal are reported as the monitor stated them.
 */
final class FanOutBenchmark {
  private static final Set<String> STREAM_GROUPS = Set.of("stream broadcaster", "stream writers",
      "http server");

  /**
   * One subscriber count.
   *
   * @param requested count asked for
   * @param subscribers count actually open (the cap, when more were requested)
   * @param seconds length of the measured window (writes plus the wait for the last deliveries)
   * @param writesPerSecond achieved write rate
   * @param publishes statuses the registry published in the window (every server)
   * @param confirmedChanges of those, how many changed the server's confirmed set or feed state
   * @param eventsBroadcast status events the broadcaster sent ({@code /metrics} delta)
   * @param droppedSubscribers subscribers the monitor dropped ({@code /metrics} delta)
   * @param eventsPerSubscriberMin fewest events a subscriber received in the window
   * @param eventsPerSubscriberMean mean events per subscriber
   * @param eventsMatched events received that belong to a publish of the window
   * @param publishToFirstMillis publish to the first subscriber's receipt, per event
   * @param publishToLastMillis publish to the last subscriber's receipt, per event
   * @param cpuMillisPerSecond CPU per second of wall time, by thread group
   * @param streamCpuMillisPerSecondOverBaseline broadcaster + stream writers + http server CPU per
   *     second, minus the same at 0 subscribers
   * @param streamCpuMicrosPerDelivery that extra CPU per event delivered to one subscriber
   * @param heapKibPerSubscriber heap held per subscriber added at this level (after a full GC,
   *     before and after they connected), monitor and raw client together; null at the baseline
   * @param threads live threads of the JVM at the end of the level (monitor, servers' clients and
   *     the benchmark's own)
   */
  record Level(int requested, int subscribers, double seconds, double writesPerSecond, long publishes,
      long confirmedChanges, long eventsBroadcast, long droppedSubscribers, long eventsPerSubscriberMin,
      double eventsPerSubscriberMean, long eventsMatched, Stats publishToFirstMillis,
      Stats publishToLastMillis, Map<String, Double> cpuMillisPerSecond,
      Double streamCpuMillisPerSecondOverBaseline, Double streamCpuMicrosPerDelivery,
      Double heapKibPerSubscriber, int threads) {}

  /**
   * The phase's figures.
   *
   * @param subscriberCap most subscribers the monitor accepted, null if it never refused one
   * @param refusal what it answered the first refused subscriber
   * @param levels measured levels, baseline first
   * @param skipped requested counts not measured again because the cap made them equal to a
   *     measured level
   * @param shared the largest level's subscribers shared by several monitors; null when not run
   */
  record Result(Integer subscriberCap, String refusal, List<Level> levels, List<Integer> skipped,
      SharedFleetBenchmark.Result shared) {}

  private FanOutBenchmark() {}

  static Result run(Topology t, Monitor monitor, HttpSettings http, BenchmarkOptions o,
      Progress progress) throws Exception {
    int servers = 1 + t.replicas().size();
    List<Integer> targets = new ArrayList<>();
    targets.add(0);
    targets.addAll(o.subscribers());
    List<Level> levels = new ArrayList<>();
    List<Integer> skipped = new ArrayList<>();
    Integer cap = null;
    String refusal = null;
    Level baseline = null;
    int measured = -1;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (SseBenchmarkClients clients = new SseBenchmarkClients(monitor.httpPort(),
        o.fanOutReaders());
         PacedBenchmarkWriter writer = new PacedBenchmarkWriter(t);
         PublishBenchmarkRecorder recorder = new PublishBenchmarkRecorder(monitor.registry())) {
      for (int target : targets) {
        int before = clients.size();
        long heapBefore = heapAfterGc();
        while (cap == null && clients.size() < target) {
          if (!clients.open(Duration.ofSeconds(5))) {
            cap = clients.size();
            refusal = clients.lastRefusal();
            progress.say("fan-out: subscriber %d refused: %s", cap + 1, refusal);
          }
        }
        if (clients.size() == measured) {
          skipped.add(target);
          progress.say("fan-out: %d subscribers requested; the cap is %d, already measured", target,
              clients.size());
          continue;
        }
        clients.awaitEvents(servers, Duration.ofSeconds(10)); // each has its first snapshot
        Thread.sleep(300);
        int added = clients.size() - before;
        Double heapPerSubscriber = added == 0 ? null
            : Stats.round((heapAfterGc() - heapBefore) / 1024.0 / added);
        progress.say("fan-out: %d subscriber(s), %d writes/s for %d s", clients.size(),
            o.fanOutRate(), o.fanOutSeconds());
        Level level = measure(target, clients, writer, recorder, monitor, client, o, baseline,
            heapPerSubscriber);
        if (target == 0) {
          baseline = level;
        }
        levels.add(level);
        measured = clients.size();
        progress.say("fan-out: %d subscriber(s): %d publishes -> %d events; %sstream threads "
                + "%.1f ms CPU/s", level.subscribers(), level.publishes(), level.eventsBroadcast(),
            level.subscribers() == 0 ? "" : String.format(Locale.ROOT, "publish to last subscriber "
                + "p50 %.3f ms, p99 %.3f ms; ", level.publishToLastMillis().p50(),
                level.publishToLastMillis().p99()), streamCpu(level.cpuMillisPerSecond()));
      }
    }
    SharedFleetBenchmark.Result shared = null;
    if (o.fanOutMonitors() > 1 && baseline != null && measured >= o.fanOutMonitors()) {
      shared = SharedFleetBenchmark.run(t, monitor, http, o.fanOutMonitors(), measured,
          streamCpu(baseline.cpuMillisPerSecond()), o, progress);
    }
    return new Result(cap, refusal, levels, skipped, shared);
  }

  private static Level measure(int requested, SseBenchmarkClients clients, PacedBenchmarkWriter writer,
      PublishBenchmarkRecorder recorder, Monitor monitor, HttpClient http, BenchmarkOptions o,
      Level baseline, Double heapPerSubscriber) throws Exception {
    Map<String, Double> metrics0 = metrics(http, monitor.httpPort());
    Map<String, ServerStatus> atStart = new HashMap<>();
    monitor.registry().all().forEach(s -> atStart.put(s.name(), s));
    recorder.clear();
    CpuBenchmarkMeter.Snapshot cpu0 = CpuBenchmarkMeter.take();
    clients.startRecording();
    PacedBenchmarkWriter.Run run = writer.run(o.fanOutRate(), Duration.ofSeconds(o.fanOutSeconds()));
    GtidSet last = run.writes().get(run.writes().size() - 1).gtid();
    CommitLatencyBenchmark.awaitConfirmed(monitor.registry(), last);
    Thread.sleep(250); // the last events' deliveries
    Map<String, SseBenchmarkClients.Receipt> receipts = clients.stopRecording();
    CpuBenchmarkMeter.Snapshot cpu1 = CpuBenchmarkMeter.take();
    Map<String, List<Publish>> publishes = recorder.takeByServer();
    Map<String, Double> metrics1 = metrics(http, monitor.httpPort());

    Map<String, Long> publishedAt = new HashMap<>();
    long count = 0;
    long changes = 0;
    for (Map.Entry<String, List<Publish>> e : publishes.entrySet()) {
      ServerStatus previous = atStart.get(e.getKey());
      for (Publish p : e.getValue()) {
        count++;
        ServerStatus s = p.status();
        publishedAt.put(s.name() + "#" + s.version(), p.nanos());
        if (previous == null || !s.confirmed().equals(previous.confirmed())
            || s.feed() != previous.feed()) {
          changes++;
        }
        previous = s;
      }
    }
    List<Double> toFirst = new ArrayList<>();
    List<Double> toLast = new ArrayList<>();
    SseBenchmarkClients.Receipt.delays(receipts, publishedAt, toFirst, toLast);
    long[] perSubscriber = clients.recordedPerSubscriber();
    long deliveries = 0;
    long min = Long.MAX_VALUE;
    for (long n : perSubscriber) {
      deliveries += n;
      min = Math.min(min, n);
    }
    double wallSeconds = CpuBenchmarkMeter.wallMillis(cpu0, cpu1) / 1000;
    Map<String, Double> cpuPerSecond = CpuBenchmarkMeter.perSecond(cpu0, cpu1);
    Double overBaseline = null;
    Double perDelivery = null;
    if (baseline != null) {
      double extra = streamCpu(cpuPerSecond) - streamCpu(baseline.cpuMillisPerSecond());
      overBaseline = Stats.round(extra);
      perDelivery = deliveries == 0 ? null
          : Stats.round(extra * wallSeconds * 1000 / deliveries);
    }
    return new Level(requested, clients.size(), Stats.round(wallSeconds),
        Math.round(run.achievedPerSecond() * 10) / 10.0, count, changes,
        delta(metrics0, metrics1, "catchup_stream_events_total"),
        delta(metrics0, metrics1, "catchup_stream_dropped_subscribers_total"),
        perSubscriber.length == 0 ? 0 : min,
        perSubscriber.length == 0 ? 0 : Stats.round(deliveries / (double) perSubscriber.length),
        toLast.size(), Stats.of(toFirst), Stats.of(toLast), cpuPerSecond, overBaseline, perDelivery,
        heapPerSubscriber, ManagementFactory.getThreadMXBean().getThreadCount());
  }

  /** Heap in use after a full collection (the benchmark's own measurement, between levels). */
  private static long heapAfterGc() throws InterruptedException {
    System.gc();
    Thread.sleep(100);
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double streamCpu(Map<String, Double> cpu) {
    return STREAM_GROUPS.stream().mapToDouble(g -> cpu.getOrDefault(g, 0.0)).sum();
  }

  private static long delta(Map<String, Double> a, Map<String, Double> b, String name) {
    return Math.round(b.getOrDefault(name, 0.0) - a.getOrDefault(name, 0.0));
  }

  /** The un-labelled samples of {@code /metrics}. */
  private static Map<String, Double> metrics(HttpClient http, int port)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + r.statusCode() + ": " + r.body());
    }
    Map<String, Double> out = new HashMap<>();
    for (String line : r.body().split("\n")) {
      String[] parts = line.split(" ");
      if (!line.startsWith("#") && parts.length == 2 && !parts[0].contains("{")) {
        try {
          out.put(parts[0], Double.parseDouble(parts[1]));
        } catch (NumberFormatException e) {
          // not a number (NaN spelled otherwise): not one we read
        }
      }
    }
    return out;
  }

}
