package dev.catchup.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MariaDbBinlogStateTest {

  @Test
  void parse_domainOncePerServer_keepsEachServersNewest() {
    MariaDbBinlogState s = MariaDbBinlogState.parse("0-2-105, 0-1-100,1-1-7\n,0-1-90");
    assertThat(s.toString()).isEqualTo("0-1-100,0-2-105,1-1-7");
    assertThat(s.sequence(0, 1)).isEqualTo(100);
    assertThat(s.sequence(0, 2)).isEqualTo(105);
    assertThat(s.has(1, 2)).isFalse();
    assertThat(s.sequence(1, 2)).isZero();
  }

  @Test
  void highestExcept_ignoresTheNamedServer() {
    MariaDbBinlogState s = MariaDbBinlogState.parse("0-1-100,0-2-105,0-3-40");
    assertThat(s.highestExcept(0, 2)).isEqualTo(100);
    assertThat(s.highestExcept(0, 1)).isEqualTo(105);
    assertThat(s.highestExcept(5, 1)).isZero();
  }

  @Test
  void parse_blank_isEmpty_andUnsignedSequencesCompareUnsigned() {
    assertThat(MariaDbBinlogState.parse(" ").isEmpty()).isTrue();
    MariaDbBinlogState big = MariaDbBinlogState.parse("0-1-18446744073709551615,0-1-5");
    assertThat(Long.toUnsignedString(big.sequence(0, 1))).isEqualTo("18446744073709551615");
  }

  @Test
  void parse_malformed_throwsNamingTheOffset() {
    GtidParseException e = assertThrows(GtidParseException.class,
        () -> MariaDbBinlogState.parse("0-1"));
    assertThat(e.getMessage()).contains("expected '-'");
    assertThat(assertThrows(GtidParseException.class,
        () -> MariaDbBinlogState.parse("0-1-5,")).getMessage()).contains("domain id");
    assertThat(assertThrows(GtidParseException.class,
        () -> MariaDbBinlogState.parse("0-4294967296-5")).getMessage()).contains("server id");
  }

  @Test
  void union_andOf_keepTheNewestPerDomainAndServer() {
    MariaDbBinlogState a = MariaDbBinlogState.parse("0-1-100,0-2-3");
    MariaDbBinlogState b = MariaDbBinlogState.of(MariaDbGtidSet.parse("0-2-9,1-1-4"));
    assertThat(a.union(b).toString()).isEqualTo("0-1-100,0-2-9,1-1-4");
    assertThat(a.union(b)).isEqualTo(b.union(a));
  }
}
