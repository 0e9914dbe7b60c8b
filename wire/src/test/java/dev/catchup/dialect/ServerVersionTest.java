package dev.catchup.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Version strings as servers report them (distribution suffixes included), and which of them the
 * monitor and the SDK accept: MySQL from 8.2.0 (SHOW BINARY LOG STATUS), MariaDB from 10.5.9.
 */
class ServerVersionTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "8.0.36                              | MYSQL   | 8  | 0  | 36",
      "8.0.36-0ubuntu0.22.04.1             | MYSQL   | 8  | 0  | 36",
      "8.4.3                               | MYSQL   | 8  | 4  | 3",
      "8.4.3-log                           | MYSQL   | 8  | 4  | 3",
      "9.7.0                               | MYSQL   | 9  | 7  | 0",
      "9.7.4-2                             | MYSQL   | 9  | 7  | 4",
      "10.5.29-MariaDB                     | MARIADB | 10 | 5  | 29",
      "10.11.19-MariaDB-0+deb12u1          | MARIADB | 10 | 11 | 19",
      "10.11.19-MariaDB-0+deb12u1-log      | MARIADB | 10 | 11 | 19",
      "5.5.5-10.11.6-MariaDB               | MARIADB | 10 | 11 | 6",
      "11.8.3-MariaDB-1                    | MARIADB | 11 | 8  | 3",
      "11.8.9-MariaDB-4 from Debian-log    | MARIADB | 11 | 8  | 9",
  })
  void parse_serverVersionStrings_readFlavorAndNumbers(String text, Flavor flavor, int major,
      int minor, int patch) {
    assertThat(ServerVersion.parse(text)).isEqualTo(ServerVersion.of(flavor, major, minor, patch));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MariaDB", "8", "8.4", "v8.4.3", "eight.four.three", " 8.4.3"})
  void parse_withoutMajorMinorPatch_throwsNamingTheText(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerVersion.parse(text));
    assertThat(e.getMessage())
        .isEqualTo("a server version must start with major.minor.patch, was '" + text + "'");
  }

  @ParameterizedTest
  @NullSource
  void parse_null_throws(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerVersion.parse(text));
    assertThat(e.getMessage()).endsWith("was null");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // Accepted: the tested releases and the ones the table's statements and grants exist on.
      "9.7.0                            | MYSQL   | true",
      "9.7.4-2                          | MYSQL   | true",
      "8.4.3                            | MYSQL   | true",
      "8.2.0                            | MYSQL   | true",
      "10.11.19-MariaDB-0+deb12u1       | MARIADB | true",
      "11.8.3-MariaDB-1                 | MARIADB | true",
      "10.6.21-MariaDB                  | MARIADB | true",
      "10.5.9-MariaDB                   | MARIADB | true",
      // Refused: MySQL 8.0 and 8.1 lack SHOW BINARY LOG STATUS; MariaDB before 10.5.9 the grants.
      "8.0.36                           | MYSQL   | false",
      "8.1.0                            | MYSQL   | false",
      "5.7.44-log                       | MYSQL   | false",
      "10.5.8-MariaDB                   | MARIADB | false",
      "10.4.34-MariaDB                  | MARIADB | false",
  })
  void refusal_byVersion_acceptsFromTheMinimumOn(String text, Flavor flavor, boolean accepted) {
    String refusal = Dialect.of(flavor).refusal(ServerVersion.parse(text));
    if (accepted) {
      assertThat(refusal).isNull();
    } else {
      assertThat(refusal).startsWith("runs " + ServerVersion.parse(text) + ", older than Catchup's "
          + "minimum " + Dialect.of(flavor).minimumVersion() + " (it needs ");
    }
  }

  @Test
  void refusal_mysql80_namesVersionMinimumAndStatement() {
    assertThat(Dialect.MYSQL.refusal(ServerVersion.parse("8.0.36")))
        .isEqualTo("runs MySQL 8.0.36, older than Catchup's minimum MySQL 8.2.0 (it needs SHOW "
            + "BINARY LOG STATUS, which replaced SHOW MASTER STATUS in 8.2.0 (8.4 LTS removed the "
            + "old name); MySQL 8.0 lacks it)");
  }

  @Test
  void refusal_mariadb105_namesVersionMinimumAndGrants() {
    assertThat(Dialect.MARIADB.refusal(ServerVersion.parse("10.5.4-MariaDB-log")))
        .startsWith("runs MariaDB 10.5.4, older than Catchup's minimum MariaDB 10.5.9 (it needs the "
            + "BINLOG MONITOR and SLAVE MONITOR privileges");
  }

  @Test
  void refusal_otherFlavor_saysWhatTheServerIs() {
    assertThat(Dialect.MYSQL.refusal(ServerVersion.parse("10.11.19-MariaDB-0+deb12u1")))
        .isEqualTo("is MariaDB 10.11.19, not MySQL as configured (flavor mysql)");
    assertThat(Dialect.MARIADB.refusal(ServerVersion.parse("9.7.0")))
        .isEqualTo("is MySQL 9.7.0, not MariaDB as configured (flavor mariadb)");
  }

  @Test
  void compareTo_ordersByNumbers_notAsText() {
    assertThat(ServerVersion.parse("10.11.0-MariaDB").olderThan(ServerVersion.parse("10.5.9-MariaDB")))
        .isFalse();
    assertThat(ServerVersion.parse("8.4.10").compareTo(ServerVersion.parse("8.4.9"))).isPositive();
    assertThat(ServerVersion.parse("9.0.0").olderThan(ServerVersion.parse("8.4.3"))).isFalse();
  }

  @Test
  void toString_namesFlavorAndNumbers_withoutSuffix() {
    assertThat(ServerVersion.parse("11.8.9-MariaDB-4 from Debian-log")).hasToString("MariaDB 11.8.9");
    assertThat(ServerVersion.parse("8.4.3-log")).hasToString("MySQL 8.4.3");
  }
}
