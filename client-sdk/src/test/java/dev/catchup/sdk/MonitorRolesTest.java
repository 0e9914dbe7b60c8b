package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.wire.StatusEvent;
import dev.catchup.wire.StatusEvent.Member;
import java.util.List;
import org.junit.jupiter.api.Test;

/** From the monitor's topology to the next roles: a table of topologies, no servers. */
class MonitorRolesTest {
  private static final List<String> CONFIGURED = List.of("db1", "db2", "db3", "db4");
  private static final Roles START = Roles.configured("db1", List.of("db2", "db3", "db4"), false);

  private static Member primary(String name) {
    return new Member(name, StatusEvent.PRIMARY, null, false);
  }

  private static Member replica(String name, String source) {
    return new Member(name, StatusEvent.REPLICA, source, true);
  }

  private static Member unknown(String name) {
    return new Member(name, StatusEvent.UNKNOWN_ROLE, null, null);
  }

  private static StatusEvent.Topology topology(long generation, String primary, String conflict,
      Member... members) {
    return new StatusEvent.Topology(generation, primary, conflict, List.of(members));
  }

  @Test
  void plan_promotedReplica_isTheCandidate_readersAreTheReplicasWhoseChainReachesIt() {
    // db2 promoted; db3 re-pointed to it, db4 a replica of db3 (a chain), db1 down.
    var t = topology(7, "db2", null, unknown("db1"), primary("db2"), replica("db3", "db2"),
        replica("db4", "db3"));
    assertThat(MonitorRoles.plan(START, t, CONFIGURED, false))
        .isEqualTo(new MonitorRoles.Plan("db2", List.of("db3", "db4"), null));
    assertThat(MonitorRoles.plan(START, t, CONFIGURED, true))
        .isEqualTo(new MonitorRoles.Plan("db2", List.of("db2", "db3", "db4"), null));
  }

  @Test
  void plan_replicaStillOfTheOldPrimary_orOfAnUnlistedSource_leavesTheRotation() {
    var t = topology(3, "db2", null, replica("db1", "db2"), primary("db2"), replica("db3", "db1"),
        replica("db4", null));
    assertThat(MonitorRoles.plan(START, t, CONFIGURED, false).readers())
        .as("db3 replicates from db1, which replicates from db2: a chain").containsExactly("db1", "db3");
    var notYet = topology(2, "db2", null, unknown("db1"), primary("db2"), replica("db3", "db1"),
        replica("db4", "db2"));
    assertThat(MonitorRoles.plan(START, notYet, CONFIGURED, false).readers())
        .as("db3 still follows the old primary, gone").containsExactly("db4");
  }

  @Test
  void plan_loopOfSources_isNoChainToThePrimary() {
    var t = topology(3, "db1", null, primary("db1"), replica("db2", "db3"), replica("db3", "db2"),
        replica("db4", "db1"));
    assertThat(MonitorRoles.plan(START, t, CONFIGURED, false))
        .isEqualTo(new MonitorRoles.Plan(null, List.of("db4"), null));
  }

  @Test
  void plan_samePrimaryAndRotation_isNothing() {
    var t = topology(1, "db1", null, primary("db1"), replica("db2", "db1"), replica("db3", "db1"),
        replica("db4", "db1"));
    MonitorRoles.Plan p = MonitorRoles.plan(START, t, CONFIGURED, false);
    assertThat(p.nothing()).isTrue();
    assertThat(p.note()).isNull();
  }

  @Test
  void plan_configuredServerTheMonitorDoesNotList_leavesTheRotation() {
    var t = topology(2, "db1", null, primary("db1"), replica("db2", "db1"), unknown("db3"));
    assertThat(MonitorRoles.plan(START, t, CONFIGURED, false).readers())
        .as("db4 was removed from the monitor (or never in it)").containsExactly("db2");
  }

  @Test
  void plan_conflictOrNoPrimary_keepsEverything_sayingWhy() {
    var conflict = topology(4, "db1", "db1, db2 are all writable and replicate from no server",
        primary("db1"), primary("db2"), replica("db3", "db1"), replica("db4", "db1"));
    MonitorRoles.Plan p = MonitorRoles.plan(START, conflict, CONFIGURED, false);
    assertThat(p.nothing()).isTrue();
    assertThat(p.note()).isEqualTo("the monitor reports a conflict (db1, db2 are all writable and "
        + "replicate from no server): keeping db1 as the primary");
    var none = topology(5, null, null, unknown("db1"), replica("db2", "db1"));
    p = MonitorRoles.plan(START, none, CONFIGURED, false);
    assertThat(p.nothing()).isTrue();
    assertThat(p.note()).isEqualTo("the monitor knows no primary (generation 5): keeping db1 as "
        + "the primary");
  }

  @Test
  void plan_primaryNotConfiguredHere_isIgnored_namingIt() {
    var t = topology(6, "db9", null, unknown("db1"), primary("db9"));
    MonitorRoles.Plan p = MonitorRoles.plan(START, t, CONFIGURED, false);
    assertThat(p.nothing()).isTrue();
    assertThat(p.note()).isEqualTo("the monitor names db9 primary, a server this data source is "
        + "not configured with (configured: [db1, db2, db3, db4]): keeping db1");
  }
}
