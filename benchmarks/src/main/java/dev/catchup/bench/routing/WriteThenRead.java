package dev.catchup.bench.routing;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.PoolSampler;
import dev.catchup.bench.harness.Stats;
import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Write-then-read: {@code threads} threads, each with a session of its own and a row of its own,
 * write the row (a new value) and read it back at once, {@code iterations} times. Each read is
 * checked against the value the thread wrote. Optionally an {@link ApplyPoller} per replica times
 * when each write became visible there, and a {@link PoolSampler} samples the pools meanwhile; a
 * thread then waits for its row to be visible on every replica before writing again, so that polls
 * and writes never overlap. On MySQL the replicas' binlogs are read after a polled run for each
 * write's commit time there ({@link ReplicaCommitTimes}), a reference that needs no thread to be
 * scheduled on time.
 */
final class WriteThenRead {
  private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);
  /** How often each replica's {@link ApplyPoller} polls. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(1);
  /** How often the {@link PoolSampler} samples the pools. */
  static final Duration SAMPLE_INTERVAL = Duration.ofMillis(2);
  private static final Duration BINLOG_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What to run.
   *
   * @param label the row's name in the results
   * @param threads writer-reader threads
   * @param iterations write-then-read cycles per thread
   * @param idBase first row id; thread i uses {@code idBase + i}
   * @param pollApply time each write's visibility on every replica
   * @param poolNames HikariCP pools to sample through their MBeans (empty: no sampling)
   * @param replicaPoolNames those of them that are replica pools
   */
  record Plan(String label, int threads, int iterations, long idBase, boolean pollApply,
      List<String> poolNames, List<String> replicaPoolNames) {}

  /**
   * Visibility against Catchup's read, for reads served by a replica.
   *
   * @param samples reads with both times
   * @param firstPoll of those, rows the first poll already saw (apply time is an upper bound)
   * @param polls polls run by all pollers
   * @param applyMillis commit reply to the first poll that returned the row (its reply)
   * @param readEndMillis commit reply to the end of the read through Catchup
   * @param overheadMillis read end minus visibility: how much later than the independent poll
   *     the read had its answer
   * @param replicaCommitMillis MySQL only (else null): commit reply to the replica's own commit of
   *     the write ({@code immediate_commit_timestamp} from its binlog)
   * @param readEndMinusReplicaCommitMillis MySQL only: read end minus that commit
   */
  record Apply(long samples, long firstPoll, long polls, Stats applyMillis, Stats readEndMillis,
      Stats overheadMillis, Stats replicaCommitMillis, Stats readEndMinusReplicaCommitMillis) {}

  /**
   * The figures of one run.
   *
   * @param label from the plan
   * @param mode the mode's label
   * @param poolSize maximum connections per pool
   * @param threads writer-reader threads
   * @param iterationsPerThread cycles per thread
   * @param seconds wall time
   * @param reads reads attempted
   * @param stale reads that returned a value other than the thread's last write
   * @param failures reads that threw ({@code ReplicaNotCaughtUpException} among them)
   * @param readsByTarget reads per replica name or {@code primary} (failed reads not included)
   * @param extraQueries queries routing ran of its own
   * @param extraQueriesPerRead that per read (null for raw pools, which run none by construction)
   * @param extraQueriesByServer per server
   * @param inProcessWaits reads that waited in the process for the monitor, reached
   * @param inProcessWaitTimeouts those that gave up
   * @param inProcessWaitMeanMillis mean time of those waits
   * @param serverWaits reads that ran a wait query on a replica, reached
   * @param serverWaitTimeouts those that timed out
   * @param serverWaitMeanMillis mean time of those waits
   * @param fallbacks reads sent to the primary instead, by reason
   * @param routingSwitches times the SDK switched between following the monitor and asking the
   *     servers directly, by direction (none expected)
   * @param readMillis each read, from asking for the connection to closing it
   * @param apply visibility against the read (null when not polled)
   * @param pools pool samples (null when not sampled)
   */
  record Result(String label, String mode, int poolSize, int threads, int iterationsPerThread,
      double seconds, long reads, long stale, long failures, Map<String, Long> readsByTarget,
      long extraQueries, Double extraQueriesPerRead, Map<String, Long> extraQueriesByServer,
      long inProcessWaits, long inProcessWaitTimeouts, Double inProcessWaitMeanMillis,
      long serverWaits, long serverWaitTimeouts, Double serverWaitMeanMillis,
      Map<String, Long> fallbacks, Map<String, Long> routingSwitches, Stats readMillis, Apply apply,
      PoolSampler.Figures pools) {}

  private WriteThenRead() {}

  /**
   * One cycle of one thread: its row and value, where the read went (null: it failed), and the
   * {@link System#nanoTime()} of the commit reply, of the read's start and end, and of the poll
   * that first saw the row on that replica (0 if not polled).
   */
  private record Sample(long id, long value, String target, boolean stale, long committed,
      long readStart, long readEnd, long visible, boolean firstPoll) {}

  static Result run(Topology t, Access access, Plan plan, AtomicLong values)
      throws SQLException, InterruptedException {
    List<ApplyPoller> pollers = new ArrayList<>();
    AtomicInteger readers = new AtomicInteger();
    PoolSampler sampler = null;
    ExecutorService pool = Executors.newFixedThreadPool(plan.threads(), r -> {
      Thread th = new Thread(r, "bench-writer-reader");
      th.setDaemon(true);
      return th;
    });
    try {
      if (plan.pollApply()) {
        for (Server r : t.replicas()) {
          pollers.add(new ApplyPoller(r.name(), t.connect(r), plan.idBase(),
              plan.idBase() + plan.threads() - 1, POLL_INTERVAL));
        }
      }
      Map<String, ReplicaCommitTimes.Position> binlogFrom = new TreeMap<>();
      if (plan.pollApply() && t.flavor() == Flavor.MYSQL) {
        for (Server r : t.replicas()) {
          try (Connection c = t.connect(r)) {
            binlogFrom.put(r.name(), ReplicaCommitTimes.position(c));
          }
        }
      }
      CountingMetrics m = access.metrics();
      CountingMetrics.Counts before = m == null ? CountingMetrics.Counts.NONE : m.snapshot();
      if (!plan.poolNames().isEmpty()) {
        sampler = new PoolSampler(plan.poolNames(), plan.replicaPoolNames(), readers::get,
            SAMPLE_INTERVAL);
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Sample>>> futures = new ArrayList<>();
      for (int i = 0; i < plan.threads(); i++) {
        long id = plan.idBase() + i;
        futures.add(pool.submit(() -> {
          go.await();
          return cycles(access, id, plan.iterations(), pollers, readers, values);
        }));
      }
      long start = System.nanoTime();
      go.countDown();
      List<Sample> samples = new ArrayList<>();
      for (Future<List<Sample>> f : futures) {
        try {
          samples.addAll(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException(plan.label() + ": a writer-reader failed: " + e.getCause(),
              e.getCause());
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      PoolSampler.Figures pools = sampler == null ? null : sampler.stop();
      CountingMetrics.Counts c = m == null ? CountingMetrics.Counts.NONE : m.snapshot().minus(before);
      long polls = pollers.stream().mapToLong(ApplyPoller::polls).sum();
      Map<Sample, Long> replicaCommits = replicaCommits(t, binlogFrom, samples);
      return result(access, plan, seconds, samples, c, pools, polls, replicaCommits);
    } finally {
      pool.shutdownNow();
      if (sampler != null) {
        sampler.close();
      }
      for (ApplyPoller p : pollers) {
        p.close();
      }
    }
  }

  private static List<Sample> cycles(Access access, long id, int iterations, List<ApplyPoller> pollers,
      AtomicInteger readers, AtomicLong values) throws SQLException, InterruptedException {
    Access.Slot slot = access.newSlot();
    List<Sample> out = new ArrayList<>(iterations);
    for (int i = 0; i < iterations; i++) {
      long v = values.incrementAndGet();
      long committed;
      try (Connection w = slot.write()) {
        BenchTable.write(w, id, v);
        committed = System.nanoTime(); // autocommit: the commit reply has arrived
      }
      List<CompletableFuture<ApplyPoller.Visible>> visible = new ArrayList<>();
      for (ApplyPoller p : pollers) {
        visible.add(p.expect(id, v));
      }
      readers.incrementAndGet();
      long start = System.nanoTime();
      Long got;
      try (Connection r = slot.read()) {
        got = BenchTable.read(r, id);
      } catch (SQLException e) {
        got = null; // counted as a failure; ReplicaNotCaughtUpException is one
      } finally {
        readers.decrementAndGet();
      }
      long end = System.nanoTime();
      String target = got == null ? null : access.lastTarget();
      long seen = 0;
      boolean firstPoll = false;
      for (int k = 0; k < pollers.size(); k++) {
        ApplyPoller.Visible vis;
        try {
          vis = visible.get(k).get(VISIBLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          throw new IllegalStateException("row " + id + " = " + v + " not seen on "
              + pollers.get(k).replica() + " within " + VISIBLE_TIMEOUT, e);
        }
        if (pollers.get(k).replica().equals(target)) {
          seen = vis.nanos();
          firstPoll = vis.firstPoll();
        }
      }
      out.add(new Sample(id, v, target, got != null && got != v, committed, start, end, seen,
          firstPoll));
    }
    return out;
  }

  /**
   * MySQL: the replica's own commit time of each sample's write, as {@link System#nanoTime()},
   * from the binlog of the replica that served the read. Empty when {@code from} is.
   */
  private static Map<Sample, Long> replicaCommits(Topology t,
      Map<String, ReplicaCommitTimes.Position> from, List<Sample> samples) {
    Map<Sample, Long> out = new HashMap<>();
    if (from.isEmpty()) {
      return out;
    }
    // The servers write the system clock; map it onto nanoTime once (the run lasts seconds).
    Instant wall = Instant.now();
    long nanos = System.nanoTime();
    long wallMicros = ChronoUnit.MICROS.between(Instant.EPOCH, wall);
    for (Server r : t.replicas()) {
      Set<ReplicaCommitTimes.Row> wanted = new HashSet<>();
      for (Sample s : samples) {
        if (r.name().equals(s.target())) {
          wanted.add(new ReplicaCommitTimes.Row(s.id(), s.value()));
        }
      }
      Map<ReplicaCommitTimes.Row, Long> micros;
      try {
        micros = ReplicaCommitTimes.read(t, r, from.get(r.name()), wanted, BINLOG_TIMEOUT);
      } catch (IOException | TimeoutException e) {
        throw new IllegalStateException("reading " + r.name() + "'s binlog for commit times failed: "
            + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted reading " + r.name() + "'s binlog", e);
      }
      for (Sample s : samples) {
        Long us = r.name().equals(s.target())
            ? micros.get(new ReplicaCommitTimes.Row(s.id(), s.value())) : null;
        if (us != null) {
          out.put(s, nanos - (wallMicros - us) * 1000);
        }
      }
    }
    return out;
  }

  private static Result result(Access access, Plan plan, double seconds, List<Sample> samples,
      CountingMetrics.Counts c, PoolSampler.Figures pools, long polls,
      Map<Sample, Long> replicaCommits) {
    Map<String, Long> targets = new TreeMap<>();
    long stale = 0;
    long failures = 0;
    List<Double> read = new ArrayList<>();
    List<Double> apply = new ArrayList<>();
    List<Double> readEnd = new ArrayList<>();
    List<Double> overhead = new ArrayList<>();
    List<Double> replicaCommit = new ArrayList<>();
    List<Double> vsReplicaCommit = new ArrayList<>();
    long firstPoll = 0;
    for (Sample s : samples) {
      if (s.target() == null) {
        failures++;
        continue;
      }
      targets.merge(s.target(), 1L, Long::sum);
      read.add((s.readEnd() - s.readStart()) / 1e6);
      if (s.stale()) {
        stale++;
      }
      if (s.visible() != 0) {
        apply.add((s.visible() - s.committed()) / 1e6);
        readEnd.add((s.readEnd() - s.committed()) / 1e6);
        overhead.add((s.readEnd() - s.visible()) / 1e6);
        if (s.firstPoll()) {
          firstPoll++;
        }
      }
      Long rc = replicaCommits.get(s);
      if (rc != null) {
        replicaCommit.add((rc - s.committed()) / 1e6);
        vsReplicaCommit.add((s.readEnd() - rc) / 1e6);
      }
    }
    boolean binlog = !replicaCommits.isEmpty();
    Apply a = plan.pollApply() ? new Apply(apply.size(), firstPoll, polls, Stats.of(apply),
        Stats.of(readEnd), Stats.of(overhead), binlog ? Stats.of(replicaCommit) : null,
        binlog ? Stats.of(vsReplicaCommit) : null) : null;
    boolean sdk = access.metrics() != null;
    long reads = samples.size();
    long inProcess = c.get("monitorWaits.reached");
    long inProcessTimeouts = c.get("monitorWaits.timedOut");
    long server = c.get("serverWaits.reached");
    long serverTimeouts = c.get("serverWaits.timedOut");
    return new Result(plan.label(), access.mode().label(), access.poolSize(), plan.threads(),
        plan.iterations(), Stats.round(seconds), reads, stale, failures, targets,
        c.extraQueries(), sdk && reads > 0 ? Stats.round(c.extraQueries() / (double) reads) : null,
        c.by("extraQueries."), inProcess, inProcessTimeouts,
        meanMillis(c.get("monitorWaits.nanos"), inProcess + inProcessTimeouts),
        server, serverTimeouts, meanMillis(c.get("serverWaits.nanos"), server + serverTimeouts),
        c.by("fallbacks."), c.by("modeSwitches."), Stats.of(read), a, pools);
  }

  private static Double meanMillis(long nanos, long n) {
    return n == 0 ? null : Stats.round(nanos / 1e6 / n);
  }

}
