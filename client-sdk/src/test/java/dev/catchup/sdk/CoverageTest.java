package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.gtid.MariaDbGtidSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When what a server has covers a token: server-aware on MariaDB, exact containment on MySQL. */
class CoverageTest {

  private static GtidSet maria(String text) {
    return GtidSet.parse(Flavor.MARIADB, text);
  }

  private static MariaDbBinlogState state(String text) {
    return MariaDbBinlogState.parse(text);
  }

  /** Server 2 promoted after server 1 had written up to 0-1-100 (and 1-1-7) on it. */
  private static final Fence PROMOTED_2 = new Fence("db2", "2", MariaDbGtidSet.parse("0-1-100,1-1-7"),
      state("0-1-100,1-1-7"));

  static Stream<Arguments> positions() {
    return Stream.of(
        // case, position, token, fence, covered
        Arguments.of("same server, reached", "0-1-110", "0-1-105", null, true),
        Arguments.of("same server, not yet", "0-1-104", "0-1-105", null, false),
        Arguments.of("lost tail: the new server's higher sequence proves nothing", "0-2-110",
            "0-1-105", null, false),
        Arguments.of("lost tail, fence lacks it", "0-2-110", "0-1-105", PROMOTED_2, false),
        Arguments.of("before the promotion: in the fence's lineage", "0-2-110", "0-1-100",
            PROMOTED_2, true),
        Arguments.of("in the lineage, but the position is not there yet", "0-1-90", "0-1-100",
            PROMOTED_2, false),
        Arguments.of("in the lineage, position short", "0-2-99", "0-1-100", PROMOTED_2, false),
        Arguments.of("written by the new primary, same server", "0-2-120", "0-2-115",
            PROMOTED_2, true),
        Arguments.of("multi-domain: one domain unproven fails the token", "0-2-110,1-1-9",
            "0-1-105,1-1-8", null, false),
        Arguments.of("multi-domain: each domain proven its own way", "0-2-110,1-1-9",
            "0-1-100,1-1-8", PROMOTED_2, true),
        Arguments.of("domain missing from the position", "0-1-110", "0-1-105,1-1-1", null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positions")
  void covers_mariadbPosition_provenOnlyBySameServerOrFence(String name, String position,
      String token, Fence fence, boolean covered) {
    assertThat(Coverage.covers(maria(position), maria(token), fence)).isEqualTo(covered);
  }

  @Test
  void level_mariadb_tellsPassedBySequenceFromNotPassedAndProven() {
    assertThat(Coverage.level(maria("0-1-104"), maria("0-1-105"), null))
        .isEqualTo(Coverage.Level.NONE);
    assertThat(Coverage.level(maria("0-2-110"), maria("0-1-105"), null))
        .isEqualTo(Coverage.Level.PASSED);
    assertThat(Coverage.level(maria("0-2-110"), maria("0-1-100"), PROMOTED_2))
        .isEqualTo(Coverage.Level.PROVEN);
  }

  static Stream<Arguments> servers() {
    return Stream.of(
        // case, the replica's binlog state + slave pos, token, fence, proven
        Arguments.of("same server in the slave position", "0-1-110", "0-1-105", null, true),
        Arguments.of("switchover with log_slave_updates: the binlog state names server 1",
            "0-1-105,0-2-110", "0-1-105", null, true),
        Arguments.of("switchover without log_slave_updates: slave pos only, fence-proven",
            "0-2-110", "0-1-100", PROMOTED_2, true),
        Arguments.of("lost tail: the replica never had server 1 beyond 100", "0-1-100,0-2-110",
            "0-1-105", PROMOTED_2, false),
        Arguments.of("lost tail before the SDK knows of the promotion (no fence)",
            "0-1-100,0-2-110", "0-1-105", null, false),
        Arguments.of("multi-domain, both proven by the state", "0-1-105,1-3-8", "0-1-105,1-3-8",
            null, true),
        Arguments.of("multi-domain, one short", "0-1-105,1-3-7", "0-1-105,1-3-8", null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void provenOnServer_mariadb_byItsOwnStateOrTheFence(String name, String serverState,
      String token, Fence fence, boolean proven) {
    assertThat(Coverage.provenOnServer(state(serverState), maria(token), fence)).isEqualTo(proven);
  }

  @Test
  void covers_mysql_isExactContainment_andAServersAnswerIsProof() {
    String a = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    String b = "5c6d7e8f-0000-11e1-8000-000000000002";
    GtidSet position = GtidSet.parse(Flavor.MYSQL, a + ":1-100," + b + ":1-110");
    assertThat(Coverage.level(position, GtidSet.parse(Flavor.MYSQL, a + ":1-100"), null))
        .isEqualTo(Coverage.Level.PROVEN);
    assertThat(Coverage.level(position, GtidSet.parse(Flavor.MYSQL, a + ":1-105"), null))
        .isEqualTo(Coverage.Level.NONE);
    assertThat(Coverage.covers(position, GtidSet.parse(Flavor.MYSQL, a + ":1-100"), null)).isTrue();
    assertThat(Coverage.covers(position, GtidSet.parse(Flavor.MYSQL, a + ":1-105"), null)).isFalse();
    assertThat(Coverage.provenOnServer(null, GtidSet.parse(Flavor.MYSQL, a + ":1-105"), null))
        .isTrue();
  }
}
