package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.gtid.MariaDbGtidSet;
import org.junit.jupiter.api.Test;

/** Session.acceptLoss removes exactly the lost GTIDs, per flavor, and the exception names them. */
class AcceptLossTest {
  private static final String OLD = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String NEW = "5c6d7e8f-0000-11e1-8000-000000000002";
  private static final String OTHER = "4a5b6c7d-0000-11e1-8000-000000000001";

  private static Session session(Flavor flavor) {
    return new Session(new ConnectionSource() {
      @Override
      public java.sql.Connection open(Session s, boolean readOnly, ReadOptions o) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Borrowed borrow(Session s, boolean readOnly, ReadOptions o) {
        throw new UnsupportedOperationException();
      }
    }, CatchupMetrics.NONE, new SessionState(flavor, ReadOptions.DEFAULTS));
  }

  @Test
  void acceptLoss_mysql_removesTheLostIntervals_keepsEverythingElse() {
    Session s = session(Flavor.MYSQL);
    s.recordWrite(GtidSet.parse(Flavor.MYSQL, OLD + ":1-105"));
    s.observe(ConsistencyToken.decode("mysql/" + OTHER + ":1-7," + OLD + ":1-103"));
    Fence fence = new Fence("db2", NEW, GtidSet.parse(Flavor.MYSQL, OLD + ":1-100," + OTHER
        + ":1-7"), null);
    GtidSet lost = fence.lost(s.token().gtids());
    LostWritesException e = new LostWritesException(lost, fence.retained(lost), "db2");
    assertThat(e.getSQLState()).isEqualTo(LostWritesException.SQL_STATE).isEqualTo("22Z02");
    assertThat(e.getMessage()).contains(OLD + ":101-105").contains("db2");
    s.acceptLoss(e);
    assertThat(s.token().encode()).isEqualTo("mysql/" + OLD + ":1-100," + OTHER + ":1-7");
    assertThat(fence.lost(s.token().gtids()).isEmpty()).isTrue();
    s.recordWrite(GtidSet.parse(Flavor.MYSQL, NEW + ":5"));
    assertThat(s.writtenToken().gtids().contains(GtidSet.parse(Flavor.MYSQL, NEW + ":1-5")))
        .as("writes on the new primary keep being recorded").isTrue();
  }

  @Test
  void acceptLoss_mariadb_lowersEachLostDomainToWhatTheNewPrimaryHasOfThatServer() {
    Session s = session(Flavor.MARIADB);
    s.recordWrite(GtidSet.parse(Flavor.MARIADB, "0-1-105,1-1-7"));
    Fence fence = new Fence("db2", "2", MariaDbGtidSet.parse("0-2-110,1-1-7"),
        MariaDbBinlogState.parse("0-1-100,0-2-110,1-1-7"));
    GtidSet lost = fence.lost(s.token().gtids());
    assertThat(lost).isEqualTo(GtidSet.parse(Flavor.MARIADB, "0-1-105"));
    s.acceptLoss(new LostWritesException(lost, fence.retained(lost), "db2"));
    assertThat(s.token().encode()).isEqualTo("mariadb/0-1-100,1-1-7");
  }

  @Test
  void acceptLoss_otherFlavor_throwsNamingBoth() {
    Session s = session(Flavor.MARIADB);
    LostWritesException mysql = new LostWritesException(GtidSet.parse(Flavor.MYSQL, OLD + ":5"),
        GtidSet.empty(Flavor.MYSQL), "db2");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.acceptLoss(mysql));
    assertThat(e.getMessage()).contains("MYSQL").contains("MARIADB");
  }
}
