package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With the monitor reporting a killed replica UNKNOWN, the non-waiting policies check the other
 * replica for young tokens and never try the dead one: no connection attempt to it times out and
 * no check query is sent to it (each attempt used to stall a read for replicaConnectTimeout).
 */
class DeadReplicaWithMonitorIT {
  private static final String TABLE = "dead_replica_rows";

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"MYSQL, FALLBACK_TO_PRIMARY", "MARIADB, FALLBACK_TO_PRIMARY", "MYSQL, FAIL",
      "MARIADB, FAIL"})
  void replicaTheMonitorReportsUnknown_isNotProbed(Flavor flavor, ReadPolicy policy)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    Server victim = t.replica(2);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    Map<String, AtomicLong> timeouts = new ConcurrentHashMap<>();
    try (Monitor m = MonitorRoutingIT.startMonitor(t, 0);
         CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics).readPolicy(policy)
             .monitor("http://127.0.0.1:" + m.httpPort())
             .configurePools(c -> c.setMetricsTrackerFactory((pool, stats) -> new IMetricsTracker() {
               @Override
               public void recordConnectionTimeout() {
                 timeouts.computeIfAbsent(pool, k -> new AtomicLong()).incrementAndGet();
               }
             }))
             .build()) {
      MonitorRoutingIT.await("following the monitor", () -> ds.routingHealth().followingMonitor());
      t.kill(victim);
      try {
        MonitorRoutingIT.await("the monitor reports " + victim.name() + " UNKNOWN", () ->
            m.registry().state(m.registry().status(victim.name()).orElseThrow())
                == ServerState.UNKNOWN
            && Boolean.FALSE.equals(feedSays(ds, victim.name())));
        Session s = ds.newSession();
        int served = 0;
        for (int i = 1; i <= 40; i++) {
          String id = UUID.randomUUID().toString();
          try (Connection c = s.getConnection()) {
            write(c, TABLE, id, i);
          }
          try (Connection c = s.getReadConnection()) {
            assertThat(read(c, TABLE, id)).isEqualTo(i);
            served++;
          } catch (ReplicaNotCaughtUpException e) {
            assertThat(policy).isEqualTo(ReadPolicy.FAIL);
          }
        }
        assertThat(served).isPositive();
        assertThat(timeouts.getOrDefault("catchup-" + victim.name(), new AtomicLong()).get())
            .as("connection attempts to the dead replica that timed out").isZero();
        assertThat(metrics.get("extra:" + victim.name())).as("checks sent to the dead replica; %s",
            metrics.counts).isZero();
        assertThat(metrics.get("extra:replica1")).as("the live replica is checked; %s",
            metrics.counts).isPositive();
      } finally {
        t.restart(victim);
        t.awaitCaughtUp(victim, Duration.ofSeconds(60));
      }
    }
  }

  /** What the data source's feed says of {@code replica}: UP, not UP, or nothing yet (null). */
  private static Boolean feedSays(CatchupDataSource ds, String replica) {
    return ds.router().feedReportsUp(replica);
  }
}
