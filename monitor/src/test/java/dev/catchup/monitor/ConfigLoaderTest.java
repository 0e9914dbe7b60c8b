package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.http.HttpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private Path yaml(String text) throws IOException {
    Path p = dir.resolve("monitor.yaml");
    Files.writeString(p, text);
    return p;
  }

  private static final String VALID = """
      flavor: mysql
      user: monitor
      password: s3cret
      primary: {name: db1, host: 10.0.0.1, port: 3306}
      replicas:
        - {name: db2, host: 10.0.0.2, port: 3306}
        - {name: db3, host: 10.0.0.3, port: 3307}
      staleAfter: 2s
      reconcileInterval: 250ms
      http: {bind: 0.0.0.0, port: 9000, defaultMaxLag: 1.5s, token: file-secret}
      """;

  @Test
  void load_validFile_readsEverySetting() throws IOException {
    MonitorConfig c = ConfigLoader.load(yaml(VALID), Map.of(), Map.of());
    assertEquals(Flavor.MYSQL, c.flavor());
    assertEquals("db1", c.primary().name());
    assertEquals(2, c.replicas().size());
    assertEquals(3307, c.replicas().get(1).port());
    assertEquals(Duration.ofSeconds(2), c.staleAfter());
    assertEquals(Duration.ofMillis(250), c.tracker().reconcileInterval());
    assertEquals(9000, c.http().port());
    assertEquals(Duration.ofMillis(1500), c.http().defaultMaxLag());
  }

  @Test
  void fanOutLimits_fromFileAndEnvironment_withDefaults() throws IOException {
    MonitorConfig defaults = ConfigLoader.load(yaml(VALID), Map.of(), Map.of());
    MonitorConfig file = ConfigLoader.load(yaml(VALID.replace("token: file-secret}",
        "token: file-secret, maxSubscribers: 1500, maxWaits: 16}")), Map.of(), Map.of());
    MonitorConfig env = ConfigLoader.load(yaml(VALID), Map.of("CATCHUP_MONITOR_HTTP_MAX_SUBSCRIBERS",
        "2000", "CATCHUP_MONITOR_HTTP_MAX_WAITS", "32"), Map.of());

    assertThat(defaults.http().maxSubscribers()).isEqualTo(1024);
    assertThat(defaults.http().maxWaits()).isEqualTo(64);
    assertThat(file.http().maxSubscribers()).isEqualTo(1500);
    assertThat(file.http().maxWaits()).isEqualTo(16);
    assertThat(env.http().maxSubscribers()).isEqualTo(2000);
    assertThat(env.http().maxWaits()).isEqualTo(32);
  }

  @Test
  void fanOutLimits_smallMaxConnections_defaultSubscribersStayWithinIt() throws IOException {
    MonitorConfig c = ConfigLoader.load(yaml(VALID), Map.of("CATCHUP_MONITOR_HTTP_MAX_CONNECTIONS",
        "100", "CATCHUP_MONITOR_HTTP_MAX_CONNECTIONS_PER_CLIENT", "50"), Map.of());

    assertThat(c.http().maxSubscribers()).isEqualTo(100)
        .isEqualTo(HttpSettings.defaultMaxSubscribers(100));
  }

  @Test
  void fanOutLimits_bad_namesSettingValueAndRule() throws IOException {
    var notNumber = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml(VALID),
        Map.of("CATCHUP_MONITOR_HTTP_MAX_SUBSCRIBERS", "lots"), Map.of()));
    var overConnections = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml(VALID),
        Map.of("CATCHUP_MONITOR_HTTP_MAX_SUBSCRIBERS", "3000"), Map.of()));

    assertThat(notNumber.getMessage()).isEqualTo("http.maxSubscribers must be a whole number, was 'lots'");
    assertThat(overConnections.getMessage()).isEqualTo("http.maxSubscribers must be between 1 and "
        + "http.maxConnections (2048): every subscriber holds a connection; was 3000");
  }

  @Test
  void toString_masksPasswordAndToken() throws IOException {
    MonitorConfig c = ConfigLoader.load(yaml(VALID), Map.of("CATCHUP_MONITOR_HTTP_TOKEN", "t0ken"),
        Map.of());
    assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("t0ken").contains("****");
  }

  @Test
  void envAndFlags_override_inThatOrder() throws IOException {
    MonitorConfig c = ConfigLoader.load(yaml(VALID),
        Map.of("CATCHUP_MONITOR_HTTP_PORT", "9100", "CATCHUP_MONITOR_PASSWORD", "fromenv"),
        Map.of("http-port", "9200"));
    assertEquals(9200, c.http().port());
    assertEquals("fromenv", c.password());
  }

  @Test
  void unknownSetting_isAnError_namingKnownOnes() throws IOException {
    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(yaml(VALID + "replicaz: []\n"), Map.of(), Map.of()));
    assertThat(e.getMessage()).contains("unknown setting 'replicaz'").contains("replicas");
  }

  @Test
  void badPort_namesTheServer() throws IOException {
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(VALID.replace("port: 3307", "port: 70000")), Map.of(), Map.of()));
    assertThat(e.getMessage()).isEqualTo("port of db3 must be between 1 and 65535, was 70000");
  }

  @Test
  void badDuration_saysTheAcceptedForms() throws IOException {
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(VALID.replace("staleAfter: 2s", "staleAfter: soon")), Map.of(), Map.of()));
    assertThat(e.getMessage()).isEqualTo("staleAfter must be a duration like 500ms, 3s, 2m or PT3S, was 'soon'");
  }

  @Test
  void staleAfterShorterThanTwoReconciles_rejected() throws IOException {
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(VALID.replace("staleAfter: 2s", "staleAfter: 400ms")), Map.of(), Map.of()));
    assertThat(e.getMessage()).contains("at least twice reconcileInterval");
  }

  @Test
  void missingFlavor_andBadFlavor() throws IOException {
    assertThat(assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(VALID.replace("flavor: mysql\n", "")), Map.of(), Map.of())).getMessage())
        .isEqualTo("flavor is required: mysql or mariadb");
    assertThat(assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(VALID.replace("flavor: mysql", "flavor: postgres")), Map.of(), Map.of())).getMessage())
        .isEqualTo("flavor must be mysql or mariadb, was 'postgres'");
  }

  @Test
  void noReplicas_rejected() throws IOException {
    String noReplicas = VALID.substring(0, VALID.indexOf("replicas:"))
        + VALID.substring(VALID.indexOf("staleAfter"));
    assertThat(assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml(noReplicas), Map.of(),
        Map.of())).getMessage()).isEqualTo("replicas must list at least one replica");
  }

  @Test
  void duplicateNames_rejected() throws IOException {
    assertThat(assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(VALID.replace("name: db3", "name: db2")), Map.of(), Map.of())).getMessage())
        .isEqualTo("server name 'db2' is used twice");
  }

  @Test
  void passwordFile_isRead_andBothForms_rejected() throws IOException {
    Path secret = dir.resolve("pw");
    Files.writeString(secret, "fromfile\n");
    String withFile = VALID.replace("password: s3cret", "passwordFile: " + secret);
    assertEquals("fromfile", ConfigLoader.load(yaml(withFile), Map.of(), Map.of()).password());
    String both = VALID.replace("password: s3cret", "password: x\npasswordFile: " + secret);
    assertThat(assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml(both), Map.of(),
        Map.of())).getMessage()).isEqualTo("set either password or passwordFile, not both");
  }

  @Test
  void missingFile_saysWhich() {
    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of(), Map.of()));
    assertThat(e.getMessage()).startsWith("cannot read config file").contains("nope.yaml");
  }

  @Test
  void durations_acceptSimpleAndIsoForms() {
    assertEquals(Duration.ofMillis(500), ConfigLoader.duration("x", "500ms", null));
    assertEquals(Duration.ofMillis(1500), ConfigLoader.duration("x", "1.5s", null));
    assertEquals(Duration.ofMinutes(2), ConfigLoader.duration("x", "2m", null));
    assertEquals(Duration.ofSeconds(3), ConfigLoader.duration("x", "PT3S", null));
  }

  private static final String SERVERS = """
      flavor: mysql
      user: monitor
      primary: {name: db1, host: 10.0.0.1, port: 3306}
      replicas: [{name: db2, host: 10.0.0.2, port: 3306}]
      """;

  @Test
  void httpBind_nonLoopbackWithoutToken_isRefusedNamingTheSettings() throws IOException {
    for (String bind : new String[] {"0.0.0.0", "::", "10.1.2.3"}) {
      var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
          yaml(SERVERS + "http: {bind: '" + bind + "'}\n"), Map.of(), Map.of()));

      assertThat(e.getMessage()).isEqualTo("http.bind '" + bind + "' is not a loopback address and "
          + "http.token is not set: anyone who can reach the port could read the API; set http.token "
          + "(or http.tokenFile, CATCHUP_MONITOR_HTTP_TOKEN), bind to 127.0.0.1, or accept it "
          + "explicitly with http.allowUnauthenticated: true");
    }
    // The same through the environment, as the container image sets it.
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml(SERVERS),
        Map.of("CATCHUP_MONITOR_HTTP_BIND", "0.0.0.0"), Map.of()));
    assertThat(e.getMessage()).startsWith("http.bind '0.0.0.0' is not a loopback address");
  }

  @Test
  void httpBind_nonLoopback_withTokenOrExplicitOptIn_isAccepted() throws IOException {
    MonitorConfig withToken = ConfigLoader.load(yaml(SERVERS + "http: {bind: 0.0.0.0, token: t0ken}\n"),
        Map.of(), Map.of());
    MonitorConfig optedIn = ConfigLoader.load(
        yaml(SERVERS + "http: {bind: 0.0.0.0, allowUnauthenticated: true}\n"), Map.of(), Map.of());
    MonitorConfig optedInByEnv = ConfigLoader.load(yaml(SERVERS), Map.of("CATCHUP_MONITOR_HTTP_BIND",
        "0.0.0.0", "CATCHUP_MONITOR_HTTP_ALLOW_UNAUTHENTICATED", "true"), Map.of());

    assertThat(withToken.http().allowUnauthenticated()).isFalse();
    assertThat(optedIn.http().allowUnauthenticated()).isTrue();
    assertThat(optedIn.http().bearerToken()).isNull();
    assertThat(optedInByEnv.http().allowUnauthenticated()).isTrue();
  }

  @Test
  void httpBind_loopbackWithoutToken_isAccepted() throws IOException {
    for (String bind : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
      assertThat(ConfigLoader.load(yaml(SERVERS + "http: {bind: '" + bind + "'}\n"), Map.of(), Map.of())
          .http().bindAddress()).isEqualTo(bind);
    }
    assertThat(ConfigLoader.load(yaml(SERVERS), Map.of(), Map.of()).http().bindAddress())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void httpAllowUnauthenticated_notABoolean_isAnError() throws IOException {
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(SERVERS + "http: {allowUnauthenticated: yes please}\n"), Map.of(), Map.of()));

    assertThat(e.getMessage()).isEqualTo("http.allowUnauthenticated must be true or false, was 'yes please'");
  }
}
