package dev.catchup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The bookkeeping of roles a failover tool changes, without servers. */
class RolesTest {

  private static Properties described(int replicas) {
    Properties p = new Properties();
    p.setProperty("replicas", String.valueOf(replicas));
    p.setProperty("primary.port", "3300");
    for (int i = 1; i <= replicas; i++) {
      p.setProperty("replica" + i + ".port", String.valueOf(3300 + i));
      p.setProperty("replica" + i + ".delay", String.valueOf(i - 1));
    }
    return p;
  }

  @Test
  void roles_fromProperties_primaryReplicasAndDelays() {
    Roles roles = new Roles(described(2));

    assertThat(roles.primary().name()).isEqualTo("primary");
    assertThat(roles.primary().port()).isEqualTo(3300);
    assertThat(roles.replicas()).extracting(Server::name).containsExactly("replica1", "replica2");
    assertThat(roles.delay(roles.named("replica2"))).isEqualTo(Duration.ofSeconds(1));
    assertThat(roles.running()).extracting(Server::name)
        .containsExactly("primary", "replica1", "replica2");
    assertThat(roles.named("replica9")).isNull();
  }

  @Test
  void promoted_thenOldPrimaryReplicating_namesStayRolesSwap() {
    Roles roles = new Roles(described(2));
    Server old = roles.primary();
    Server r1 = roles.named("replica1");

    roles.promoted(r1);
    roles.replicating(old);

    assertThat(roles.primary()).isEqualTo(r1);
    assertThat(roles.isPrimary(r1)).isTrue();
    assertThat(roles.isPrimary(old)).isFalse();
    assertThat(roles.replicas()).extracting(Server::name).containsExactly("replica2", "primary");
    assertThat(roles.delay(old)).isEqualTo(Duration.ZERO);
    assertThat(roles.named("primary")).isEqualTo(old);
  }

  @Test
  void replicating_alreadyAReplica_keepsItsDelayAndListsItOnce() {
    Roles roles = new Roles(described(2));
    Server r2 = roles.named("replica2");

    roles.replicating(r2);

    assertThat(roles.replicas()).extracting(Server::name).containsExactly("replica1", "replica2");
    assertThat(roles.delay(r2)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void added_lastReplicaDescribed_joinsWithItsDelay() {
    Roles roles = new Roles(described(2));

    Server added = roles.added(described(3), Duration.ofSeconds(5));

    assertThat(added.name()).isEqualTo("replica3");
    assertThat(added.port()).isEqualTo(3303);
    assertThat(roles.replicas()).endsWith(added);
    assertThat(roles.hasDelay(added, Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void removed_replica_leavesReplicasButKeepsItsName() {
    Roles roles = new Roles(described(2));
    Server r1 = roles.named("replica1");

    roles.removed(r1);

    assertThat(roles.replicas()).extracting(Server::name).containsExactly("replica2");
    assertThat(roles.named("replica1")).isEqualTo(r1);
  }

  @Test
  void delayed_newDelay_recordedAndReported() {
    Roles roles = new Roles(described(1));
    Server r1 = roles.named("replica1");

    roles.delayed(r1, Duration.ofSeconds(3));

    assertThat(roles.delay(r1)).isEqualTo(Duration.ofSeconds(3));
    assertThat(roles.toString()).isEqualTo("primary primary:3300 replicas [replica1:3301 delay 3s]");
  }
}
