package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.Progress;
import dev.catchup.bench.harness.Stats;
import dev.catchup.bench.monitor.BenchmarkSql.BinlogPosition;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.grants.MonitorGrants;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.monitor.tracking.Trackers;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Tailer throughput: how fast one tracker (its binlog feed thread and its tracker thread, the
 * monitor's own classes) works through a backlog of binlog transactions, and how much CPU it takes.
 *
 * <p>A tracker starts from the server's <em>current</em> binlog position, so a backlog has to be
 * written while its feed is connected-then-paused: the tracker tails the primary as a dedicated
 * user; the benchmark locks that account and kills its binlog dump connection (the feed keeps its
 * position and retries with back-off), writes N single-row autocommit transactions from several
 * connections, waits for the next whole second and writes one marker transaction, then unlocks the
 * account. The feed reconnects at its old position and replays everything. The replay is done when
 * the tracker publishes a status whose last original commit time is at or after that second: only
 * the marker is that late, and only the binlog stream sets that field (the tracker's confirmation
 * reads go on during the pause and show the whole backlog at once, so the confirmed set cannot tell).
 * Afterwards the tracker's own transaction count checks that every transaction came through the
 * stream.
 */
final class TailerBenchmark {
  private static final String USER = "bench_tail";
  private static final String PASSWORD = "bench_tail";
  private static final String NAME = "tail-primary";
  private static final int STATEMENTS_PER_ROUND_TRIP = 100;
  /** Short back-off: the time from the unlock to the reconnect is part of the replay's wall time. */
  private static final TrackerSettings SETTINGS = new TrackerSettings(Duration.ofMillis(500),
      Duration.ofMillis(20), Duration.ofMillis(20), null);

  /**
   * One replay.
   *
   * @param round 1-based; round 1 is the JIT's warm-up
   * @param transactions transactions in the backlog, the marker included (from the executed sets)
   * @param writeSeconds time to write them from {@code writers} connections
   * @param writeTransactionsPerSecond write rate
   * @param binlogBytes binary log bytes of the backlog
   * @param binlogEvents binlog events of the backlog ({@code SHOW BINLOG EVENTS})
   * @param eventsByType the same, by event type
   * @param reconnectMillis from the unlock to the start of the feed's successful connection attempt
   *     (the last status published with the feed CONNECTING: the tracker is idle then, so that
   *     publish follows the attempt's start at once): the back-off left after the unlock
   * @param replaySeconds from the unlock to the publish that carried the marker's commit time
   * @param replayTransactionsPerSecond transactions / replaySeconds
   * @param replayEventsPerSecond binlog events / replaySeconds
   * @param connectedTransactionsPerSecond transactions / (replaySeconds - reconnect): the rate from
   *     the successful connection attempt (its handshake included)
   * @param publishes statuses the tracker published with the feed connected, until the marker: one
   *     per burst drained from the feed's queue
   * @param streamTransactionsCounted GTID events the tracker itself counted from the stream (its
   *     transactions-per-second figure over five seconds, times five, read after the replay): equal
   *     to {@code transactions} when every backlog transaction went through the stream
   * @param cpuMillis CPU during the replay: feed thread, tracker thread, whole process
   * @param trackerCpuMillisPer1000Transactions feed + tracker CPU per 1000 transactions
   * @param transactionsPerCpuSecond transactions per CPU-second of feed + tracker: the rate one
   *     fully used core would sustain
   * @param eventsPerCpuSecond binlog events per CPU-second of feed + tracker
   * @param processCpuMillisPer1000Transactions whole-process CPU (GC and JIT included) per 1000
   */
  record Round(int round, long transactions, int writers, double writeSeconds,
      double writeTransactionsPerSecond, Long binlogBytes, long binlogEvents,
      Map<String, Long> eventsByType, double reconnectMillis, double replaySeconds,
      double replayTransactionsPerSecond, double replayEventsPerSecond,
      double connectedTransactionsPerSecond, long publishes, long streamTransactionsCounted,
      Map<String, Double> cpuMillis, double trackerCpuMillisPer1000Transactions,
      double transactionsPerCpuSecond, double eventsPerCpuSecond,
      double processCpuMillisPer1000Transactions) {}

  /**
   * Medians over the warm rounds (all but the first, or the only one).
   *
   * @param rounds which rounds
   * @param transactionsPerCpuSecond median transactions per CPU-second of feed + tracker
   * @param eventsPerCpuSecond median binlog events per CPU-second of feed + tracker
   * @param cpuMillisPer1000Transactions median feed + tracker CPU per 1000 transactions
   * @param connectedTransactionsPerSecond median wall-clock rate from the connection attempt
   */
  record Summary(List<Integer> rounds, double transactionsPerCpuSecond, double eventsPerCpuSecond,
      double cpuMillisPer1000Transactions, double connectedTransactionsPerSecond) {
    static Summary of(List<Round> all) {
      List<Round> warm = all.size() > 1 ? all.subList(1, all.size()) : all;
      return new Summary(warm.stream().map(Round::round).toList(),
          median(warm.stream().mapToDouble(Round::transactionsPerCpuSecond).toArray()),
          median(warm.stream().mapToDouble(Round::eventsPerCpuSecond).toArray()),
          median(warm.stream().mapToDouble(Round::trackerCpuMillisPer1000Transactions).toArray()),
          median(warm.stream().mapToDouble(Round::connectedTransactionsPerSecond).toArray()));
    }

    private static double median(double[] v) {
      java.util.Arrays.sort(v);
      int n = v.length;
      return Stats.round(n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
    }
  }

  private final Topology topology;
  private final Flavor flavor;
  private final BenchmarkOptions options;
  private final Progress progress;

  TailerBenchmark(Topology topology, BenchmarkOptions options, Progress progress) {
    this.topology = topology;
    this.flavor = BenchTable.flavor(topology);
    this.options = options;
    this.progress = progress;
  }

  /** Runs every round. */
  List<Round> run() throws Exception {
    List<Round> rounds = new ArrayList<>();
    try (Connection admin = topology.connect(topology.primary())) {
      // sql_log_bin=0: the account exists on the primary only and never reaches a replica's set.
      BenchmarkSql.execute(admin, "SET SESSION sql_log_bin = 0");
      BenchmarkSql.execute(admin, "DROP USER IF EXISTS '" + USER + "'@'%'");
      BenchmarkSql.execute(admin, "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
      // Exactly what the monitor's grant check asks of a server (the tracked one is a primary).
      for (String grant : MonitorGrants.statements(flavor, false, MonitorGrants.account(USER, "%"))) {
        BenchmarkSql.execute(admin, grant);
      }
      try {
        for (int r = 1; r <= options.rounds(); r++) {
          rounds.add(round(admin, r));
        }
      } finally {
        BenchmarkSql.execute(admin, "DROP USER IF EXISTS '" + USER + "'@'%'");
      }
    }
    return rounds;
  }

  private Round round(Connection admin, int round) throws Exception {
    String label = "tailer round " + round + "/" + options.rounds();
    Registry registry = new Registry(flavor, Clock.systemUTC(), Duration.ofSeconds(10), NAME, List.of());
    ServerEndpoint endpoint = new ServerEndpoint(NAME, topology.primary().host(),
        topology.primary().port(), USER, PASSWORD);
    ReplayWatch watch = new ReplayWatch();
    try (AutoCloseable sub = registry.subscribe(watch::onPublish);
         Trackers trackers = Trackers.start(flavor, registry, SETTINGS, endpoint, List.of())) {
      await("the tracker to connect and confirm", Duration.ofSeconds(30), () -> {
        ServerStatus s = registry.primary();
        return s.feed() == FeedState.CONNECTED && s.confirmedAt() != null;
      });
      pause(admin);
      await("the feed to notice the pause", Duration.ofSeconds(10),
          () -> registry.primary().feed() != FeedState.CONNECTED);

      GtidSet before = BenchmarkSql.executed(topology, admin, true);
      BinlogPosition from = BenchmarkSql.position(topology, admin);
      progress.say("%s: feed paused; writing %,d transactions from %d connections", label,
          options.backlog(), options.writers());
      long writeNanos = writeBacklog(options.backlog(), options.writers());
      Instant boundary = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), boundary).toMillis() + 20));
      try (Connection marker = topology.connect(topology.primary())) {
        BenchmarkSql.execute(marker, "INSERT INTO " + BenchmarkSql.TABLE + " (writer, v) VALUES (-1, 0)");
      }
      GtidSet after = BenchmarkSql.executed(topology, admin, true);
      BinlogPosition to = BenchmarkSql.position(topology, admin);
      long transactions = after.countNotIn(before);
      Map<String, Long> byType = countEvents(admin, from, to);
      long events = byType.values().stream().mapToLong(Long::longValue).sum();
      progress.say("%s: wrote %,d transactions in %.2f s (%,.0f/s), %,d binlog events; replaying",
          label, transactions, writeNanos / 1e9, transactions / (writeNanos / 1e9), events);

      CpuBenchmarkMeter.Snapshot cpu0 = CpuBenchmarkMeter.take();
      long unlocked = System.nanoTime();
      watch.arm(boundary, unlocked);
      BenchmarkSql.execute(admin, "ALTER USER '" + USER + "'@'%' ACCOUNT UNLOCK");
      if (!watch.done.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(label + ": the tracker did not reach the marker within 60 s");
      }
      CpuBenchmarkMeter.Snapshot cpu1 = CpuBenchmarkMeter.take();
      // The tracker's rate covers the last five whole seconds (of System.nanoTime()) and is
      // refreshed at every publish, at least every reconcile interval: wait for a publish after the
      // replay's last second has closed.
      Thread.sleep(1_000 + 2 * SETTINGS.reconcileInterval().toMillis());
      long counted = Math.round(registry.primary().binlog().transactionsPerSecond() * 5);

      double replay = (watch.doneNanos.get() - unlocked) / 1e9;
      double feedMs = CpuBenchmarkMeter.threadMillis(cpu0, cpu1, "binlog-" + NAME);
      double trackerMs = CpuBenchmarkMeter.threadMillis(cpu0, cpu1, "tracker-" + NAME);
      double processMs = (cpu1.processCpuNanos() - cpu0.processCpuNanos()) / 1e6;
      double cpuSeconds = (feedMs + trackerMs) / 1000;
      Round r = new Round(round, transactions, options.writers(), r3(writeNanos / 1e9),
          r0(transactions / (writeNanos / 1e9)), from.file().equals(to.file())
              ? to.position() - from.position() : null,
          events, byType, r3((watch.connectingNanos.get() - unlocked) / 1e6), r3(replay),
          r0(transactions / replay), r0(events / replay),
          r0(transactions / ((watch.doneNanos.get() - watch.connectingNanos.get()) / 1e9)),
          watch.publishes.get(), counted,
          cpu(r3(feedMs), r3(trackerMs), r3(processMs)),
          r3((feedMs + trackerMs) / transactions * 1000), r0(transactions / cpuSeconds),
          r0(events / cpuSeconds), r3(processMs / transactions * 1000));
      progress.say("%s: replayed in %.3f s: %,.0f tx/s, %,.0f events/s; feed+tracker CPU %.0f ms "
              + "(%,.0f tx per CPU-second)", label, replay, r.replayTransactionsPerSecond(),
          r.replayEventsPerSecond(), feedMs + trackerMs, r.transactionsPerCpuSecond());
      return r;
    } finally {
      BenchmarkSql.execute(admin, "ALTER USER '" + USER + "'@'%' ACCOUNT UNLOCK");
    }
  }

  /**
   * Locks the tracker's account, then ends its binlog dump connection. The tracker's SQL connection
   * stays: its confirmation reads go on (and already show the backlog, which is why the replay's end
   * is judged from the stream's commit times), so after the unlock only the feed reconnects.
   */
  private void pause(Connection admin) throws SQLException {
    BenchmarkSql.execute(admin, "ALTER USER '" + USER + "'@'%' ACCOUNT LOCK");
    List<Long> ids = new ArrayList<>();
    try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SHOW PROCESSLIST")) {
      while (rs.next()) {
        String command = rs.getString("Command");
        if (USER.equals(rs.getString("User")) && command != null && command.startsWith("Binlog Dump")) {
          ids.add(rs.getLong("Id"));
        }
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalStateException("no binlog dump connection of " + USER + " to pause");
    }
    for (long id : ids) {
      try {
        BenchmarkSql.execute(admin, "KILL CONNECTION " + id);
      } catch (SQLException e) {
        // It ended on its own in between: what we wanted.
      }
    }
  }

  /** Writes {@code n} single-row autocommit transactions, several statements per round trip. */
  private long writeBacklog(int n, int writers) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger name = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(writers, r -> {
      Thread t = new Thread(r, "bench-backlog-writer-" + name.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    CountDownLatch connected = new CountDownLatch(writers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w + 1;
        done.add(pool.submit(() -> {
          try (Connection c = topology.connect(topology.primary(), "allowMultiQueries=true");
               Statement s = c.createStatement()) {
            connected.countDown();
            go.await();
            StringBuilder sql = new StringBuilder();
            while (true) {
              int first = next.getAndAdd(STATEMENTS_PER_ROUND_TRIP);
              int last = Math.min(n, first + STATEMENTS_PER_ROUND_TRIP);
              if (first >= n) {
                return null;
              }
              sql.setLength(0);
              for (int i = first; i < last; i++) {
                // One autocommit statement each: one transaction, one GTID.
                sql.append("INSERT INTO ").append(BenchmarkSql.TABLE).append(" (writer, v) VALUES (")
                    .append(writer).append(", ").append(i).append(");");
              }
              s.execute(sql.toString());
              while (s.getMoreResults() || s.getUpdateCount() != -1) {
                // drain every statement's result
              }
            }
          }
        }));
      }
      if (!connected.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("backlog writers could not connect within 30 s");
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
      return System.nanoTime() - start;
    } finally {
      go.countDown();
      pool.shutdownNow();
    }
  }

  private Map<String, Long> countEvents(Connection admin, BinlogPosition from, BinlogPosition to)
      throws SQLException {
    Map<String, Long> byType = new TreeMap<>();
    try (Statement s = admin.createStatement()) {
      s.setFetchSize(Integer.MIN_VALUE); // stream the rows: a backlog has ~100,000 events
      try (ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + from.file() + "' FROM "
          + from.position())) {
        while (rs.next()) {
          if (from.file().equals(to.file()) && rs.getLong("Pos") >= to.position()) {
            break;
          }
          byType.merge(rs.getString("Event_type"), 1L, Long::sum);
        }
      }
    }
    return byType;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private static Map<String, Double> cpu(double feed, double tracker, double process) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("binlogFeedThread", feed);
    m.put("trackerThread", tracker);
    m.put("process", process);
    return m;
  }

  private static double r0(double x) {
    return Math.round(x);
  }

  private static double r3(double x) {
    return Stats.round(x);
  }

  /** Watches the tracker's publishes, on the tracker thread, for the replay's milestones. */
  private static final class ReplayWatch {
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicLong doneNanos = new AtomicLong();
    final AtomicLong connectingNanos = new AtomicLong();
    final AtomicLong publishes = new AtomicLong();
    private volatile Instant boundary;

    void arm(Instant marker, long unlockNanos) {
      connectingNanos.set(unlockNanos); // in case the attempt under way at the unlock succeeds
      boundary = marker;
    }

    void onPublish(ServerStatus s) {
      Instant b = boundary;
      if (b == null || done.getCount() == 0) {
        return;
      }
      long now = System.nanoTime();
      if (s.feed() == FeedState.CONNECTING) {
        connectingNanos.set(now);
      } else if (s.feed() == FeedState.CONNECTED) {
        publishes.incrementAndGet();
      }
      if (s.binlog().lastOriginalCommit() != null && !s.binlog().lastOriginalCommit().isBefore(b)) {
        doneNanos.set(now);
        done.countDown();
      }
    }
  }
}
