package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryTest {
  private static final Set<String> ALLOWED = Set.of("gtid", "replica");

  private static ApiError error(String raw) {
    return assertThrows(ApiError.class, () -> Query.parse(raw, ALLOWED, "/has", 100));
  }

  @Test
  void parse_percentEncodedSet_isDecoded() {
    Query q = Query.parse("gtid=3e11fa47-71ca-11e1-9e33-c80aa9429562%3A1-5%2C%0Aab%3A1&replica=r1",
        ALLOWED, "/has", 1000);

    assertThat(q.get("gtid")).isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\nab:1");
    assertThat(q.get("replica")).isEqualTo("r1");
  }

  @Test
  void parse_absentAndEmpty() {
    assertThat(Query.parse(null, ALLOWED, "/has", 10).get("gtid")).isNull();
    assertThat(Query.parse("gtid", ALLOWED, "/has", 10).get("gtid")).isEmpty();
    assertThat(Query.parse("gtid=&&", ALLOWED, "/has", 10).get("replica")).isNull();
  }

  @Test
  void parse_duplicate_throws400() {
    ApiError e = error("gtid=a&gtid=b");

    assertThat(e.status).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("duplicate query parameter 'gtid'");
  }

  @Test
  void parse_unknown_throws400NamingAllowed() {
    assertThat(error("gtid=a&timeout=1").getMessage())
        .isEqualTo("unknown query parameter 'timeout' for /has; allowed: gtid, replica");
  }

  @Test
  void parse_unknownLongName_isQuotedShortWithControlCharactersEscaped() {
    String name = "x%0A".repeat(40);

    ApiError e = assertThrows(ApiError.class, () -> Query.parse(name + "=1", ALLOWED, "/has", 1000));

    assertThat(e.getMessage()).startsWith("unknown query parameter '" + "x\\u000a".repeat(32) + "...' for /has");
  }

  @Test
  void parse_malformedPercent_throws400() {
    assertThat(error("gtid=%zz").getMessage()).isEqualTo("malformed percent-encoding in query parameter '%zz'");
    assertThat(error("gtid=abc%2").getMessage()).isEqualTo("malformed percent-encoding in query parameter 'abc%2'");
  }

  @Test
  void parse_tooLong_throws400BeforeDecoding() {
    assertThat(error("gtid=" + "%".repeat(200)).getMessage()).isEqualTo("query string is longer than 100 characters");
  }
}
