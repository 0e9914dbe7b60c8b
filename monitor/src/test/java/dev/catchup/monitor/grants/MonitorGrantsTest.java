package dev.catchup.monitor.grants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grant table, its statements, and the README that documents them. */
class MonitorGrantsTest {
  private static final String ACCOUNT = "'catchup_monitor'@'%'";

  @Test
  void statements_mysql_onePerScope() {
    assertThat(MonitorGrants.statements(Flavor.MYSQL, false, ACCOUNT)).containsExactly(
        "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + ACCOUNT);
    assertThat(MonitorGrants.statements(Flavor.MYSQL, true, ACCOUNT)).containsExactly(
        "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + ACCOUNT,
        "GRANT CREATE, INSERT, UPDATE, SELECT ON catchup_monitor.* TO " + ACCOUNT);
  }

  @Test
  void statements_mariadb_includeSlaveMonitor() {
    assertThat(MonitorGrants.statements(Flavor.MARIADB, false, ACCOUNT)).containsExactly(
        "GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO " + ACCOUNT);
    assertThat(MonitorGrants.statements(Flavor.MARIADB, true, ACCOUNT)).containsExactly(
        "GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO " + ACCOUNT,
        "GRANT CREATE, INSERT, UPDATE, SELECT ON catchup_monitor.* TO " + ACCOUNT);
  }

  @Test
  void account_quotesUserAndHost() {
    assertThat(MonitorGrants.account("o'brien", "10.0.0.%")).isEqualTo("'o''brien'@'10.0.0.%'");
  }

  @Test
  void readme_showsEveryStatementAndGrant_ofEveryFlavorAndMode() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Flavor f : Flavor.values()) {
      for (boolean heartbeat : List.of(false, true)) {
        for (String statement : MonitorGrants.statements(f, heartbeat, ACCOUNT)) {
          assertThat(readme).as("README shows the %s statement", f).contains(statement + ";");
        }
        for (MonitorGrants.Grant g : MonitorGrants.required(f, heartbeat)) {
          assertThat(readme).as("README's table row of %s", g.privilege())
              .containsPattern("\\| `[^|]*" + g.privilege() + "[^|]*` \\| `" + g.on()
                  .replace("*", "\\*").replace(".", "\\.") + "` \\|");
        }
      }
    }
  }
}
