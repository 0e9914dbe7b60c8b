package dev.catchup.bench.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategiesOptionsTest {
  private static StrategiesOptions parse(String... args) {
    return StrategiesOptions.parse(args);
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
  }

  @Test
  void parse_noArguments_defaults() {
    StrategiesOptions o = parse();

    assertThat(o.replicas()).isEqualTo(1);
    assertThat(o.threads()).isEqualTo(4);
    assertThat(o.delays()).containsExactly(0, 1);
    assertThat(o.slice()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.sticky()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.maxWait()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.strategies()).isEmpty();
  }

  @Test
  void parse_delaysAndStrategies_kept() {
    StrategiesOptions o = parse("--delays", "1,3,0", "--strategies", "naive-split, catchup-wait");

    assertThat(o.delays()).containsExactly(1, 3, 0);
    assertThat(o.strategies()).containsExactly("naive-split", "catchup-wait");
  }

  @Test
  void parse_delayTwice_throws() {
    assertThat(error("--delays", "1,1")).isEqualTo("--delays lists 1 twice");
  }

  @Test
  void parse_delayOutOfRange_throws() {
    assertThat(error("--delays", "0,31")).isEqualTo("--delays must be between 0 and 30, was 31");
  }

  @Test
  void parse_unknownStrategy_namesTheKnownOnes() {
    assertThat(error("--strategies", "proxysql")).startsWith(
        "--strategies: unknown strategy 'proxysql'; known: naive-split, primary-only,");
  }

  @Test
  void parse_sliceUnder250Millis_throws() {
    assertThat(error("--seconds", "1", "--rounds", "5")).isEqualTo(
        "--seconds / --rounds must leave at least 250 ms per slice, was 1 s / 5");
  }

  @Test
  void parse_tooManyThreads_throws() {
    assertThat(error("--threads", "41")).isEqualTo("--threads must be between 1 and 40, was 41");
  }

  @Test
  void ids_everyStrategyOnce() {
    assertThat(StrategiesBenchmark.IDS).doesNotHaveDuplicates().hasSize(12)
        .startsWith(StrategyResult.NAIVE, StrategyResult.PRIMARY_ONLY);
    assertThat(List.copyOf(StrategiesBenchmark.IDS)).allMatch(id -> id.matches("[a-z-]+"));
  }
}
