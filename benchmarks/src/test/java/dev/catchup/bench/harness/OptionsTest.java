package dev.catchup.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.bench.harness.Options.Option;
import dev.catchup.gtid.Flavor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
  private static final List<Option> OWN = List.of(
      Option.integer("--threads", "N", "threads", 4, 1, 40, "client threads"),
      Option.derived("rows"),
      Option.integers("--delays", "D,...", "delaysSeconds", "0,1", 0, 30, "delays"));

  private static Options parse(String... args) {
    return Options.parse(args, OWN, OptionsTest.class);
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
  }

  @Test
  void integer_outOfRange_namesFlagRuleAndValue() {
    assertThat(error("--threads", "0")).isEqualTo("--threads must be between 1 and 40, was 0");
  }

  @Test
  void integer_notANumber_namesFlagRuleAndValue() {
    assertThat(error("--threads", "four"))
        .isEqualTo("--threads must be an integer between 1 and 40, was 'four'");
  }

  @Test
  void integers_twice_throws() {
    assertThat(error("--delays", "1,1")).isEqualTo("--delays lists 1 twice");
  }

  @Test
  void parse_unknownFlag_throws() {
    assertThat(error("--thread", "4")).isEqualTo("unknown option '--thread'; see --help");
  }

  @Test
  void parse_flagTwice_throws() {
    assertThat(error("--threads", "4", "--threads", "5")).isEqualTo("--threads given twice");
  }

  @Test
  void parse_missingValue_throws() {
    assertThat(error("--threads")).isEqualTo("--threads needs a value; see --help");
  }

  @Test
  void parse_help_isNotAnError() {
    assertThrows(Options.HelpRequested.class, () -> parse("--help"));
  }

  @Test
  void flavors_defaultBoth_inOrder() {
    assertThat(parse().flavors()).containsExactly(Flavor.MYSQL, Flavor.MARIADB);
  }

  @Test
  void flavors_unknown_throws() {
    assertThat(error("--flavor", "postgres"))
        .isEqualTo("--flavor must be mysql, mariadb or both, was 'postgres'");
  }

  @Test
  void parameters_inTableOrder_derivedFilledIn() {
    Options o = parse("--flavor", "mysql", "--delays", "3,0", "--revision", "abc");

    assertThat(o.parameters(Map.of("rows", 8))).containsExactly(
        Map.entry("flavors", List.of("mysql")), Map.entry("threads", 4), Map.entry("rows", 8),
        Map.entry("delaysSeconds", List.of(3, 0)));
    assertThat(o.revision()).isEqualTo("abc");
    assertThat(o.invokedAs()).startsWith("java " + OptionsTest.class.getName() + " --flavor mysql");
  }

  @Test
  void usage_listsEveryFlagWithRangeAndDefault() {
    assertThat(Options.usage("scripts/x.sh", OWN)).startsWith("usage: scripts/x.sh [options]\n")
        .contains("--threads N", "client threads, 1-40 (default 4)",
            "delays, each 0-30 (default 0,1)", "--out DIR", "--help");
  }
}
