package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** From what the servers said to the next roles, as values. */
class RoleDiscoveryTest {
  private static final String U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String U2 = "5c6d7e8f-0000-11e1-8000-000000000002";
  private static final Roles CONFIGURED = Roles.configured("db1", List.of("db2", "db3"), false);
  private static final GtidSet SET = GtidSet.parse(Flavor.MYSQL, U1 + ":1-100");

  private static ServerAnswer primary(String name, String uuid) {
    return new ServerAnswer(name, null, false, uuid, SET, null, null);
  }

  private static ServerAnswer replica(String name, String io) {
    return new ServerAnswer(name, null, true, U1, SET, null,
        new ServerAnswer.Replication("127.0.0.1", 3306, io, "Yes"));
  }

  private static ServerAnswer demoted(String name) {
    return new ServerAnswer(name, null, true, U1, SET, null, null);
  }

  @Test
  void next_nothingChanged_keepsTheRolesAndTheGeneration() {
    RoleDiscovery.Outcome o = RoleDiscovery.next(CONFIGURED,
        List.of(primary("db1", U1), replica("db2", "Yes"), replica("db3", "Yes")), false);
    assertThat(o.problem()).isNull();
    assertThat(o.roles()).isEqualTo(CONFIGURED);
    assertThat(RoleDiscovery.change(CONFIGURED, o.roles())).isNull();
  }

  @Test
  void next_aReplicaPromoted_becomesPrimary_leavesTheRotation_withAFenceOfWhatItHad() {
    RoleDiscovery.Outcome o = RoleDiscovery.next(CONFIGURED,
        List.of(demoted("db1"), primary("db2", U2), replica("db3", "Yes")), false);
    assertThat(o.problem()).isNull();
    assertThat(o.roles().primary()).isEqualTo("db2");
    assertThat(o.roles().generation()).isEqualTo(1);
    assertThat(o.roles().readers()).containsExactly("db3");
    assertThat(o.roles().fence()).isEqualTo(new Fence("db2", U2, SET, null));
    assertThat(RoleDiscovery.change(CONFIGURED, o.roles()))
        .contains("primary db1 -> db2 (generation 1)").contains("readers [db2, db3] -> [db3]");
  }

  @Test
  void next_theDemotedServerReplicatesAgain_joinsTheRotation_sameGeneration() {
    Roles promoted = new Roles(1, "db2", List.of("db3"), new Fence("db2", U2, SET, null));
    RoleDiscovery.Outcome o = RoleDiscovery.next(promoted,
        List.of(replica("db1", "Yes"), primary("db2", U2), replica("db3", "Yes")), false);
    assertThat(o.roles()).isEqualTo(promoted.withReaders(List.of("db1", "db3")));
  }

  @Test
  void next_readsOnPrimary_keepsThePrimaryInTheRotation() {
    RoleDiscovery.Outcome o = RoleDiscovery.next(Roles.configured("db1", List.of("db2", "db3"),
        true), List.of(demoted("db1"), primary("db2", U2), replica("db3", "Connecting")), true);
    assertThat(o.roles().readers()).containsExactly("db2", "db3");
  }

  @Test
  void next_noWritableServer_keepsThePrimary_andNamesWhatEachServerSaid() {
    RoleDiscovery.Outcome o = RoleDiscovery.next(CONFIGURED,
        List.of(ServerAnswer.unreachable("db1", "Connection refused"), replica("db2", "Connecting"),
            replica("db3", "Connecting")), false);
    assertThat(o.roles()).isEqualTo(CONFIGURED);
    assertThat(o.problem()).contains("no configured server is writable")
        .contains("db1: unreachable (Connection refused)")
        .contains("db2: read-only, replicates from 127.0.0.1:3306 (IO Connecting, SQL Yes)");
  }

  @Test
  void next_severalWritable_keepsTheCurrentOneIfAmongThem_elseRefusesToGuess() {
    RoleDiscovery.Outcome keep = RoleDiscovery.next(CONFIGURED,
        List.of(primary("db1", U1), primary("db2", U2), replica("db3", "Yes")), false);
    assertThat(keep.roles().primary()).isEqualTo("db1");
    assertThat(keep.problem()).isNull();
    RoleDiscovery.Outcome guess = RoleDiscovery.next(CONFIGURED,
        List.of(ServerAnswer.unreachable("db1", "timeout"), primary("db2", U2),
            primary("db3", U1)), false);
    assertThat(guess.roles().primary()).isEqualTo("db1");
    assertThat(guess.problem()).contains("does not guess").contains("db2: writable")
        .contains("db3: writable");
  }

  @Test
  void next_anUnreachableServer_keepsItsPlaceInTheRotation() {
    RoleDiscovery.Outcome o = RoleDiscovery.next(CONFIGURED,
        List.of(primary("db1", U1), ServerAnswer.unreachable("db2", "refused"),
            replica("db3", "Yes")), false);
    assertThat(o.roles().readers()).containsExactly("db2", "db3");
  }

  @Test
  void next_aStoppedReplica_leavesTheRotation_aWritableReplicaThatReplicatesStays() {
    ServerAnswer stopped = new ServerAnswer("db2", null, true, U1, SET, null,
        new ServerAnswer.Replication("h", 1, "No", "No"));
    ServerAnswer writableReplica = new ServerAnswer("db3", null, false, U1, SET, null,
        new ServerAnswer.Replication("h", 1, "Yes", "Yes"));
    RoleDiscovery.Outcome o = RoleDiscovery.next(CONFIGURED,
        List.of(primary("db1", U1), stopped, writableReplica), false);
    assertThat(o.problem()).isNull();
    assertThat(o.roles().primary()).isEqualTo("db1");
    assertThat(o.roles().readers()).containsExactly("db3");
  }
}
