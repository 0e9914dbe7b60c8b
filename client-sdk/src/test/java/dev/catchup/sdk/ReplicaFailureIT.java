package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A killed replica: reads keep being served correctly by the other replica (or the primary, or a
 * clear exception under FAIL), never stale and never hanging; after the replica restarts, its pool
 * recovers and it serves reads again.
 */
class ReplicaFailureIT {
  private static final String TABLE = "failure_rows";

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void killedReplica_readsRouteAround_thenItServesAgain(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    Server victim = t.replica(2);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
        .readPolicy(ReadPolicy.WAIT_THEN_FALLBACK).maxWait(Duration.ofSeconds(10)).build()) {
      Session s = ds.newSession();
      writeAndReadBack(s, 10); // both replicas warm
      t.kill(victim);
      try {
        writeAndReadBack(s, 20);
        assertThat(metrics.get("replica:replica1")).isGreaterThanOrEqualTo(20);

        // With every replica down, FAIL refuses and WAIT_THEN_FALLBACK reads the primary.
        t.kill(t.replica(1));
        try {
          String id = UUID.randomUUID().toString();
          try (Connection c = s.getConnection()) {
            write(c, TABLE, id, 5);
          }
          var e = assertThrows(ReplicaNotCaughtUpException.class, () -> {
            try (Connection c = s.getReadConnection(ReadOptions.DEFAULTS.withPolicy(ReadPolicy.FAIL))) {
              read(c, TABLE, id);
            }
          });
          assertThat(e.getMessage()).contains("no replica is reachable");
          try (Connection c = s.getReadConnection()) {
            assertEquals(5, read(c, TABLE, id));
          }
          assertThat(metrics.get("fallback:NO_REPLICA_AVAILABLE")).isPositive();
        } finally {
          t.restart(t.replica(1));
        }
      } finally {
        t.restart(victim);
      }
      assertThat(t.awaitCaughtUp(victim, Duration.ofSeconds(60))).isTrue();
      long before = metrics.get("replica:replica2");
      // Back-off is at most 30 s; reads rotate over replicas, so the restarted one comes back.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (metrics.get("replica:replica2") == before && System.nanoTime() < deadline) {
        writeAndReadBack(s, 1);
      }
      assertThat(metrics.get("replica:replica2")).as("restarted replica serves again").isGreaterThan(before);
    }
  }

  private static void writeAndReadBack(Session s, int times) throws SQLException {
    for (int i = 0; i < times; i++) {
      String id = UUID.randomUUID().toString();
      try (Connection c = s.getConnection()) {
        write(c, TABLE, id, i + 1);
      }
      try (Connection c = s.getReadConnection()) {
        assertEquals(i + 1, read(c, TABLE, id), "read after write " + i);
      }
    }
  }
}
