package dev.catchup.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.bench.failover.FailoverOptions.Kind;
import dev.catchup.bench.failover.FailoverOptions.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailoverOptionsTest {
  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> FailoverOptions.parse(args))
        .getMessage();
  }

  @Test
  void parse_noArguments_defaults() {
    FailoverOptions o = FailoverOptions.parse(new String[0]);

    assertThat(o.modes()).containsExactly(Mode.DIRECT, Mode.MONITOR);
    assertThat(o.kinds()).containsExactly(Kind.PLANNED, Kind.UNPLANNED);
    assertThat(o.rounds()).isEqualTo(3);
    assertThat(o.threads()).isEqualTo(4);
    assertThat(o.replicas()).isEqualTo(2);
    assertThat(o.checkInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.maxWait()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void parse_modesAndKinds_keptInOrder() {
    FailoverOptions o = FailoverOptions.parse(new String[] {"--modes", "monitor, direct",
        "--kinds", "unplanned"});

    assertThat(o.modes()).containsExactly(Mode.MONITOR, Mode.DIRECT);
    assertThat(o.kinds()).containsExactly(Kind.UNPLANNED);
  }

  @Test
  void parse_unknownMode_namesTheKnownOnes() {
    assertThat(error("--modes", "direct,proxy")).isEqualTo(
        "--modes must list direct or monitor, was 'direct,proxy'");
  }

  @Test
  void parse_kindTwice_throws() {
    assertThat(error("--kinds", "planned,planned")).isEqualTo("--kinds lists planned twice");
  }

  @Test
  void parse_oneReplica_throws() {
    assertThat(error("--replicas", "1")).isEqualTo("--replicas must be between 2 and 3, was 1");
  }
}
