package dev.catchup.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MariaDbGtidSetTest {

  @Test
  void parse_serverOutput_roundTrips() {
    assertEquals("0-1-100,1-2-7", MariaDbGtidSet.parse("0-1-100,1-2-7").toString());
    assertEquals("0-1-100,1-2-7", MariaDbGtidSet.parse(" 1-2-7 ,\n0-1-100 ").toString());
    assertThat(MariaDbGtidSet.parse("").isEmpty()).isTrue();
  }

  @Test
  void parse_unsignedLimits() {
    assertEquals("4294967295-4294967295-18446744073709551615",
        MariaDbGtidSet.parse("4294967295-4294967295-18446744073709551615").toString());
  }

  @Test
  void parse_null_throwsNamingTheText() {
    var e = assertThrows(NullPointerException.class, () -> MariaDbGtidSet.parse(null));
    assertEquals("GTID position text is null", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "garbage | 0 | expected a domain id",
      "0-1 | 3 | expected '-'",
      "0-1- | 4 | expected a sequence number",
      "0-1-5, | 6 | expected a domain id",
      "0-1-5;1-1-1 | 5 | expected ',' or the end",
      "4294967296-1-1 | 0 | domain id is larger than 4294967295",
      "0-4294967296-1 | 2 | server id is larger than 4294967295",
      "0-1-18446744073709551616 | 4 | sequence number is larger than 18446744073709551615",
      "0-1-99999999999999999999999 | 4 | sequence number is larger",
      "0-1-5,0-2-6 | 6 | domain 0 appears twice (also at offset 0)",
      "-0-1-5 | 0 | expected a domain id",
      "0 - 1 - 5 | 1 | expected '-'",
      "0-1-5 , | 7 | expected a domain id, found the end of the text",
      "0-1-5 x | 6 | expected ',' or the end of the position, found 'x'",
  })
  void parse_malformed_throwsWithOffset(String input, int offset, String fragment) {
    var e = assertThrows(GtidParseException.class, () -> MariaDbGtidSet.parse(input));
    assertThat(e.getMessage()).contains(fragment).contains("offset " + offset)
        .contains("MariaDB GTID position");
    assertEquals(offset, e.offset());
  }

  @Test
  void parse_tooLong_rejected() {
    var e = assertThrows(GtidParseException.class, () -> MariaDbGtidSet.parse("0-1-1", 4));
    assertThat(e.getMessage()).contains("more than the limit of 4");
  }

  @Test
  void parse_manyDomains_growsAndSorts() {
    StringBuilder sb = new StringBuilder();
    for (int d = 30; d >= 0; d--) {
      sb.append(d).append("-1-").append(d + 1).append(d > 0 ? "," : "");
    }
    MariaDbGtidSet s = MariaDbGtidSet.parse(sb);
    assertThat(s.toString()).startsWith("0-1-1,1-1-2,2-1-3");
    assertEquals(31, s.entries().size());
  }

  /** Rows: container, contained, expected. Server ids never matter; sequence per domain does. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      " | | true",
      "0-1-5 | | true",
      " | 0-1-1 | false",
      "0-1-5 | 0-1-5 | true",
      "0-1-5 | 0-1-4 | true",
      "0-1-5 | 0-2-5 | true",
      "0-1-5 | 0-1-6 | false",
      "0-1-5 | 1-1-1 | false",
      "0-1-5,1-1-1 | 1-1-1 | true",
      "0-1-5,1-1-1 | 0-1-5,1-1-2 | false",
      "0-1-18446744073709551615 | 0-1-9223372036854775808 | true",
      "0-1-9223372036854775808 | 0-1-18446744073709551615 | false",
      " | 0-1-0 | true",
  })
  void contains_matrix(String container, String contained, boolean expected) {
    assertEquals(expected, pos(container).contains(pos(contained)));
  }

  @Test
  void algebra_examples() {
    assertEquals(pos("0-2-9,1-1-3,2-1-1"), pos("0-1-5,1-1-3").union(pos("0-2-9,2-1-1")));
    assertEquals(pos("0-1-5"), pos("0-1-5,1-1-3").subtract(pos("0-1-4,1-1-3")));
    assertEquals(pos(""), pos("0-1-5").subtract(pos("0-2-7")));
    assertEquals(pos("0-1-4"), pos("0-1-5,1-1-3").intersect(pos("0-1-4,2-1-3")));
    assertEquals(8, pos("0-1-5,1-1-3").count());
    assertEquals(3, pos("0-1-5,1-1-3").countNotIn(pos("0-1-3,1-1-2")));
    assertEquals(5, pos("0-1-5").countNotIn(pos("")));
    assertEquals(5L, pos("0-1-5").sequence(0));
    assertEquals(0L, pos("0-1-5").sequence(7));
  }

  @Test
  void union_ofContained_returnsSameInstance() {
    MariaDbGtidSet p = pos("0-1-5,1-1-3");
    assertThat(p.union(pos("0-1-2"))).isSameAs(p);
  }

  @Test
  void count_unsignedSequence_saturates() {
    assertEquals(Long.MAX_VALUE, pos("0-1-18446744073709551615").count());
    assertEquals(Long.MAX_VALUE, pos("0-1-18446744073709551615").countNotIn(pos("")));
  }

  @Test
  void of_validatesIds() {
    assertEquals("3-4-5", MariaDbGtidSet.of(3, 4, 5).toString());
    assertThat(assertThrows(IllegalArgumentException.class, () -> MariaDbGtidSet.of(-1, 1, 1))
        .getMessage()).contains("domain id must be between 0 and 4294967295, was -1");
  }

  @Test
  void mixingFlavors_throws() {
    assertThrows(IllegalArgumentException.class, () -> pos("0-1-1").union(MysqlGtidSet.empty()));
  }

  @Test
  void gtidSetFacade_dispatchesByFlavor() {
    assertThat(GtidSet.parse(Flavor.MARIADB, "0-1-1")).isInstanceOf(MariaDbGtidSet.class);
    assertThat(GtidSet.empty(Flavor.MYSQL)).isInstanceOf(MysqlGtidSet.class);
    assertEquals(Flavor.MARIADB, GtidSet.empty(Flavor.MARIADB).flavor());
  }

  static MariaDbGtidSet pos(String s) {
    return MariaDbGtidSet.parse(s == null ? "" : s);
  }
}
