package dev.catchup.bench.routing;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.InProcessMonitor;
import dev.catchup.bench.harness.Launcher;
import dev.catchup.bench.harness.PoolSampler;
import dev.catchup.bench.harness.Progress;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Entry point of {@code scripts/bench-routing.sh}. Per flavor: starts a local topology (delay 0)
 * and the monitor in-process, measures covered reads and write-then-read at delay 0 with a plain
 * pool, Catchup following the monitor and Catchup asking the replica directly; then sets the
 * replication delay and measures how long uncovered reads wait against the replica's actual apply
 * time, and the connections waiting readers hold. Writes {@code routing-bench.md} and
 * {@code routing-bench.json}. Everything it starts is stopped in {@code finally} blocks, and the
 * topology by a shutdown hook on Ctrl-C.
 *
 * <p>Exit codes: 0 done, 1 a phase failed, 2 bad arguments.
 */
final class RoutingBenchmark {
  private static final Duration UP_TIMEOUT = Duration.ofSeconds(30);
  private static final long AFTER_WRITE_IDS = 10_000_000;
  private static final long WAIT_IDS = 20_000_000;
  private static final long HELD_IDS = 30_000_000;
  private static final long TIMED_IDS = 40_000_000;
  private static final long IDS_PER_RUN = 1_000;

  private RoutingBenchmark() {}

  public static void main(String[] args) {
    Launcher.main("bench-routing", args, RoutingOptions::parse, RoutingOptions.USAGE,
        RoutingBenchmark::measure,
        (o, m) -> new RoutingReport(o, m.machine(), m.started(), m.seconds(), m.flavors()));
  }

  private static RoutingReport.FlavorResult measure(Topology t, RoutingOptions o,
      Progress progress) throws Exception {
    String name = Topology.cliName(t.flavor());
    BenchTable.create(t);
    AtomicLong values = new AtomicLong(System.currentTimeMillis() * 1000); // never used before
    progress.say("%s: starting the monitor in-process", name);
    try (Monitor m = InProcessMonitor.start(t)) {
      awaitUp(m.registry());
      CoveredReads.Result covered;
      List<WriteThenRead.Result> afterWrite = new ArrayList<>();
      int pool = Math.max(4, o.afterWriteThreads());
      try (Access raw = Access.raw(t, pool);
           Access.Catchup monitor = Access.catchup(t, m, pool, false);
           Access.Catchup direct = Access.catchup(t, null, pool, false)) {
        monitor.awaitFollowingMonitor(UP_TIMEOUT);
        progress.say("%s: 1+2. covered reads, delay 0: %d batches of %d per mode, modes in turn",
            name, (o.warmupReads() + o.coveredReads()) / o.batch(), o.batch());
        covered = CoveredReads.run(t, m, List.of(raw, monitor, direct), o, progress);
        List<Access> modes = List.of(raw, monitor, direct);
        for (int i = 0; i < modes.size(); i++) {
          Access a = modes.get(i);
          int perThread = Math.max(1, o.afterWriteReads() / o.afterWriteThreads());
          progress.say("%s: 1. write then read at once, delay 0, %s: %d threads x %d", name,
              a.mode().label(), o.afterWriteThreads(), perThread);
          afterWrite.add(WriteThenRead.run(t, a, new WriteThenRead.Plan("after write, delay 0",
              o.afterWriteThreads(), perThread, AFTER_WRITE_IDS + i * IDS_PER_RUN, false,
              List.of(), List.of()), values));
        }
      }
      List<WriteThenRead.Result> timed = timedAfterWrite(t, m, o, progress, values);

      Duration delay = Duration.ofSeconds(o.delaySeconds());
      progress.say("%s: setting the replication delay to %s", name, delay);
      for (Server r : t.replicas()) {
        t.setDelay(r, delay);
      }
      awaitUp(m.registry());

      List<WriteThenRead.Result> waits = new ArrayList<>();
      int run = 0;
      for (boolean withMonitor : List.of(true, false)) {
        try (Access.Catchup a = Access.catchup(t, withMonitor ? m : null, null, true)) {
          prepare(a, m);
          progress.say("%s: 3. uncovered reads, delay %s, %s, pool %d: %d threads x %d", name,
              delay, a.mode().label(), a.poolSize(), o.waitThreads(), o.waitRounds());
          waits.add(WriteThenRead.run(t, a, new WriteThenRead.Plan("uncovered, delay "
              + o.delaySeconds() + " s", o.waitThreads(), o.waitRounds(), WAIT_IDS + run++ * IDS_PER_RUN,
              true, a.poolNames(), a.replicaPoolNames()), values));
        }
      }

      List<WriteThenRead.Result> held = new ArrayList<>();
      run = 0;
      for (Integer size : heldPoolSizes(t, o)) {
        for (boolean withMonitor : List.of(true, false)) {
          try (Access.Catchup a = Access.catchup(t, withMonitor ? m : null, size, true)) {
            prepare(a, m);
            progress.say("%s: 4. held connections, delay %s, %s, pool %d: %d threads x %d", name,
                delay, a.mode().label(), a.poolSize(), o.heldThreads(), o.heldRounds());
            held.add(WriteThenRead.run(t, a, new WriteThenRead.Plan(o.heldThreads()
                    + " threads, pool " + a.poolSize(), o.heldThreads(), o.heldRounds(),
                HELD_IDS + run++ * IDS_PER_RUN, true, a.poolNames(), a.replicaPoolNames()),
                values));
          }
        }
      }
      return new RoutingReport.FlavorResult(name, t.version(), o.replicas(), covered, afterWrite,
          waits, held, timed);
    }
  }

