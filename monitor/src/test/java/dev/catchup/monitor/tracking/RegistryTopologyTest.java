package dev.catchup.monitor.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.topology.Seed;
import dev.catchup.monitor.topology.ServerFacts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The registry follows the topology its servers' facts show: primary, roles, lag, waits. */
class RegistryTopologyTest {
  private static final UUID A = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
  private static final UUID B = UUID.fromString("b9b4712a-df64-11e3-b391-60672090eb04");
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final ServerFacts WRITABLE_1 = ServerFacts.of(false, "u1", 1, null);
  private static final ServerFacts WRITABLE_2 = ServerFacts.of(false, "u2", 2, null);

  private final Registry registry = new Registry(Flavor.MYSQL, Clock.fixed(T0, ZoneOffset.UTC),
      Duration.ofSeconds(5), List.of(new Seed("db1", "127.0.0.1", 3301),
          new Seed("db2", "127.0.0.1", 3302), new Seed("db3", "127.0.0.1", 3303)));

  private static ServerFacts replicaOf(long id, int port, boolean readOnly) {
    return ServerFacts.of(readOnly, "u" + id, id,
        new ServerFacts.Source("localhost", port, 0, null, true, true));
  }

  private static ServerStatus status(String name, GtidSet confirmed, ServerFacts facts) {
    return new ServerStatus(name, Role.UNKNOWN,
        new ServerStatus.Confirmation(confirmed, confirmed, T0),
        new ServerStatus.Binlog(FeedState.CONNECTED, T0, 0, null, null, 0, 0),
        ServerStatus.Replication.NONE, null, 1, facts);
  }

  private static GtidSet set(UUID u, long last) {
    return MysqlGtidSet.of(u, "", 1, last);
  }

  private void asConfigured() {
    registry.publish(status("db1", set(A, 10), WRITABLE_1));
    registry.publish(status("db2", set(A, 10), replicaOf(2, 3301, false)));
    registry.publish(status("db3", set(A, 8), replicaOf(3, 3301, false)));
  }

  @Test
  void publish_asConfigured_generationOne_rolesAsConfigured() {
    asConfigured();
    assertThat(registry.topology().generation()).isEqualTo(1);
    assertThat(registry.topologyChanges()).isZero();
    assertThat(registry.primary().name()).isEqualTo("db1");
    assertThat(registry.replicas()).extracting(ServerStatus::name).containsExactly("db2", "db3");
    assertThat(registry.lag(registry.status("db3").orElseThrow()).missingTransactions()).isEqualTo(2);
  }

  @Test
  void publish_promotion_switchesThePrimaryEverywhere() throws Exception {
    asConfigured();
    List<ReplicationTopology> seen = new ArrayList<>();
    registry.subscribeTopology(seen::add);
    long db3Version = registry.status("db3").orElseThrow().version();
    // db2 promoted (replication reset, writable) and written to; db1 still writable: conflict.
    registry.publish(status("db2", set(A, 10).union(set(B, 5)), WRITABLE_2));
    assertThat(registry.topology().primary()).isEqualTo("db1");
    assertThat(registry.topology().conflict()).startsWith("db1, db2 are all writable");
    assertThat(registry.topology().generation()).isEqualTo(2);
    // db1 made read-only and re-pointed to db2: db2 is the primary.
    registry.publish(status("db1", set(A, 10), replicaOf(1, 3302, true)));
    ReplicationTopology t = registry.topology();
    assertThat(t.generation()).isEqualTo(3);
    assertThat(t.primary()).isEqualTo("db2");
    assertThat(t.conflict()).isNull();
    assertThat(registry.topologyChanges()).isEqualTo(2);
    assertThat(seen).extracting(ReplicationTopology::generation).containsExactly(2L, 3L);
    assertThat(registry.primary().name()).isEqualTo("db2");
    assertThat(registry.primary().role()).isEqualTo(Role.PRIMARY);
    assertThat(registry.all()).extracting(ServerStatus::name).containsExactly("db2", "db1", "db3");
    assertThat(registry.replicas()).extracting(ServerStatus::name).containsExactly("db1", "db3");
    // Every status took its new role with a new version, so that readers holding the old take it.
    ServerStatus db3 = registry.status("db3").orElseThrow();
    assertThat(db3.version()).isGreaterThan(db3Version);
    // Lag against the new primary: db1 lacks B:1-5, db3 lacks A:9-10 and B:1-5.
    assertThat(registry.lag(registry.status("db1").orElseThrow()).missingTransactions()).isEqualTo(5);
    assertThat(registry.lag(db3).missingTransactions()).isEqualTo(7);
    // Waits are answered by the replicas of the new topology, the old primary among them.
    registry.publish(status("db1", set(A, 10).union(set(B, 5)), replicaOf(1, 3302, true)));
    assertThat(registry.awaitConfirmed(set(B, 5), null, Duration.ZERO).get(5, TimeUnit.SECONDS))
        .isEqualTo("db1");
    assertThat(registry.replicasHaving(set(B, 5))).containsExactly("db1");
  }

  @Test
  void publish_statusOfAnOlderVersion_isStoredWithAHigherOne() {
    registry.publish(status("db1", set(A, 1), WRITABLE_1));
    long v = registry.status("db1").orElseThrow().version();
    registry.publish(status("db1", set(A, 2), WRITABLE_1)); // the tracker's own counter: 1 again
    assertThat(registry.status("db1").orElseThrow().version()).isGreaterThan(v);
  }

  @Test
  void reseed_addsAndRemovesServers_newGeneration() {
    asConfigured();
    registry.reseed(List.of(new Seed("db1", "127.0.0.1", 3301), new Seed("db2", "127.0.0.1", 3302),
        new Seed("db4", "127.0.0.1", 3304)));
    assertThat(registry.status("db3")).isEmpty();
    assertThat(registry.status("db4").orElseThrow().role()).isEqualTo(Role.UNKNOWN);
    assertThat(registry.topology().generation()).isEqualTo(2);
    assertThat(registry.topology().members()).extracting(ReplicationTopology.Member::name)
        .containsExactly("db1", "db2", "db4");
    registry.publish(status("db4", set(A, 10), replicaOf(4, 3301, false)));
    assertThat(registry.topology().member("db4").role()).isEqualTo(Role.REPLICA);
    assertThat(registry.replicas()).extracting(ServerStatus::name).containsExactly("db2", "db4");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> registry.publish(status("db3", set(A, 1), null)));
    assertThat(e.getMessage()).isEqualTo("unknown server 'db3'");
  }
}
