package dev.catchup.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.bench.failover.LossAccount.Loss;
import dev.catchup.bench.failover.LossAccount.NewPrimary;
import dev.catchup.bench.failover.LossAccount.Write;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.sdk.workload.CheckedWorkload.Named;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LossAccountTest {
  private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String B = "5c1e2f00-0000-11e1-9e33-c80aa9429562";

  private static GtidSet my(String text) {
    return GtidSet.parse(Flavor.MYSQL, text);
  }

  private static GtidSet maria(String text) {
    return GtidSet.parse(Flavor.MARIADB, text);
  }

  private static NewPrimary mysqlHas(String executed) {
    return NewPrimary.mysql(my(executed));
  }

  private static NewPrimary mariadbHas(String binlogState) {
    return NewPrimary.mariadb(MariaDbBinlogState.parse(binlogState));
  }

  /** Every count of a loss, in the record's order. */
  private static List<Long> counts(Loss l) {
    return List.of(l.acknowledgedWrites(), l.lostWrites(), l.lostSessions(), l.lostWritesNamed(),
        l.lostReads(), l.namedSessions(), l.namedGtids(), l.namedHeld(),
        l.namedSessionsWithoutLoss(), l.writesWithoutGtid());
  }

  @Test
  void writeGtid_mysqlHighWaterMarkMoved_isTheNewMark() {
    // The token keeps uuid:1-N: a write moves N from the session's previous write to its own.
    assertThat(LossAccount.writeGtid(my(A + ":1-3"), my(A + ":1-9"))).isEqualTo(my(A + ":9"));
    assertThat(LossAccount.writeGtid(my(A + ":1-3"), my(A + ":1-3," + B + ":1-7")))
        .isEqualTo(my(B + ":7"));
  }

  @Test
  void writeGtid_tokenUnchanged_isNull() {
    assertThat(LossAccount.writeGtid(my(A + ":1-3"), my(A + ":1-3"))).isNull();
    assertThat(LossAccount.writeGtid(maria("0-1-5"), maria("0-1-5"))).isNull();
  }

  @Test
  void writeGtid_mariadbNewerPosition_isTheChangedEntry() {
    assertThat(LossAccount.writeGtid(maria("0-1-5"), maria("0-1-6"))).isEqualTo(maria("0-1-6"));
    // After a failover and acceptLoss: a lower sequence of another server is still the write.
    assertThat(LossAccount.writeGtid(maria("0-1-9,1-1-2"), maria("0-2-7,1-1-2")))
        .isEqualTo(maria("0-2-7"));
  }

  @Test
  void of_mysql_countsLostWritesAgainstTheReadsThatNamedThem() {
    List<Write> acked = List.of(new Write(0, 1, my(A + ":1")), new Write(0, 2, my(A + ":2")),
        new Write(1, 3, my(A + ":3")), new Write(1, 4, my(A + ":4")),
        new Write(2, 5, my(A + ":5")));
    // Session 0's lost write is named by its own read (twice); session 1's is not named at all.
    List<Named> named = List.of(new Named(0, my(A + ":2")), new Named(0, my(A + ":2")));

    Loss loss = LossAccount.of(Flavor.MYSQL, acked, Set.of(1L, 3L, 5L), named,
        mysqlHas(A + ":1:3:5"));

    assertThat(counts(loss)).containsExactly(5L, 2L, 2L, 1L, 2L, 1L, 1L, 0L, 0L, 0L);
  }

  @Test
  void of_mysqlNamedGtidTheNewPrimaryHas_countedAsHeld() {
    List<Write> acked = List.of(new Write(0, 1, my(A + ":1")), new Write(0, 2, my(A + ":2")));

    Loss loss = LossAccount.of(Flavor.MYSQL, acked, Set.of(1L),
        List.of(new Named(0, my(A + ":1-2"))), mysqlHas(A + ":1"));

    assertThat(loss.namedGtids()).isEqualTo(2);
    assertThat(loss.namedHeld()).isEqualTo(1);
    assertThat(loss.lostWritesNamed()).isEqualTo(1);
  }

  @Test
  void of_lostWriteNamedOnlyByAnotherSession_isNotNamedAndThatSessionLostNothing() {
    List<Write> acked = List.of(new Write(0, 1, my(A + ":1")), new Write(1, 2, my(A + ":2")));

    Loss loss = LossAccount.of(Flavor.MYSQL, acked, Set.of(2L),
        List.of(new Named(1, my(A + ":1"))), mysqlHas(A + ":2"));

    assertThat(loss.lostWrites()).isEqualTo(1);
    assertThat(loss.lostWritesNamed()).isZero();
    assertThat(loss.namedHeld()).isZero();
    assertThat(loss.namedSessionsWithoutLoss()).isEqualTo(1);
  }

  @Test
  void of_mariadbNewestLostNamed_namesTheEarlierOnesOfItsServerAndDomain() {
    List<Write> acked = List.of(new Write(0, 1, maria("0-1-1")), new Write(0, 2, maria("0-1-2")),
        new Write(0, 3, maria("0-1-3")), new Write(1, 4, maria("0-1-4")));
    // The new primary (server 2) has server 1's transactions up to 1 and wrote on to 0-2-9: a
    // position 0-2-9 would "contain" 0-1-3 by sequence, the binlog state does not.
    NewPrimary newPrimary = mariadbHas("0-1-1,0-2-9");

    Loss loss = LossAccount.of(Flavor.MARIADB, acked, Set.of(1L),
        List.of(new Named(0, maria("0-1-3")), new Named(1, maria("0-1-4"))), newPrimary);

    assertThat(counts(loss)).containsExactly(4L, 3L, 2L, 3L, 2L, 2L, 2L, 0L, 0L, 0L);
  }

  @Test
  void of_mariadbNamedEntryTheNewPrimaryHas_countedAsHeld() {
    List<Write> acked = List.of(new Write(0, 1, maria("0-1-1")), new Write(0, 2, maria("0-1-2")));

    Loss loss = LossAccount.of(Flavor.MARIADB, acked, Set.of(1L, 2L),
        List.of(new Named(0, maria("0-1-2")), new Named(1, maria("0-1-2"))), mariadbHas("0-1-2"));

    assertThat(loss.namedGtids()).isEqualTo(1);
    assertThat(loss.namedHeld()).isEqualTo(1);
    assertThat(loss.namedSessionsWithoutLoss()).isEqualTo(2);
  }

  @Test
  void names_mariadbOtherServerOrDomain_false() {
    assertThat(LossAccount.names(Flavor.MARIADB, maria("0-1-9"), maria("0-1-7"))).isTrue();
    assertThat(LossAccount.names(Flavor.MARIADB, maria("0-1-9"), maria("0-2-7"))).isFalse();
    assertThat(LossAccount.names(Flavor.MARIADB, maria("0-1-9"), maria("1-1-7"))).isFalse();
    assertThat(LossAccount.names(Flavor.MARIADB, maria("0-1-6"), maria("0-1-7"))).isFalse();
  }

  @Test
  void of_writeWithoutGtid_countedApartAndNeverNamed() {
    List<Write> acked = List.of(new Write(0, 1, null), new Write(0, 2, my(A + ":2")));

    Loss loss = LossAccount.of(Flavor.MYSQL, acked, Set.of(),
        List.of(new Named(0, my(A + ":2"))), mysqlHas(""));

    assertThat(counts(loss)).containsExactly(2L, 2L, 1L, 1L, 1L, 1L, 1L, 0L, 0L, 1L);
  }

  @Test
  void of_lostAndNamed_listedBySession() {
    Loss loss = LossAccount.of(Flavor.MYSQL, List.of(new Write(3, 7, my(A + ":2"))), Set.of(),
        List.of(new Named(3, my(A + ":1-2"))), mysqlHas(A + ":1"));

    assertThat(loss.lost()).containsExactly("session 3: row 7, " + A + ":2");
    assertThat(loss.named()).containsExactly("session 3: " + A + ":1-2");
  }
}