  /**
   * Section 5: write, then read at once at delay 0, each read timed against the replica's actual
   * apply (poller; on MySQL also the replica's commit in its binlog) with the pools sampled, for
   * Catchup following the monitor, Catchup direct and a proxy-style GTID wait, one after the other
   * (the pools' MBeans need unique names).
   */
  private static List<WriteThenRead.Result> timedAfterWrite(Topology t, Monitor m,
      RoutingOptions o, Progress progress, AtomicLong values) throws Exception {
    String name = Topology.cliName(t.flavor());
    List<WriteThenRead.Result> out = new ArrayList<>();
    int pool = Math.max(4, o.afterWriteThreads());
    for (Mode mode : List.of(Mode.MONITOR, Mode.DIRECT, Mode.PROXY_WAIT)) {
      Access a = mode == Mode.PROXY_WAIT ? new ProxyWait(t, pool)
          : Access.catchup(t, mode == Mode.MONITOR ? m : null, pool, true);
      try (a) {
        List<String> pools = a instanceof ProxyWait p ? p.poolNames()
            : ((Access.Catchup) a).poolNames();
        List<String> replicaPools = a instanceof ProxyWait p ? p.replicaPoolNames()
            : ((Access.Catchup) a).replicaPoolNames();
        PoolSampler.awaitFull(pools, pool, UP_TIMEOUT);
        if (a instanceof Access.Catchup c) {
          prepare(c, m);
        }
        int perThread = Math.max(1, o.afterWriteReads() / o.afterWriteThreads());
        progress.say("%s: 5. write then read at once, delay 0, timed, %s: %d threads x %d", name,
            mode.label(), o.afterWriteThreads(), perThread);
        out.add(WriteThenRead.run(t, a, new WriteThenRead.Plan("right after write, delay 0",
            o.afterWriteThreads(), perThread, TIMED_IDS + out.size() * IDS_PER_RUN, true,
            pools, replicaPools), values));
      }
    }
    return out;
  }

  /**
   * Pool sizes of the held-connections phase: one connection per thread (what direct mode needs),
   * then the SDK's default (null) when that is smaller than the readers waiting on one replica.
   */
  private static List<Integer> heldPoolSizes(Topology t, RoutingOptions o) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    sizes.add(o.heldThreads());
    int dflt;
    try (Access.Catchup probe = Access.catchup(t, null, null, true)) {
      dflt = probe.poolSize();
    }
    if (dflt * t.replicas().size() < o.heldThreads()) {
      sizes.add(null);
    }
    return sizes;
  }

  /**
   * Before a measured run: every pool full, and in monitor mode the SDK following the monitor with
   * its view of the replicas loaded (a probe for what the monitor already confirmed returns once
   * the SDK's view has it, without a query of its own).
   */
  private static void prepare(Access.Catchup a, Monitor m) throws InterruptedException, SQLException {
    PoolSampler.awaitFull(a.poolNames(), a.poolSize(), UP_TIMEOUT);
    if (a.mode() == Mode.MONITOR) {
      a.awaitFollowingMonitor(UP_TIMEOUT);
      GtidSet confirmed = null;
      for (ServerStatus s : m.registry().replicas()) {
        confirmed = confirmed == null ? s.confirmed() : confirmed.intersect(s.confirmed());
      }
      if (confirmed != null && !confirmed.isEmpty()) {
        a.probe(confirmed);
      }
    }
  }

  private static void awaitUp(Registry registry) throws InterruptedException {
    InProcessMonitor.awaitUp(registry, UP_TIMEOUT);
  }
}
