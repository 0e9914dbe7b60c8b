package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.Monitor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed's cross-service read with default settings: service A writes through its own data source
 * and passes {@code session.token()} on; service B, a separate data source with no settings
 * changed, observes it and reads the row. Replicas apply with a one-second delay, so a read that
 * ignored the token would miss the row.
 */
class CrossServiceReadIT {
  private static final String TABLE = "cross_service_rows";
  private static final int THREADS = 8;
  private static final int READS_PER_THREAD = 5;

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  @ParameterizedTest(name = "{0}, monitor {1}")
  @CsvSource({"MYSQL, false", "MARIADB, false", "MYSQL, true", "MARIADB, true"})
  void defaultSettings_readOfAnObservedToken_isNeverStale(Flavor flavor, boolean withMonitor)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    for (Server r : t.replicas()) {
      t.setDelayAtLeast(r, Duration.ofSeconds(1));
    }
    Monitor monitor = withMonitor ? MonitorRoutingIT.startMonitor(t, 0) : null;
    CatchupDataSourceBuilder billingBuilder = SdkFixtures.builder(t); // defaults throughout
    if (monitor != null) {
      billingBuilder.monitor("http://127.0.0.1:" + monitor.httpPort());
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (CatchupDataSource orders = SdkFixtures.builder(t).build();
         CatchupDataSource billing = billingBuilder.build()) {
      if (monitor != null) {
        MonitorRoutingIT.await("following the monitor", () -> billing.routingHealth().followingMonitor());
      }
      AtomicInteger stale = new AtomicInteger();
      AtomicInteger reads = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        futures.add(pool.submit(() -> {
          for (int k = 1; k <= READS_PER_THREAD; k++) {
            String id = UUID.randomUUID().toString();
            Session a = orders.newSession();
            try (Connection c = a.getConnection()) {
              write(c, TABLE, id, k);
            }
            String header = a.token().encode(); // what service A sends along
            Session b = billing.newSession().observe(header);
            try (Connection c = b.getReadConnection()) {
              if (read(c, TABLE, id) != k) {
                stale.incrementAndGet();
              }
            }
            reads.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      assertThat(reads.get()).isEqualTo(THREADS * READS_PER_THREAD);
      assertThat(stale.get()).as("cross-service reads that missed the other service's write").isZero();
    } finally {
      pool.shutdownNow();
      if (monitor != null) {
        monitor.close();
      }
    }
  }
}
