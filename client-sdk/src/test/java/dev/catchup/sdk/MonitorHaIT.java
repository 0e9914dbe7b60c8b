package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.Monitor;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two real monitors, a read-your-writes workload through the SDK with both replicas 1 s behind, and
 * the monitors failing in turn: (a) the followed one hangs (its port frozen, as under SIGSTOP or a
 * partition): the SDK follows the other within the staleness bound plus a connect; (b) the hung one
 * is stopped: still the other; (c) both gone: direct mode; (d) one back: followed again. Throughout:
 * no stale read, no failed read, no read longer than {@code maxWait} plus {@link #READ_MARGIN}.
 */
class MonitorHaIT {
  private static final Logger log = LoggerFactory.getLogger(MonitorHaIT.class);
  private static final String TABLE = "monitor_ha_rows";
  /** Long enough that {@link #SWITCH_MARGIN} can absorb a stalled test thread (see there). */
  private static final Duration MAX_STALENESS = Duration.ofSeconds(3);
  private static final Duration MAX_WAIT = Duration.ofSeconds(5);
  /** A read's own work past its waits: borrowing, the query, scheduling on a loaded 2-core box. */
  private static final Duration READ_MARGIN = Duration.ofSeconds(1);
  /**
   * A switch past the staleness bound: the watchdog's tick, a connect, the first snapshot (about
   * 50 ms measured), and a test thread stalled on a loaded 2-core machine. Below the bound, so that
   * the limit (5.5 s) stays below twice the bound (6 s): a switch made a whole bound late fails.
   */
  private static final Duration SWITCH_MARGIN = Duration.ofMillis(2500);
  private static final int THREADS = 4;

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void monitorsHangDieAndComeBack_readsStayFreshAndNeverHang(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    Monitor a = MonitorRoutingIT.startMonitor(t, 0);
    Monitor b = MonitorRoutingIT.startMonitor(t, 0);
    int bPort = b.httpPort();
    try (FreezableProxy hungA = new FreezableProxy(a.httpPort());
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
             .monitor("http://127.0.0.1:" + hungA.port())
             .monitor("http://127.0.0.1:" + bPort)
             .monitorMaxStaleness(MAX_STALENESS)
             .readPolicy(ReadPolicy.WAIT).maxWait(MAX_WAIT).build()) {
      String labelA = "127.0.0.1:" + hungA.port();
      String labelB = "127.0.0.1:" + bPort;
      awaitMode(ds, "following " + labelA, true, labelA);
      t.replicas().forEach(r -> t.setDelay(r, Duration.ofSeconds(1)));
      Workload w = new Workload(ds);
      w.start();
      try {
        w.awaitMoreReads(2 * THREADS);

        // (a) the followed monitor hangs: the other is followed within the bound plus a connect.
        long frozen = System.nanoTime();
        hungA.freeze(true);
        awaitMode(ds, "following " + labelB, true, labelB);
        Duration switched = Duration.ofNanos(System.nanoTime() - frozen);
        assertThat(ds.routingHealth().reason()).contains("no word from the monitor at " + labelA);
        assertThat(switched).as("hung monitor to the other").isLessThanOrEqualTo(
            MAX_STALENESS.plus(SWITCH_MARGIN));
        w.awaitMoreReads(2 * THREADS);

        // (b) the hung monitor is stopped: the SDK still follows the other.
        a.close();
        w.awaitMoreReads(2 * THREADS);
        assertThat(ds.routingHealth().followingMonitor()).isTrue();
        assertThat(ds.routingHealth().reason()).startsWith("following the monitor at " + labelB);

        // (c) both gone: direct mode, reads ask the servers.
        long closed = System.nanoTime();
        b.close();
        awaitMode(ds, "direct mode", false, null);
        Duration direct = Duration.ofNanos(System.nanoTime() - closed);
        assertThat(direct).as("both monitors gone to direct mode")
            .isLessThanOrEqualTo(MAX_STALENESS.plus(SWITCH_MARGIN));
        assertThat(ds.routingHealth().reason()).contains("monitor " + labelA)
            .contains("monitor " + labelB);
        long extra = metrics.get("extra");
        w.awaitMoreReads(2 * THREADS);
        assertThat(metrics.get("extra")).as("direct mode asks the servers").isGreaterThan(extra);

        // (d) one comes back: followed again, after the back-off between tries (at most 5 s).
        b = MonitorRoutingIT.startMonitor(t, bPort);
        long started = System.nanoTime();
        awaitMode(ds, "following " + labelB + " again", true, labelB);
        Duration back = Duration.ofNanos(System.nanoTime() - started);
        w.awaitMoreReads(2 * THREADS);

        w.stop();
        log.info("{} monitor HA: hung monitor to the other {} ms, both gone to direct mode {} ms, "
            + "monitor back to followed {} ms; {} reads, slowest {} ms; routing {}", flavor,
            switched.toMillis(), direct.toMillis(), back.toMillis(), w.reads.get(),
            w.slowestNanos.get() / 1_000_000, metrics.counts);
        assertThat(w.stale.get()).as("stale reads").isZero();
        assertThat(w.errors).as("failed reads").isEmpty();
        assertThat(Duration.ofNanos(w.slowestNanos.get())).as("slowest read")
            .isLessThanOrEqualTo(MAX_WAIT.plus(READ_MARGIN));
      } finally {
        w.stop();
      }
    } finally {
      a.close();
      b.close();
    }
  }

  /** Awaits routing to follow a monitor (the one at {@code label}) or, with false, none. */
  private static void awaitMode(CatchupDataSource ds, String what, boolean following,
      String label) throws InterruptedException {
    MonitorRoutingIT.await(what, () -> {
      CatchupDataSource.RoutingHealth h = ds.routingHealth();
      return h.followingMonitor() == following
          && (label == null || h.reason().startsWith("following the monitor at " + label));
    });
  }

  /** Threads writing then reading their own write through the SDK, each on its own session. */
  private static final class Workload {
    final AtomicLong reads = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong slowestNanos = new AtomicLong();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Workload(CatchupDataSource ds) {
      for (int n = 0; n < THREADS; n++) {
        Session session = ds.newSession();
        Thread th = new Thread(() -> loop(session), "monitor-ha-rw-" + n);
        th.setDaemon(true);
        threads.add(th);
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    private void loop(Session s) {
      for (long i = 1; running.get(); i++) {
        String id = UUID.randomUUID().toString();
        try {
          try (Connection c = s.getConnection()) {
            write(c, TABLE, id, i);
          }
          long began = System.nanoTime();
          try (Connection c = s.getReadConnection()) {
            if (read(c, TABLE, id) != i) {
              stale.incrementAndGet();
            }
          }
          slowestNanos.accumulateAndGet(System.nanoTime() - began, Math::max);
          reads.incrementAndGet();
        } catch (SQLException | RuntimeException e) {
          errors.add(e.toString());
        }
      }
    }

    /** Awaits {@code n} more completed reads (bounded by the shared 30 s await). */
    void awaitMoreReads(int n) throws InterruptedException {
      long target = reads.get() + n;
      MonitorRoutingIT.await(n + " more reads (errors " + errors + ")",
          () -> reads.get() >= target || errors.size() > 10);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread th : threads) {
        th.join(MAX_WAIT.plus(READ_MARGIN).multipliedBy(2).toMillis());
      }
    }
  }
}
