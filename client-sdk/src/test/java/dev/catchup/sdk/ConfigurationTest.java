package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:mysql://app:secret@127.0.0.1:3306/shop",
      "jdbc:mysql://app:secret@db-1:3306,db-2:3306/shop",
      "jdbc:mysql://127.0.0.1:3306/shop?user=app&password=secret",
      "jdbc:mysql://127.0.0.1:3306/shop?user=app&PASSWORD=secret",
      "jdbc:mysql://127.0.0.1:3306/shop?user=app&password1=secret",
      "jdbc:mysql://127.0.0.1:3306/shop?user=app&%70assword=secret",
      "jdbc:mysql://(host=127.0.0.1,port=3306,user=app,password=secret)/shop",
      "jdbc:mysql://( host=127.0.0.1, password = secret )/shop",
      "jdbc:mysql://address=(host=127.0.0.1)(port=3306)(password=secret)/shop",
      "jdbc:mysql:replication://app:secret@h1,h2/shop"})
  void builder_credentialsInUrl_refusedWithoutEchoingThem(String url) {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().replica("r1", url));
    assertThat(e.getMessage()).startsWith("replica r1 URL must not carry a password")
        .contains("use credentials()").doesNotContain("secret");
  }

  @Test
  void builder_keyStorePasswordInUrl_refusedNamingTheProperty() {
    var e = assertThrows(IllegalArgumentException.class, () -> CatchupDataSource.builder()
        .primary("jdbc:mysql://h/db?sslMode=VERIFY_CA&trustCertificateKeyStorePassword=secret"));
    assertThat(e.getMessage()).isEqualTo("primary URL must not carry a password "
        + "(trustCertificateKeyStorePassword): URLs are logged; set it with "
        + "configurePools(c -> c.addDataSourceProperty(\"trustCertificateKeyStorePassword\", ...))");
  }

  @Test
  void builder_wrongSchemeWithCredentials_masksThemInTheMessage() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().primary("jdbc:mariadb://app:secret@h/db?password=secret2"));
    assertThat(e.getMessage()).isEqualTo("primary must be a jdbc:mysql: URL (Connector/J), was "
        + "'jdbc:mariadb://****@h/db?password=****'");
  }

  @Test
  void builder_malformedUrl_refusedWithoutEchoingIt() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().primary("jdbc:mysql://app:secret@h:abc/db"));
    assertThat(e.getMessage())
        .isEqualTo("primary is not a valid Connector/J URL (jdbc:mysql://****@h:abc/db)");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:mysql://127.0.0.1:3306/shop",
      "jdbc:mysql://[::1]:3306/passwords?sslMode=REQUIRED&useSSL=true",
      "jdbc:mysql://db-1:3306,db-2:3306/shop?user=app",
      "jdbc:mysql://(host=127.0.0.1,port=3306,user=app)/shop"})
  void builder_urlWithoutSecrets_accepted(String url) {
    CatchupDataSource.builder().primary(url).replica("r1", url);
  }

  @Test
  void builder_monitorUrlWithCredentials_refusedWithoutEchoingThem() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().monitor("http://ops:secret@monitor:9760"));
    assertThat(e.getMessage()).isEqualTo("monitor URL must not carry credentials "
        + "(user:password@host); use monitorToken()");
  }

  @Test
  void serverSettings_toString_masksThePassword() {
    ServerSettings s = ServerSettings.NONE.withFlavor(Flavor.MYSQL)
        .withPrimary("jdbc:mysql://h:1/db").withCredentials("app", "secret");
    assertThat(s.toString()).doesNotContain("secret").contains("password=****");
    assertThat(s.withCredentials("app", "").maskedPassword()).isEqualTo("(none)");
  }

  @Test
  void monitorSettings_toString_masksTheToken() {
    MonitorSettings m = MonitorSettings.NONE.withMonitor("http://monitor:9760").withToken("secret");
    assertThat(m.toString()).isEqualTo("[http://monitor:9760] (token ****)");
    assertThat(MonitorSettings.NONE.toString()).isEqualTo("none");
  }

  @Test
  void builder_negativeFallbackCap_throwsNamingTheRule() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().maxPrimaryFallbacksPerSecond(-1));
    assertThat(e.getMessage()).isEqualTo("maxPrimaryFallbacksPerSecond must be between 0 (no cap) "
        + "and 1000000, was -1.0");
  }

  @Test
  void builder_tinyMonitorStaleness_throwsNamingTheSetting() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().monitorMaxStaleness(Duration.ofMillis(1)));
    assertThat(e.getMessage())
        .isEqualTo("monitorMaxStaleness must be between PT0.25S and PT10M, was PT0.001S");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.099S", "PT1H0.001S", "PT-1S"})
  void builder_topologyCheckIntervalOutOfRange_throwsNamingTheSettingValueAndRule(String value) {
    Duration d = Duration.parse(value);
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().topologyCheckInterval(d));
    assertThat(e.getMessage())
        .isEqualTo("topologyCheckInterval must be between PT0.1S and PT1H, was " + d);
  }

  @Test
  void builder_namedPrimary_sharingAReplicasName_throws() {
    var b = CatchupDataSource.builder().replica("db1", "jdbc:mysql://h:2/db");
    var e = assertThrows(IllegalArgumentException.class,
        () -> b.primary("db1", "jdbc:mysql://h:1/db"));
    assertThat(e.getMessage()).startsWith("server name 'db1' is used twice: by the primary");
    var later = CatchupDataSource.builder().primary("db1", "jdbc:mysql://h:1/db");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> later.replica("db1", "jdbc:mysql://h:2/db")).getMessage())
        .isEqualTo("server name 'db1' is used twice");
  }

  @Test
  void builder_replicaNamedPrimary_thenAnUnnamedPrimary_throwsSayingWhatToCall() {
    var b = CatchupDataSource.builder().replica("primary", "jdbc:mysql://h:2/db");
    var e = assertThrows(IllegalArgumentException.class, () -> b.primary("jdbc:mysql://h:1/db"));
    assertThat(e.getMessage()).contains("'primary' is used twice")
        .contains("primary(name, url)");
  }

  @Test
  void builder_badPrimaryName_throwsNamingTheRule() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> CatchupDataSource.builder().primary("db 1", "jdbc:mysql://h:1/db"));
    assertThat(e.getMessage()).isEqualTo("primary name must match [A-Za-z0-9_.-]{1,64}, was 'db 1'");
  }
}
