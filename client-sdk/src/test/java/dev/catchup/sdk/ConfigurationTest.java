package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

  @Test
  void readOptions_negativeMaxWait_throwsNamingTheRule() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ReadOptions.DEFAULTS.withMaxWait(Duration.ofSeconds(-1)));
    assertThat(e.getMessage()).isEqualTo("maxWait must be between PT0S and PT1H, was PT-1S");
  }

  @Test
  void readOptions_tooLongMaxWait_throws() {
    assertThrows(IllegalArgumentException.class, () -> ReadOptions.DEFAULTS.withMaxWait(Duration.ofHours(2)));
  }

  @Test
  void builder_missingFlavor_saysWhatToCall() {
    var e = assertThrows(IllegalStateException.class, () -> CatchupDataSource.builder()
        .primary("jdbc:mysql://127.0.0.1:1/x").replica("r1", "jdbc:mysql://127.0.0.1:2/x")
        .credentials("u", "p").build());
    assertThat(e.getMessage()).contains("flavor(Flavor.MYSQL)");
  }

  @Test
  void builder_noReplica_throws() {
    var e = assertThrows(IllegalStateException.class, () -> CatchupDataSource.builder()
        .flavor(Flavor.MYSQL).primary("jdbc:mysql://127.0.0.1:1/x").credentials("u", "p").build());
    assertThat(e.getMessage()).contains("at least one replica");
  }

  @Test
  void builder_badUrl_namesTheSetting() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().replica("r1", "jdbc:postgresql://x/y"));
    assertThat(e.getMessage()).isEqualTo("replica r1 must be a jdbc:mysql: URL (Connector/J), was "
        + "'jdbc:postgresql://x/y'");
  }

  @Test
  void builder_passwordInUrl_rejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().primary("jdbc:mysql://h/db?user=a&password=secret"));
    assertThat(e.getMessage()).doesNotContain("secret").contains("use credentials()");
  }

  @Test
  void builder_duplicateReplicaName_throws() {
    var b = CatchupDataSource.builder().replica("r1", "jdbc:mysql://h:1/db");
    assertThrows(IllegalArgumentException.class, () -> b.replica("r1", "jdbc:mysql://h:2/db"));
  }

  @Test
  void builder_poolSizeZero_throws() {
    var e = assertThrows(IllegalArgumentException.class, () -> CatchupDataSource.builder().poolSize(0));
    assertThat(e.getMessage()).isEqualTo("poolSize must be between 1 and 10000, was 0");
  }

  @Test
  void builder_tinyConnectTimeout_throws() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().replicaConnectTimeout(Duration.ofMillis(10)));
    assertThat(e.getMessage()).contains("replicaConnectTimeout must be between PT0.25S and PT10M");
  }
}
