package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.Progress;
import dev.catchup.bench.harness.Stats;
import dev.catchup.bench.monitor.BenchmarkSql.BinlogPosition;
import dev.catchup.bench.monitor.CommitTimesBenchmarkReader.Times;
import dev.catchup.bench.monitor.PacedBenchmarkWriter.Write;
import dev.catchup.bench.monitor.PublishBenchmarkRecorder.Publish;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Commit to confirmed publish: with the monitor running and replication delay 0, one connection
 * writes at a moderate fixed rate; for each transaction the time of the first status the registry
 * publishes whose confirmed set contains it is taken, per server, from a registry listener (the
 * same notification the stream and waiters get).
 *
 * <p>Start points: the client's receipt of the commit's reply (both flavors, same clock as the
 * publish) and, on MySQL, the commit timestamps the replica's own binlog records for the transaction
 * (primary commit and replica commit, microseconds of the system clock, which the servers share with
 * this JVM because the topology is local). MariaDB's binlog has only whole-second timestamps, so on
 * MariaDB only the end-to-end figure (client reply to publish) is reported.
 */
final class CommitLatencyBenchmark {
  /**
   * One latency distribution.
   *
   * @param server whose confirmed set was published
   * @param from start event
   * @param to end event
   * @param millis distribution in milliseconds
   */
  record Series(String server, String from, String to, Stats millis) {}

  /**
   * The phase's figures.
   *
   * @param targetPerSecond asked write rate
   * @param achievedPerSecond achieved write rate
   * @param seconds duration of the writes
   * @param transactions transactions measured
   * @param series every distribution
   * @param unconfirmed transactions no publish confirmed within the wait (per server, summed)
   * @param selectsPerTransaction per server, its {@code Com_select} increase divided by the
   *     transactions: the tracker's confirmation reads (nothing else selects there meanwhile)
   * @param cpuMillis CPU of the monitor's binlog feed and tracker threads (all servers) while
   *     the transactions were written and confirmed
   * @param trackerCpuMillisPer1000TransactionsPerServer that CPU per 1000 transactions per server
   */
  record Result(int targetPerSecond, double achievedPerSecond, int seconds, int transactions,
      List<Series> series, long unconfirmed, Map<String, Double> selectsPerTransaction,
      Map<String, Double> cpuMillis, double trackerCpuMillisPer1000TransactionsPerServer) {}

  static final String CLIENT_REPLY = "client receives commit reply";
  static final String PRIMARY_COMMIT = "primary commit (binlog original_commit_timestamp)";
  static final String REPLICA_COMMIT = "replica commit (binlog immediate_commit_timestamp)";
  static final String PUBLISH = "registry publishes confirmed set containing it";

  private CommitLatencyBenchmark() {}

