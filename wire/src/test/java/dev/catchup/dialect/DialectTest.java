package dev.catchup.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.protocol.ServerSessionStateController;
import dev.catchup.gtid.Flavor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The flavor table: complete for every flavor, and consistent with what its callers assume. */
class DialectTest {

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void of_everyFlavor_hasADialectOfThatFlavor(Flavor flavor) {
    assertThat(Dialect.of(flavor).flavor()).isEqualTo(flavor);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void dialect_everyEntry_isPresent(Dialect d) throws Exception {
    // Every no-argument accessor of the table: a new entry is covered without editing this test.
    for (Method m : Dialect.class.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.getReturnType() == String.class
          && java.lang.reflect.Modifier.isPublic(m.getModifiers())
          && !java.lang.reflect.Modifier.isStatic(m.getModifiers()) && !m.getName().equals("name")
          && !m.getName().equals("toString")) {
        assertThat((String) m.invoke(d)).as(d + "." + m.getName()).isNotBlank();
      }
    }
    for (RecordComponent c : Dialect.ReplicaStatusColumns.class.getRecordComponents()) {
      assertThat((String) c.getAccessor().invoke(d.replicaStatusColumns()))
          .as(d + ".replicaStatusColumns." + c.getName()).isNotBlank();
    }
    assertThat(d.trackingDriverProperties()).containsEntry("trackSessionState", "true")
        .containsEntry("sessionVariables", d.trackingAssignment());
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void dialect_statements_takeTheParametersTheirCallersBind(Dialect d) {
    assertThat(placeholders(d.checkQuery())).isEqualTo(1);
    assertThat(placeholders(d.waitQuery())).isEqualTo(2);
    for (String sql : List.of(d.primaryExecutedQuery(), d.replicaExecutedQuery(),
        d.lastWrittenQuery(), d.binlogStatusQuery(), d.replicaStatusQuery())) {
      assertThat(placeholders(sql)).as(sql).isZero();
    }
    assertThat(d.trackingAssignment()).startsWith(d.trackingVariable() + "=");
  }

  @Test
  void dialect_perFlavor_spellsWhatEachServerUnderstands() {
    assertThat(Dialect.MYSQL.executedQuery(true)).isEqualTo("SELECT @@global.gtid_executed");
    assertThat(Dialect.MYSQL.executedQuery(false)).isEqualTo("SELECT @@global.gtid_executed");
    assertThat(Dialect.MARIADB.executedQuery(true)).isEqualTo("SELECT @@global.gtid_slave_pos");
    assertThat(Dialect.MARIADB.executedQuery(false)).isEqualTo("SELECT @@global.gtid_binlog_pos");
    assertThat(Dialect.MYSQL.waitQuery()).contains("WAIT_FOR_EXECUTED_GTID_SET");
    assertThat(Dialect.MARIADB.waitQuery()).contains("MASTER_GTID_WAIT");
    assertThat(Dialect.MYSQL.replicaStatusColumns().secondsBehind()).isEqualTo("Seconds_Behind_Source");
    assertThat(Dialect.MARIADB.replicaStatusColumns().secondsBehind()).isEqualTo("Seconds_Behind_Master");
  }

  @Test
  void sessionTrackTypes_matchTheDriversConstants() {
    assertThat(Dialect.SESSION_TRACK_GTIDS).isEqualTo(ServerSessionStateController.SESSION_TRACK_GTIDS);
    assertThat(Dialect.SESSION_TRACK_SYSTEM_VARIABLES)
        .isEqualTo(ServerSessionStateController.SESSION_TRACK_SYSTEM_VARIABLES);
  }

  @Test
  void gtidOf_mysql_takesTheLastGtidOfTheGtidTracker() {
    assertThat(Dialect.MYSQL.gtidOf(Dialect.SESSION_TRACK_GTIDS, List.of("", "u:1-3"))).isEqualTo("u:1-3");
    assertThat(Dialect.MYSQL.gtidOf(Dialect.SESSION_TRACK_GTIDS, List.of())).isNull();
    assertThat(Dialect.MYSQL.gtidOf(Dialect.SESSION_TRACK_SYSTEM_VARIABLES, List.of("last_gtid", "0-1-2")))
        .isNull();
  }

  @Test
  void gtidOf_mariadb_takesTheLastGtidVariable() {
    assertThat(Dialect.MARIADB.gtidOf(Dialect.SESSION_TRACK_SYSTEM_VARIABLES, List.of("LAST_GTID", "0-1-2")))
        .isEqualTo("0-1-2");
    assertThat(Dialect.MARIADB.gtidOf(Dialect.SESSION_TRACK_SYSTEM_VARIABLES, List.of("autocommit", "ON")))
        .isNull();
    assertThat(Dialect.MARIADB.gtidOf(Dialect.SESSION_TRACK_GTIDS, List.of("0-1-2"))).isNull();
  }

  @Test
  void tracksGtids_readsTheTrackingVariableAsEachServerPrintsIt() {
    assertThat(Dialect.MYSQL.tracksGtids("own_gtid")).isTrue();
    assertThat(Dialect.MYSQL.tracksGtids("OFF")).isFalse();
    assertThat(Dialect.MYSQL.tracksGtids(null)).isFalse();
    assertThat(Dialect.MARIADB.tracksGtids("autocommit,last_gtid")).isTrue();
    assertThat(Dialect.MARIADB.tracksGtids("autocommit,character_set_client")).isFalse();
    assertThat(Dialect.MARIADB.tracksGtids(null)).isFalse();
  }

  private static long placeholders(String sql) {
    return sql.chars().filter(c -> c == '?').count();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void isReadOnlyRefusal_readOnlyAndSuperReadOnly_yes_otherUsesOf1290_no(Dialect d) {
    assertThat(d.isReadOnlyRefusal(new java.sql.SQLException("The MySQL server is running with the "
        + "--super-read-only option so it cannot execute this statement", "HY000", 1290))).isTrue();
    assertThat(d.isReadOnlyRefusal(new java.sql.SQLException("The MariaDB server is running with "
        + "the --read-only option so it cannot execute this statement", "HY000", 1290))).isTrue();
    assertThat(d.isReadOnlyRefusal(new java.sql.SQLException("Running in read-only mode", "HY000",
        1836))).isTrue();
    java.sql.SQLException wrapped = new java.sql.SQLException("batch failed", "HY000", 0,
        new java.sql.SQLException("The MySQL server is running with the --read-only option",
            "HY000", 1290));
    assertThat(d.isReadOnlyRefusal(wrapped)).isTrue();
    assertThat(d.isReadOnlyRefusal(new java.sql.SQLException("The MySQL server is running with the "
        + "--secure-file-priv option so it cannot execute this statement", "HY000", 1290))).isFalse();
    assertThat(d.isReadOnlyRefusal(new java.sql.SQLException("Duplicate entry", "23000", 1062)))
        .isFalse();
  }
}
