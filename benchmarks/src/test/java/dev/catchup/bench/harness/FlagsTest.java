package dev.catchup.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.testkit.ServerFlavor;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final List<String> KNOWN = List.of("--flavor", "--threads");

  @Test
  void integer_outOfRange_namesFlagRuleAndValue() {
    Flags f = Flags.parse(new String[] {"--threads", "0"}, KNOWN);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.integer("--threads", 4, 1, 40));
    assertThat(e).hasMessage("--threads must be between 1 and 40, was 0");
  }

  @Test
  void integer_notANumber_namesFlagRuleAndValue() {
    Flags f = Flags.parse(new String[] {"--threads", "four"}, KNOWN);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.integer("--threads", 4, 1, 40));
    assertThat(e).hasMessage("--threads must be an integer between 1 and 40, was 'four'");
  }

  @Test
  void parse_unknownFlag_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Flags.parse(new String[] {"--thread", "4"}, KNOWN));
    assertThat(e).hasMessage("unknown option '--thread'; see --help");
  }

  @Test
  void parse_flagTwice_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Flags.parse(new String[] {"--threads", "4", "--threads", "5"}, KNOWN));
    assertThat(e).hasMessage("--threads given twice");
  }

  @Test
  void parse_missingValue_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Flags.parse(new String[] {"--threads"}, KNOWN));
    assertThat(e).hasMessage("--threads needs a value; see --help");
  }

  @Test
  void parse_help_isNotAnError() {
    assertThrows(Flags.HelpRequested.class, () -> Flags.parse(new String[] {"--help"}, KNOWN));
  }

  @Test
  void flavors_defaultBoth_inOrder() {
    assertThat(Flags.parse(new String[0], KNOWN).flavors())
        .containsExactly(ServerFlavor.MYSQL, ServerFlavor.MARIADB);
  }

  @Test
  void flavors_unknown_throws() {
    Flags f = Flags.parse(new String[] {"--flavor", "postgres"}, KNOWN);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, f::flavors);
    assertThat(e).hasMessage("--flavor must be mysql, mariadb or both, was 'postgres'");
  }
}