  static Result run(Topology t, Monitor monitor, BenchmarkOptions o, Progress progress)
      throws Exception {
    Registry registry = monitor.registry();
    boolean mysql = t.flavor() == Flavor.MYSQL;
    List<Server> all = new ArrayList<>();
    all.add(t.primary());
    all.addAll(t.replicas());
    Map<String, Connection> status = new LinkedHashMap<>();
    try (PacedBenchmarkWriter writer = new PacedBenchmarkWriter(t);
         PublishBenchmarkRecorder recorder = new PublishBenchmarkRecorder(registry)) {
      // Opened before the first count: a new connection's own setup query is a SELECT too.
      for (Server s : all) {
        status.put(s.name(), t.connect(s));
      }
      progress.say("latency: warming up for 1 s at %d writes/s", o.latencyRate());
      PacedBenchmarkWriter.Run warm = writer.run(o.latencyRate(), Duration.ofSeconds(1));
      awaitConfirmed(registry, last(warm.writes()));

      Map<String, BinlogPosition> replicaStart = new LinkedHashMap<>();
      for (Server r : t.replicas()) {
        try (Connection c = t.connect(r)) {
          replicaStart.put(r.name(), BenchmarkSql.position(t, c));
        }
      }
      Map<String, Long> selects0 = BenchTable.comSelect(status);
      recorder.clear();
      CpuBenchmarkMeter.Snapshot cpu0 = CpuBenchmarkMeter.take();
      WallClock clock = WallClock.anchor();
      progress.say("latency: writing %d transactions/s for %d s", o.latencyRate(), o.latencySeconds());
      PacedBenchmarkWriter.Run run = writer.run(o.latencyRate(), Duration.ofSeconds(o.latencySeconds()));
      List<Write> writes = run.writes();
      awaitConfirmed(registry, last(writes));
      CpuBenchmarkMeter.Snapshot cpu1 = CpuBenchmarkMeter.take();
      Map<String, Long> selects1 = BenchTable.comSelect(status);
      Thread.sleep(50);
      Map<String, List<Publish>> publishes = recorder.takeByServer();
      Map<String, Double> cpu = CpuBenchmarkMeter.grouped(cpu0, cpu1, CpuBenchmarkMeter.GROUPS);
      Map<String, Double> trackerCpu = new LinkedHashMap<>();
      trackerCpu.put("binlogFeedThreads", cpu.getOrDefault("binlog feed", 0.0));
      trackerCpu.put("trackerThreads", cpu.getOrDefault("tracker", 0.0));
      double perTx = (trackerCpu.get("binlogFeedThreads") + trackerCpu.get("trackerThreads"))
          / (writes.size() * (1.0 + t.replicas().size())) * 1000;
      Map<String, Double> selectsPerTx = new LinkedHashMap<>();
      selects1.forEach((server, n) -> selectsPerTx.put(server,
          Stats.round((n - selects0.get(server)) / (double) writes.size())));
      progress.say("latency: feed + tracker CPU %.1f ms per 1000 transactions per server; "
          + "confirmation reads per transaction %s", perTx, selectsPerTx);
      List<GtidSet> gtids = writes.stream().map(Write::gtid).toList();

      List<Series> series = new ArrayList<>();
      long unconfirmed = 0;
      List<String> servers = new ArrayList<>();
      servers.add("primary");
      t.replicas().forEach(r -> servers.add(r.name()));
      Map<String, Map<String, Times>> commitTimes = new LinkedHashMap<>();
      if (mysql) {
        Set<String> wanted = new HashSet<>();
        gtids.forEach(g -> wanted.add(key(g)));
        for (Server r : t.replicas()) {
          commitTimes.put(r.name(), CommitTimesBenchmarkReader.read(t, r, replicaStart.get(r.name()),
              wanted, Duration.ofSeconds(20)));
        }
      }
      for (String server : servers) {
        long[] published = PublishBenchmarkRecorder.firstConfirming(
            publishes.getOrDefault(server, List.of()), gtids);
        List<Double> fromReply = new ArrayList<>();
        List<Double> fromPrimaryCommit = new ArrayList<>();
        List<Double> fromReplicaCommit = new ArrayList<>();
        List<Double> applyDelay = new ArrayList<>();
        // The replica's binlog has both timestamps; any replica's serves for the primary's commit.
        Map<String, Times> times = commitTimes.getOrDefault(server.equals("primary")
            ? t.replicas().get(0).name() : server, Map.of());
        for (int i = 0; i < writes.size(); i++) {
          if (published[i] < 0) {
            unconfirmed++;
            continue;
          }
          fromReply.add((published[i] - writes.get(i).replyNanos()) / 1e6);
          Times ct = times.get(key(gtids.get(i)));
          if (ct != null) {
            long publishMicros = clock.micros(published[i]);
            fromPrimaryCommit.add((publishMicros - ct.originalMicros()) / 1e3);
            if (!server.equals("primary")) {
              fromReplicaCommit.add((publishMicros - ct.immediateMicros()) / 1e3);
              applyDelay.add((ct.immediateMicros() - ct.originalMicros()) / 1e3);
            }
          }
        }
        if (!fromReplicaCommit.isEmpty()) {
          series.add(new Series(server, REPLICA_COMMIT, PUBLISH, Stats.of(fromReplicaCommit)));
        }
        series.add(new Series(server, CLIENT_REPLY, PUBLISH, Stats.of(fromReply)));
        if (!fromPrimaryCommit.isEmpty()) {
          series.add(new Series(server, PRIMARY_COMMIT, PUBLISH, Stats.of(fromPrimaryCommit)));
        }
        if (!applyDelay.isEmpty()) {
          series.add(new Series(server, PRIMARY_COMMIT, REPLICA_COMMIT, Stats.of(applyDelay)));
        }
      }
      for (Series s : series) {
        progress.say("latency: %-9s %s -> %s: p50 %.3f ms, p99 %.3f ms, max %.3f ms", s.server(),
            brief(s.from()), brief(s.to()), s.millis().p50(), s.millis().p99(), s.millis().max());
      }
      return new Result(o.latencyRate(), Math.round(run.achievedPerSecond() * 10) / 10.0,
          o.latencySeconds(), writes.size(), series, unconfirmed, selectsPerTx, trackerCpu,
          Stats.round(perTx));
    } finally {
      for (Connection c : status.values()) {
        c.close();
      }
    }
  }

  private static String brief(String event) {
    return event.equals(PUBLISH) ? "publish" : event.replaceAll(" \\(.*", "");
  }

  private static GtidSet last(List<Write> writes) {
    return writes.get(writes.size() - 1).gtid();
  }

  /** {@code uuid:gno} of a single-transaction MySQL set, as the binlog reader keys it. */
  private static String key(GtidSet single) {
    if (single instanceof MysqlGtidSet m && !m.intervals().isEmpty()) {
      MysqlGtidSet.Interval i = m.intervals().get(0);
      return i.uuid() + ":" + i.first();
    }
    return single.toString();
  }


  /** Waits until every server's published confirmed set contains {@code gtid}. */
  static void awaitConfirmed(Registry registry, GtidSet gtid) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!registry.all().stream().allMatch(s -> s.confirmed().contains(gtid))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the monitor did not confirm " + gtid + " on every server "
            + "within 20 s");
      }
      Thread.sleep(2);
    }
  }

  /** Converts {@link System#nanoTime()} readings to microseconds of the system clock. */
  record WallClock(long anchorNanos, long anchorMicros) {
    /** Anchors on the tightest of a few paired readings, so the pairing error stays sub-microsecond. */
    static WallClock anchor() {
      WallClock best = null;
      long bestGap = Long.MAX_VALUE;
      for (int i = 0; i < 20; i++) {
        long a = System.nanoTime();
        Instant now = Instant.now();
        long b = System.nanoTime();
        if (b - a < bestGap) {
          bestGap = b - a;
          best = new WallClock(a + (b - a) / 2, ChronoUnit.MICROS.between(Instant.EPOCH, now));
        }
      }
      return best;
    }

    long micros(long nanos) {
      return anchorMicros + (nanos - anchorNanos) / 1000;
    }
  }
}
