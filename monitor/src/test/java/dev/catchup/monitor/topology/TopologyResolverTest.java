package dev.catchup.monitor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.monitor.topology.ReplicationTopology.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The topology derived from what servers say of themselves: a table of states, no servers. */
class TopologyResolverTest {
  private static final List<Seed> SEEDS = List.of(new Seed("db1", "localhost", 3301),
      new Seed("db2", "127.0.0.1", 3302), new Seed("db3", "db3.example", 3303));
  private static final ReplicationTopology CONFIGURED =
      ReplicationTopology.configured("db1", List.of("db2", "db3"));

  private static ServerFacts writable(long id) {
    return ServerFacts.of(false, "uuid-" + id, id, null);
  }

  private static ServerFacts readOnlyStandalone(long id) {
    return ServerFacts.of(true, "uuid-" + id, id, null);
  }

  /** Replicating from host:port, source identity unknown (not connected yet, or MariaDB). */
  private static ServerFacts replicaOf(long id, String host, int port) {
    return ServerFacts.of(false, "uuid-" + id, id,
        new ServerFacts.Source(host, port, 0, null, true, true));
  }

  /** Replicating from the server with {@code sourceId}, known by UUID and id. */
  private static ServerFacts replicaOfId(long id, long sourceId, boolean readOnly) {
    return ServerFacts.of(readOnly, "uuid-" + id, id,
        new ServerFacts.Source("elsewhere", 1, sourceId, "UUID-" + sourceId, true, true));
  }

  private static Map<String, ServerFacts> facts(Object... nameAndFacts) {
    Map<String, ServerFacts> m = new HashMap<>();
    for (int i = 0; i < nameAndFacts.length; i += 2) {
      m.put((String) nameAndFacts[i], (ServerFacts) nameAndFacts[i + 1]);
    }
    return m;
  }

  private static ReplicationTopology resolve(ReplicationTopology current, Map<String, ServerFacts> f) {
    return TopologyResolver.resolve(current, SEEDS, f);
  }

  @Test
  void resolve_nothingRead_keepsTheConfiguredTopology() {
    assertThat(resolve(CONFIGURED, facts())).isSameAs(CONFIGURED);
  }

