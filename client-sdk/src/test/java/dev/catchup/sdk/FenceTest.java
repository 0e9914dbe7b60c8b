package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.gtid.MariaDbGtidSet;
import org.junit.jupiter.api.Test;

/** Which GTIDs of a token a promoted primary's fence names lost, per flavor. */
class FenceTest {
  private static final String OLD = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String NEW = "5c6d7e8f-0000-11e1-8000-000000000002";
  private static final String OTHER = "4a5b6c7d-0000-11e1-8000-000000000001";

  private static GtidSet mysql(String text) {
    return GtidSet.parse(Flavor.MYSQL, text);
  }

  private static final Fence MYSQL = new Fence("db2", NEW,
      mysql(OLD + ":1-100," + NEW + ":1-4," + OTHER + ":1-7"), null);

  @Test
  void lost_mysql_othersSourcesBeyondTheFence_areLost_theNewPrimarysOwnAreNot() {
    assertThat(MYSQL.lost(mysql(OLD + ":1-105"))).isEqualTo(mysql(OLD + ":101-105"));
    assertThat(MYSQL.lost(mysql(OLD + ":1-100," + OTHER + ":1-7")).isEmpty()).isTrue();
    assertThat(MYSQL.lost(mysql(NEW + ":1-50")).isEmpty())
        .as("written on the new primary since: its own, never lost").isTrue();
    assertThat(MYSQL.lost(mysql(OLD + ":1-103," + OTHER + ":1-9," + NEW + ":1-60")))
        .isEqualTo(mysql(OLD + ":101-103," + OTHER + ":8-9"));
    assertThat(MYSQL.retained(mysql(OLD + ":101-103")).isEmpty()).isTrue();
  }

  private static final Fence MARIADB = new Fence("db2", "2", MariaDbGtidSet.parse("0-2-110"),
      MariaDbBinlogState.parse("0-1-100,0-2-110,1-1-7"));

  private static GtidSet maria(String text) {
    return GtidSet.parse(Flavor.MARIADB, text);
  }

  @Test
  void lost_mariadb_tellsTheOldPrimarysSequenceFromTheNewOnes() {
    assertThat(MARIADB.lost(maria("0-1-105"))).as("lost from server 1").isEqualTo(maria("0-1-105"));
    assertThat(MARIADB.lost(maria("0-2-105")).isEmpty()).as("written by server 2 itself").isTrue();
    assertThat(MARIADB.lost(maria("0-1-100,1-1-7")).isEmpty()).isTrue();
    assertThat(MARIADB.lost(maria("0-1-105,1-1-8"))).isEqualTo(maria("0-1-105,1-1-8"));
  }

  @Test
  void lost_mariadb_aServerTheStateDoesNotName_isComparedWithHowFarTheDomainWasReplicated() {
    // Server 3 wrote in domain 0 long ago; the new primary logs no entry of it.
    assertThat(MARIADB.lost(maria("0-3-90")).isEmpty()).isTrue();
    assertThat(MARIADB.lost(maria("0-3-101"))).isEqualTo(maria("0-3-101"));
  }

  @Test
  void retained_mariadb_isWhatTheNewPrimaryHasOfTheLostServer() {
    assertThat(MARIADB.retained(maria("0-1-105,1-1-8"))).isEqualTo(maria("0-1-100,1-1-7"));
  }
}
