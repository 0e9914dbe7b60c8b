package dev.catchup.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MysqlGtidSetTest {
  static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  static final String B = "4a5b6c7d-0000-11e1-8000-000000000001";
  static final String C = "f0000000-0000-0000-0000-000000000000";

  @Test
  void parse_empty_isEmpty() {
    assertThat(MysqlGtidSet.parse("").isEmpty()).isTrue();
    assertThat(MysqlGtidSet.parse(" \n\t ").isEmpty()).isTrue();
    assertThat(MysqlGtidSet.parse("").toString()).isEmpty();
    assertThat(MysqlGtidSet.parse("").count()).isZero();
  }

  @Test
  void parse_serverOutput_roundTrips() {
    String server = A + ":1-57:mytag:1,\n" + B + ":1-3:5:7-9";
    MysqlGtidSet set = MysqlGtidSet.parse(server);
    assertEquals(server, set.toString());
    assertEquals(57 + 1 + 3 + 1 + 3, set.count());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // input | canonical
      "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:4-6:1-3:7-9 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:2-5 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:5-5 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:5",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:1:3",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:MyTag:1 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:mytag:1",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:zz:1:aa:2:4 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:aa:2:4:zz:1",
      // Intervals after a tag belong to that tag.
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:t:1:7:2 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:t:1-2:7",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:t:1,3e11fa47-71ca-11e1-9e33-c80aa9429562:2 | 3e11fa47-71ca-11e1-9e33-c80aa9429562:2:t:1",
      "  3e11fa47-71ca-11e1-9e33-c80aa9429562 : 1 - 2 : 4  | 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2:4",
  })
  void parse_variants_printCanonically(String input, String canonical) {
    assertEquals(canonical, MysqlGtidSet.parse(input).toString());
  }

  @Test
  void toString_sortsSourcesByUuid_andSeparatesWithCommaNewline() {
    MysqlGtidSet set = MysqlGtidSet.parse(C + ":1," + A + ":2," + B + ":3," + A + ":3");
    assertEquals(A + ":2-3,\n" + B + ":3,\n" + C + ":1", set.toString());
  }

  @Test
  void toString_unsignedUuidOrder_putsHighBitLast() {
    // f0... has the sign bit set as a long; the server orders by bytes, i.e. unsigned.
    MysqlGtidSet set = MysqlGtidSet.parse(C + ":1,\n" + A + ":1");
    assertThat(set.toString()).startsWith(A);
  }

  @Test
  void equals_adjacentIntervalsWrittenApart_equalMerged() {
    assertEquals(MysqlGtidSet.parse(A + ":1-3:4-6:7-9"), MysqlGtidSet.parse(A + ":1-9"));
    assertEquals(MysqlGtidSet.parse(A + ":1-3:4-6:7-9").hashCode(),
        MysqlGtidSet.parse(A + ":1-9").hashCode());
  }

  @Test
  void parse_maxGno_accepted_andOneMore_rejected() {
    assertEquals(MysqlGtidSet.MAX_GNO,
        MysqlGtidSet.parse(A + ":" + MysqlGtidSet.MAX_GNO).intervals().get(0).last());
    var e = assertThrows(GtidParseException.class,
        () -> MysqlGtidSet.parse(A + ":" + Long.MAX_VALUE));
    assertThat(e.getMessage()).contains("larger than " + MysqlGtidSet.MAX_GNO);
    assertThrows(GtidParseException.class, () -> MysqlGtidSet.parse(A + ":99999999999999999999"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // input | offset | message fragment
      "garbage | 0 | expected a UUID",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562 | 36 | expected ':' after the UUID",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562: | 37 | expected an interval",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:5-3 | 39 | interval end 3 is less than its start 5",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:0 | 37 | must be at least 1",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-0 | 39 | must be at least 1",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:1- | 39 | expected a sequence number",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:1, | 39 | expected a UUID",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:1;x | 38 | expected ',' or the end",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:-1 | 37 | expected an interval",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:tag | 40 | expected ':' and an interval after tag 'tag'",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:a:b:1 | 39 | found another tag",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:1tag:1 | 38 | expected ',' or the end",
      "3e11fa47x71ca-11e1-9e33-c80aa9429562:1 | 8 | expected '-' in the UUID",
      "3e11fa47-71ca-11e1-9e33-c80aa942956g:1 | 35 | expected a hexadecimal digit",
      "3e11fa47-71ca-11e1-9e33c-80aa9429562:1 | 23 | expected '-' in the UUID",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:abcdefghijabcdefghijabcdefghijabc:1 | 37 | more than 32",
      ", | 0 | expected a UUID",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:3-99999999999999999999 | 39 | sequence number is larger than 9223372036854775806",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562:1 , | 40 | expected a UUID (8-4-4-4-12 hexadecimal digits), found the end of the text",
  })
  void parse_malformed_throwsWithOffset(String input, int offset, String fragment) {
    var e = assertThrows(GtidParseException.class, () -> MysqlGtidSet.parse(input));
    assertThat(e.getMessage()).contains(fragment).contains("offset " + offset);
    assertEquals(offset, e.offset());
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_null_throwsNamingTheText() {
    var e = assertThrows(NullPointerException.class, () -> MysqlGtidSet.parse(null));
    assertEquals("GTID set text is null", e.getMessage());
  }

  @Test
  void parse_tooLong_rejectedBeforeReading() {
    String text = A + ":1";
    var e = assertThrows(GtidParseException.class, () -> MysqlGtidSet.parse(text, 10));
    assertThat(e.getMessage()).contains("more than the limit of 10");
  }

  @Test
  void parse_controlCharacters_notEchoed() {
    var e = assertThrows(GtidParseException.class, () -> MysqlGtidSet.parse("\u0000\u001b[31m"));
    assertThat(e.getMessage()).doesNotContain("\u0000").doesNotContain("\u001b");
  }

  @Test
  void parse_hugeInput_messageStaysShort() {
    String junk = "x".repeat(100_000);
    var e = assertThrows(GtidParseException.class, () -> MysqlGtidSet.parse(junk));
    assertThat(e.getMessage().length()).isLessThan(200);
  }

  @Test
  void parse_null_throwsNpe() {
    assertThrows(NullPointerException.class, () -> MysqlGtidSet.parse(null));
  }

  /** Rows: container, contained, expected. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      " | | true",
      "A:1-5 | | true",
      " | A:1 | false",
      "A:1-5 | A:1-5 | true",
      "A:1-5 | A:2-3 | true",
      "A:1-5 | A:5 | true",
      "A:1-5 | A:6 | false",
      "A:1-5 | A:0-0 | ",
      "A:1-5 | A:4-6 | false",
      "A:1-3:5-7 | A:3-5 | false",
      "A:1-3:5-7 | A:3:5 | true",
      "A:1-5 | B:1 | false",
      "A:1-5,B:1 | B:1 | true",
      "A:1-5,B:1 | A:1-5,B:1-2 | false",
      "A:1-5 | A:t:1 | false",
      "A:t:1-5 | A:1 | false",
      "A:t:1-5 | A:t:2 | true",
      "A:1-5:t:1-5 | A:3:t:3 | true",
      "A:1-5:t:1-5 | A:3:u:3 | false",
      "C:1 | A:1 | false",
      "A:1,C:1 | C:1 | true",
  })
  void contains_matrix(String container, String contained, Boolean expected) {
    if (expected == null) {
      assertThrows(GtidParseException.class, () -> set(contained));
      return;
    }
    assertEquals(expected, set(container).contains(set(contained)));
  }

  @Test
  void contains_singleGtid() {
    MysqlGtidSet s = set("A:1-3:7:t:9");
    UUID a = UUID.fromString(A);
    assertThat(s.contains(a, "", 2)).isTrue();
    assertThat(s.contains(a, "", 4)).isFalse();
    assertThat(s.contains(a, "", 7)).isTrue();
    assertThat(s.contains(a, "T", 9)).isTrue();
    assertThat(s.contains(a, "", 9)).isFalse();
    assertThat(s.contains(UUID.fromString(B), "", 1)).isFalse();
  }

  @Test
  void algebra_examples() {
    assertEquals(set("A:1-9,B:1"), set("A:1-3:7-9").union(set("A:4-6,B:1")));
    assertEquals(set("A:1-2:8-9"), set("A:1-9").subtract(set("A:3-7")));
    assertEquals(set("A:1-9"), set("A:1-9").subtract(set("B:1-9")));
    assertEquals(set(""), set("A:1-9").subtract(set("A:1-9,B:1")));
    assertEquals(set("A:3-5"), set("A:1-5,B:1").intersect(set("A:3-9")));
    assertEquals(set("A:t:2"), set("A:1-5:t:1-2").intersect(set("A:t:2-9")));
    assertEquals(7, set("A:1-9").countNotIn(set("A:2-3")));
    assertEquals(0, set("A:1-9").countNotIn(set("A:1-20")));
  }

  @Test
  void union_withSubset_returnsSameInstance() {
    MysqlGtidSet big = set("A:1-10");
    assertThat(big.union(set("A:2-3"))).isSameAs(big);
    assertThat(big.subtract(set("B:1"))).isSameAs(big);
  }

  @Test
  void count_saturates() {
    MysqlGtidSet s = set("A:1-" + MysqlGtidSet.MAX_GNO + ",B:1-" + MysqlGtidSet.MAX_GNO);
    assertEquals(Long.MAX_VALUE, s.count());
  }

  @Test
  void mixingFlavors_throws() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> set("A:1").contains(MariaDbGtidSet.parse("0-1-1")));
    assertThat(e.getMessage()).contains("cannot combine a MySQL GTID set with a MARIADB");
  }

  @Test
  void builder_appendsInAnyOrder_andNormalises() {
    UUID a = UUID.fromString(A);
    MysqlGtidSet.Builder b = MysqlGtidSet.builder();
    for (long g = 1; g <= 1000; g++) {
      b.add(a, g);
    }
    b.add(a, 2000).add(a, 1500).add(a, "x", 1, 1).add(a, 1001);
    for (int i = 0; i < 100; i++) {
      b.add(a, "", 1, 500); // repeated adds must not grow without bound
    }
    assertEquals(A + ":1-1001:1500:2000:x:1", b.build().toString());
  }

  @Test
  void builder_invalidArguments_throw() {
    UUID a = UUID.fromString(A);
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> MysqlGtidSet.builder().add(a, 0)).getMessage()).contains("was 0-0");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> MysqlGtidSet.builder().add(a, "bad-tag", 1, 1)).getMessage()).contains("bad-tag");
  }

  @Test
  void intervals_listsCanonicalOrder() {
    var list = set("B:3,A:1-2:t:5").intervals();
    assertEquals(3, list.size());
    assertEquals(new MysqlGtidSet.Interval(UUID.fromString(A), "", 1, 2), list.get(0));
    assertEquals("t", list.get(1).tag());
    assertEquals(UUID.fromString(B), list.get(2).uuid());
  }

  static MysqlGtidSet set(String shorthand) {
    String s = shorthand == null ? "" : shorthand.replace("A:", A + ":").replace("B:", B + ":")
        .replace("C:", C + ":");
    return MysqlGtidSet.parse(s);
  }
}