  @Test
  void resolve_asConfigured_matchingLoopbackNames_keepsTheGeneration_fillsReadOnly() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", writable(1),
        "db2", replicaOf(2, "127.0.0.1", 3301), "db3", replicaOfId(3, 1, true)));
    assertThat(t.generation()).isEqualTo(1);
    assertThat(t.primary()).isEqualTo("db1");
    assertThat(t.members()).containsExactly(new Member("db1", Role.PRIMARY, null, false),
        new Member("db2", Role.REPLICA, "db1", false), new Member("db3", Role.REPLICA, "db1", true));
    assertThat(resolve(t, facts("db1", writable(1), "db2", replicaOf(2, "127.0.0.1", 3301),
        "db3", replicaOfId(3, 1, true)))).isSameAs(t);
  }

  @Test
  void resolve_chain_replicaOfAReplica_isRecognised() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", writable(1),
        "db2", replicaOf(2, "localhost", 3301), "db3", replicaOf(3, "localhost", 3302)));
    assertThat(t.member("db3")).isEqualTo(new Member("db3", Role.REPLICA, "db2", false));
    assertThat(t.generation()).isEqualTo(2);
    assertThat(t.primary()).isEqualTo("db1");
  }

  @Test
  void resolve_promotion_oldPrimaryReadOnlyAndRepointed_switchesPrimary_nextGeneration() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", writable(1),
        "db2", replicaOf(2, "127.0.0.1", 3301), "db3", replicaOf(3, "127.0.0.1", 3301)));
    ReplicationTopology after = resolve(t, facts("db1", replicaOfId(1, 2, true),
        "db2", writable(2), "db3", replicaOfId(3, 2, false)));
    assertThat(after.generation()).isEqualTo(t.generation() + 1);
    assertThat(after.primary()).isEqualTo("db2");
    assertThat(after.conflict()).isNull();
    assertThat(after.members()).containsExactly(new Member("db1", Role.REPLICA, "db2", true),
        new Member("db2", Role.PRIMARY, null, false), new Member("db3", Role.REPLICA, "db2", false));
    assertThat(TopologyResolver.describe(t, after)).isEqualTo("topology generation 2: primary db1 "
        + "-> db2; db1 primary -> replica of db2 (read-only); db2 replica of db1 -> primary; "
        + "db3 replica of db1 -> replica of db2");
  }

  @Test
  void resolve_promotion_oldPrimaryDown_becomesUnknown() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", writable(1),
        "db2", replicaOf(2, "127.0.0.1", 3301), "db3", replicaOf(3, "127.0.0.1", 3301)));
    ReplicationTopology after = resolve(t, facts("db1", ServerFacts.UNREACHABLE,
        "db2", writable(2), "db3", replicaOf(3, "127.0.0.1", 3301)));
    assertThat(after.primary()).isEqualTo("db2");
    assertThat(after.member("db1")).isEqualTo(new Member("db1", Role.UNKNOWN, null, false));
    // db3 still points at db1: a replica of it, its lag counted against db2 all the same.
    assertThat(after.member("db3").source()).isEqualTo("db1");
  }

  @Test
  void resolve_primaryDown_noCandidate_keepsIt() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", ServerFacts.UNREACHABLE,
        "db2", replicaOf(2, "127.0.0.1", 3301)));
    assertThat(t.primary()).isEqualTo("db1");
    assertThat(t.member("db1").role()).isEqualTo(Role.PRIMARY);
    assertThat(t.generation()).isEqualTo(1);
  }

  @Test
  void resolve_twoWritable_currentAmongThem_keepsItAndReportsTheConflict() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", writable(1), "db2", writable(2)));
    assertThat(t.primary()).isEqualTo("db1");
    assertThat(t.member("db2")).isEqualTo(new Member("db2", Role.UNKNOWN, null, false));
    assertThat(t.conflict()).isEqualTo("db1, db2 are all writable and replicate from no server; "
        + "keeping db1 as the primary");
    assertThat(t.generation()).isEqualTo(2);
  }

  @Test
  void resolve_twoWritable_currentNotAmongThem_hasNoPrimary() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", replicaOfId(1, 3, true),
        "db2", writable(2), "db3", writable(3)));
    assertThat(t.primary()).isNull();
    assertThat(t.members()).extracting(Member::role)
        .containsExactly(Role.REPLICA, Role.UNKNOWN, Role.UNKNOWN);
    assertThat(t.conflict()).endsWith("no primary until all but one are read-only or replicate");
    // Resolved once one of them is made read-only.
    ReplicationTopology later = resolve(t, facts("db1", replicaOfId(1, 3, true),
        "db2", readOnlyStandalone(2), "db3", writable(3)));
    assertThat(later.primary()).isEqualTo("db3");
    assertThat(later.conflict()).isNull();
    assertThat(later.generation()).isEqualTo(t.generation() + 1);
  }

  @Test
  void resolve_primaryNowReplicates_noCandidate_hasNoPrimary() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", replicaOfId(1, 2, true),
        "db2", readOnlyStandalone(2)));
    assertThat(t.primary()).isNull();
    assertThat(t.member("db2").role()).isEqualTo(Role.UNKNOWN);
  }

  @Test
  void resolve_primaryReadOnly_noOtherCandidate_keepsIt() {
    // A switchover between "old primary read-only" and "new primary writable".
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", readOnlyStandalone(1),
        "db2", replicaOf(2, "127.0.0.1", 3301)));
    assertThat(t.primary()).isEqualTo("db1");
  }

  @Test
  void resolve_sourceNotInTheSeedList_isAReplicaOfNoNamedSource() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", writable(1),
        "db2", replicaOf(2, "10.0.0.9", 3301)));
    assertThat(t.member("db2")).isEqualTo(new Member("db2", Role.REPLICA, null, false));
  }

  @Test
  void resolve_unreachableReplica_keepsItsRoleAndSource() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", writable(1),
        "db2", replicaOf(2, "127.0.0.1", 3301)));
    assertThat(resolve(t, facts("db1", writable(1), "db2", ServerFacts.UNREACHABLE))).isSameAs(t);
  }

  @Test
  void resolve_readOnlyFlipOnAKnownServer_isANewGeneration() {
    ReplicationTopology t = resolve(CONFIGURED, facts("db1", writable(1),
        "db2", replicaOf(2, "127.0.0.1", 3301)));
    ReplicationTopology after = resolve(t, facts("db1", writable(1),
        "db2", ServerFacts.of(true, "uuid-2", 2, new ServerFacts.Source("127.0.0.1", 3301, 0, null,
            true, true))));
    assertThat(after.generation()).isEqualTo(t.generation() + 1);
    assertThat(TopologyResolver.describe(t, after)).isEqualTo("topology generation 2: db2 replica "
        + "of db1 -> replica of db1 (read-only)");
  }

  @Test
  void resolve_seedRemoved_andAdded_isANewGeneration() {
    List<Seed> seeds = List.of(SEEDS.get(0), SEEDS.get(1), new Seed("db4", "127.0.0.1", 3304));
    ReplicationTopology t = TopologyResolver.resolve(CONFIGURED, seeds, facts("db1", writable(1),
        "db4", replicaOf(4, "localhost", 3301)));
    assertThat(t.generation()).isEqualTo(2);
    assertThat(t.members()).extracting(Member::name).containsExactly("db1", "db2", "db4");
    assertThat(t.member("db4")).isEqualTo(new Member("db4", Role.REPLICA, "db1", false));
    assertThat(TopologyResolver.describe(CONFIGURED, t)).isEqualTo("topology generation 2: db4 "
        + "added as replica of db1; db3 removed");
  }

  @Test
  void resolve_primaryRemovedFromTheSeeds_noCandidate_hasNoPrimary() {
    List<Seed> seeds = List.of(SEEDS.get(1));
    ReplicationTopology t = TopologyResolver.resolve(CONFIGURED, seeds, facts());
    assertThat(t.primary()).isNull();
  }

  @Test
  void sourceName_serverIdSharedByTwo_fallsBackToHostAndPort() {
    Map<String, ServerFacts> f = facts("db1", writable(7), "db3", writable(7));
    assertThat(TopologyResolver.sourceName("db2",
        new ServerFacts.Source("localhost", 3301, 7, null, true, true), SEEDS, f)).isEqualTo("db1");
  }

  @Test
  void sourceName_neverItself() {
    Map<String, ServerFacts> f = facts("db2", writable(2));
    assertThat(TopologyResolver.sourceName("db2",
        new ServerFacts.Source("127.0.0.1", 3302, 2, "uuid-2", true, true), SEEDS, f)).isNull();
  }

  @Test
  void sameHost_loopbackSpellings_areOneHost() {
    assertThat(TopologyResolver.sameHost("localhost", "127.0.0.1")).isTrue();
    assertThat(TopologyResolver.sameHost("[::1]", "127.0.0.1")).isTrue();
    assertThat(TopologyResolver.sameHost("DB3.example", "db3.example")).isTrue();
    assertThat(TopologyResolver.sameHost("db3.example", "127.0.0.1")).isFalse();
    assertThat(TopologyResolver.sameHost(null, "127.0.0.1")).isFalse();
  }
}
