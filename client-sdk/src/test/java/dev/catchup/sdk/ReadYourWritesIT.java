package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.monitor.Monitor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many threads each write a row and read it straight back through the SDK, in a loop. Every read is
 * checked independently: against the value the thread wrote and against the primary. The same
 * traffic with {@code EVENTUAL} reads shows the checker catches stale reads, so it can fail.
 */
class ReadYourWritesIT {
  private static final Logger log = LoggerFactory.getLogger(ReadYourWritesIT.class);
  private static final String TABLE = "ryw_rows";

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  @ParameterizedTest(name = "{0} delay {1}s {2} threads, monitor {4}")
  @CsvSource({
      "MYSQL_9, 0, 8, 40, false", "MYSQL_9, 1, 6, 3, false",
      "MARIADB_10_11, 0, 8, 40, false", "MARIADB_10_11, 1, 6, 3, false",
      "MARIADB_11_8, 1, 6, 3, false",
      "MYSQL_9, 0, 8, 40, true", "MYSQL_9, 1, 6, 3, true",
      "MARIADB_10_11, 0, 8, 40, true", "MARIADB_10_11, 1, 6, 3, true",
      "MARIADB_11_8, 1, 6, 3, true",
  })
  void concurrentWriteThenRead_zeroStale(ServerKind kind, int delay, int threads, int loops,
      boolean withMonitor) throws Exception {
    Topology t = Topologies.shared(kind);
    SdkFixtures.createTable(t, TABLE);
    for (Server r : t.replicas()) {
      t.setDelay(r, Duration.ofSeconds(delay));
    }
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    Monitor monitor = withMonitor ? MonitorRoutingIT.startMonitor(t, 0) : null;
    CatchupDataSourceBuilder builder = SdkFixtures.builder(t).metrics(metrics)
        .maxWait(Duration.ofSeconds(20)).readPolicy(ReadPolicy.WAIT);
    if (monitor != null) {
      builder.monitor("http://127.0.0.1:" + monitor.httpPort());
    }
    try (CatchupDataSource ds = builder.build()) {
      if (monitor != null) {
        MonitorRoutingIT.await("following the monitor", () -> ds.routingHealth().followingMonitor());
      }
      Result sdk = run(t, ds, threads, loops, kind + "-" + delay, null);
      log.info("{} delay {}s monitor {}: {} reads, {} stale vs own write, {} stale vs primary, "
          + "routed {}", kind, delay, withMonitor, sdk.reads, sdk.staleOwn, sdk.stalePrimary,
          metrics.counts);
      assertThat(sdk.reads.get()).isEqualTo(threads * loops);
      assertThat(sdk.staleOwn.get()).as("reads missing the thread's own write").isZero();
      assertThat(sdk.stalePrimary.get()).as("reads behind the primary's value").isZero();
      assertThat(metrics.get("REPLICA")).as("reads served by replicas").isEqualTo(threads * loops);
      if (withMonitor) {
        assertThat(metrics.get("extra")).as("with the monitor routing's only queries are brief "
            + "waits right after a write, at most one a read; %s", metrics.counts)
            .isEqualTo(MonitorRoutingIT.serverWaits(metrics)).isLessThanOrEqualTo(threads * loops);
      }

      if (delay > 0) {
        // The same traffic with plain replica reads: the checker must see stale reads.
        Result naive = run(t, ds, threads, 1, kind + "-naive",
            ReadOptions.DEFAULTS.withConsistency(Consistency.EVENTUAL));
        assertThat(naive.staleOwn.get()).as("checker catches stale EVENTUAL reads").isPositive();
      }
    } finally {
      if (monitor != null) {
        monitor.close();
      }
    }
  }

  private record Result(AtomicInteger reads, AtomicInteger staleOwn, AtomicInteger stalePrimary) {}

  private static Result run(Topology t, CatchupDataSource ds, int threads, int loops, String prefix,
      ReadOptions override) throws Exception {
    Result r = new Result(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Connection checker = t.connect(t.primary())) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String id = prefix + "-" + i + "-" + System.nanoTime();
        futures.add(pool.submit(() -> {
          Session session = ds.newSession();
          for (int k = 1; k <= loops; k++) {
            try (Connection w = session.getConnection()) {
              write(w, TABLE, id, k);
            }
            long seen;
            try (Connection rc = override == null ? session.getReadConnection()
                : session.getReadConnection(override)) {
              seen = read(rc, TABLE, id);
            }
            r.reads.incrementAndGet();
            if (seen != k) {
              r.staleOwn.incrementAndGet();
            }
            long onPrimary;
            synchronized (checker) {
              onPrimary = read(checker, TABLE, id);
            }
            if (seen < onPrimary) {
              r.stalePrimary.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return r;
  }
}
