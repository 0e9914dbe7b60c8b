package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsistencyTokenTest {
  static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  static final String B = "4a5b6c7d-0000-11e1-8000-000000000001";

  @Test
  void of_keepsOneHighWaterMarkPerSource() {
    ConsistencyToken t = ConsistencyToken.of(MysqlGtidSet.parse(A + ":5:9:t:3," + B + ":7"));
    assertEquals("mysql/" + A + ":1-9:t:1-3," + B + ":1-7", t.encode());
    assertEquals(3, t.sources());
  }

  @Test
  void merge_manyWrites_staysOneEntryPerSource() {
    ConsistencyToken t = ConsistencyToken.empty(Flavor.MYSQL);
    for (int i = 1; i <= 10_000; i += 3) {
      t = t.merge(MysqlGtidSet.parse(A + ":" + i));
    }
    assertEquals("mysql/" + A + ":1-10000", t.encode());
  }

  @Test
  void merge_isUnion_andContainsBothSides() {
    ConsistencyToken x = ConsistencyToken.of(MysqlGtidSet.parse(A + ":1-5"));
    ConsistencyToken y = ConsistencyToken.of(MysqlGtidSet.parse(B + ":1-2"));
    ConsistencyToken m = x.merge(y);
    assertThat(m.gtids().contains(x.gtids())).isTrue();
    assertThat(m.gtids().contains(y.gtids())).isTrue();
    assertEquals(m, y.merge(x));
    assertThat(x.merge(ConsistencyToken.empty(Flavor.MYSQL))).isSameAs(x);
  }

  @Test
  void encodeDecode_roundTrips_bothFlavors() {
    ConsistencyToken my = ConsistencyToken.of(MysqlGtidSet.parse(A + ":1-5," + B + ":3"));
    ConsistencyToken ma = ConsistencyToken.of(MariaDbGtidSet.parse("0-1-100,2-5-7"));
    assertEquals(my, ConsistencyToken.decode(my.encode()));
    assertEquals(ma, ConsistencyToken.decode(ma.encode()));
    assertEquals("mariadb/0-1-100,2-5-7", ma.encode());
    assertThat(my.encode()).doesNotContain("\n");
    assertThat(ConsistencyToken.decode("mysql/").isEmpty()).isTrue();
    assertEquals(Flavor.MARIADB, ConsistencyToken.decode("  MariaDB/0-1-1 ").flavor());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "postgres/1", "mysql", "mysql/not-a-gtid",
      "mariadb/0-1", "mysql/" + A + ":5-3", "mysql/" + A + ":1\r\nX-Evil: 1"})
  void decode_malformed_throwsClearError(String text) {
    var e = assertThrows(IllegalArgumentException.class, () -> ConsistencyToken.decode(text));
    assertThat(e.getMessage()).containsAnyOf("consistency token must start with", "invalid consistency token");
    assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n");
  }

  @Test
  void decode_oversized_rejectedBeforeParsing() {
    String huge = "mysql/" + (A + ":1,").repeat(200);
    var e = assertThrows(IllegalArgumentException.class, () -> ConsistencyToken.decode(huge));
    assertThat(e.getMessage()).contains("more than the limit of " + ConsistencyToken.MAX_ENCODED_LENGTH);
  }

  @Test
  void decode_null_throws() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> ConsistencyToken.decode(null))
        .getMessage()).contains("missing");
  }
}
