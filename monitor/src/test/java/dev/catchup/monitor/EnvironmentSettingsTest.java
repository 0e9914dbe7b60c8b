package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.connect.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentSettingsTest {
  @TempDir
  Path dir;

  private static final Map<String, String> SERVERS = Map.of(
      "CATCHUP_MONITOR_FLAVOR", "mariadb",
      "CATCHUP_MONITOR_USER", "monitor",
      "CATCHUP_MONITOR_PRIMARY", "db1=10.0.0.1:3306",
      "CATCHUP_MONITOR_REPLICAS", "db2=10.0.0.2:3306, db3=[::1]:3307");

  private static Map<String, String> env(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(SERVERS);
    m.putAll(extra);
    return m;
  }

  private static Path resource(String name) throws Exception {
    return Path.of(EnvironmentSettingsTest.class.getClassLoader().getResource(name).toURI());
  }

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void variable_pathInUpperSnakeCase_withPrefix() {
    assertEquals("CATCHUP_MONITOR_HTTP_MAX_CONNECTIONS_PER_CLIENT",
        EnvironmentSettings.variable("http.maxConnectionsPerClient"));
    assertEquals("CATCHUP_MONITOR_TLS_TRUST_STORE_PASSWORD_FILE",
        EnvironmentSettings.variable("tls.trustStorePasswordFile"));
    assertEquals("CATCHUP_MONITOR_STALE_AFTER", EnvironmentSettings.variable("staleAfter"));
  }

  @Test
  void settings_coverEveryKeyTheFileKnows() {
    List<String> fileKeys = Stream.of(
        ConfigLoader.TOP.stream().filter(k -> !List.of("primary", "replicas", "http", "tls").contains(k)),
        ConfigLoader.HTTP.stream().map(k -> "http." + k),
        ConfigLoader.TLS.stream().map(k -> "tls." + k)).flatMap(s -> s).toList();
    assertThat(EnvironmentSettings.SETTINGS).containsExactlyInAnyOrderElementsOf(fileKeys);
  }

  @Test
  void load_environmentAlone_setsEverySetting() throws Exception {
    Path ca = resource("tls/test-ca.pem");
    MonitorConfig c = ConfigLoader.load(null, env(Map.ofEntries(
        Map.entry("CATCHUP_MONITOR_PASSWORD", "pw"),
        Map.entry("CATCHUP_MONITOR_STALE_AFTER", "4s"),
        Map.entry("CATCHUP_MONITOR_RECONCILE_INTERVAL", "300ms"),
        Map.entry("CATCHUP_MONITOR_HEARTBEAT_INTERVAL", "250ms"),
        Map.entry("CATCHUP_MONITOR_HTTP_BIND", "127.0.0.2"),
        Map.entry("CATCHUP_MONITOR_HTTP_PORT", "9100"),
        Map.entry("CATCHUP_MONITOR_HTTP_TOKEN", "tok"),
        Map.entry("CATCHUP_MONITOR_HTTP_DEFAULT_MAX_LAG", "2s"),
        Map.entry("CATCHUP_MONITOR_HTTP_MAX_WAIT", "20s"),
        Map.entry("CATCHUP_MONITOR_HTTP_HEADER_TIMEOUT", "5s"),
        Map.entry("CATCHUP_MONITOR_HTTP_IDLE_TIMEOUT", "40s"),
        Map.entry("CATCHUP_MONITOR_HTTP_MAX_CONNECTIONS", "100"),
        Map.entry("CATCHUP_MONITOR_HTTP_MAX_CONNECTIONS_PER_CLIENT", "10"),
        Map.entry("CATCHUP_MONITOR_HTTP_MAX_SUBSCRIBERS", "90"),
        Map.entry("CATCHUP_MONITOR_HTTP_MAX_WAITS", "12"),
        Map.entry("CATCHUP_MONITOR_TLS_MODE", "verify-identity"),
        Map.entry("CATCHUP_MONITOR_TLS_CA_FILE", ca.toString()),
        Map.entry("CATCHUP_MONITOR_TLS_ALLOW_PUBLIC_KEY_RETRIEVAL", "true"))), Map.of());
    assertEquals(Flavor.MARIADB, c.flavor());
    assertEquals("monitor", c.user());
    assertEquals("pw", c.password());
    assertEquals(new MonitorConfig.Server("db1", "10.0.0.1", 3306), c.primary());
    assertEquals(List.of(new MonitorConfig.Server("db2", "10.0.0.2", 3306),
        new MonitorConfig.Server("db3", "::1", 3307)), c.replicas());
    assertEquals(Duration.ofSeconds(4), c.staleAfter());
    assertEquals(Duration.ofMillis(300), c.tracker().reconcileInterval());
    assertEquals(Duration.ofMillis(250), c.tracker().heartbeatInterval());
    assertEquals("127.0.0.2", c.http().bindAddress());
    assertEquals(9100, c.http().port());
    assertEquals("tok", c.http().bearerToken());
    assertEquals(Duration.ofSeconds(2), c.http().defaultMaxLag());
    assertEquals(Duration.ofSeconds(20), c.http().maxWait());
    assertEquals(Duration.ofSeconds(5), c.http().headerTimeout());
    assertEquals(Duration.ofSeconds(40), c.http().idleTimeout());
    assertEquals(100, c.http().maxConnections());
    assertEquals(90, c.http().maxSubscribers());
    assertEquals(12, c.http().maxWaits());
    assertEquals(10, c.http().maxConnectionsPerClient());
    assertEquals(TlsSettings.Mode.VERIFY_IDENTITY, c.tls().mode());
    assertEquals(1, c.tls().trusted().size());
    assertThat(c.tls().allowPublicKeyRetrieval()).isTrue();
  }

  @Test
  void fileVariants_readTheSecretsFromFiles() throws Exception {
    Path store = resource("tls/test-ca.p12");
    MonitorConfig c = ConfigLoader.load(null, env(Map.of(
        "CATCHUP_MONITOR_PASSWORD_FILE", file("db", "db-secret\n").toString(),
        "CATCHUP_MONITOR_HTTP_TOKEN_FILE", file("token", "  tok-secret \n").toString(),
        "CATCHUP_MONITOR_TLS_TRUST_STORE", store.toString(),
        "CATCHUP_MONITOR_TLS_TRUST_STORE_PASSWORD_FILE", file("tspw", "changeit\n").toString())),
        Map.of());
    assertEquals("db-secret", c.password());
    assertEquals("tok-secret", c.http().bearerToken());
    // The store opens only with the password the file holds.
    assertEquals(1, c.tls().trusted().size());
  }

  @Test
  void secretVariable_replacesTheFilesSecretOfEitherKind() throws IOException {
    Path yaml = file("monitor.yaml", """
        passwordFile: /nonexistent/db-password
        http: {token: from-file}
        """);
    MonitorConfig c = ConfigLoader.load(yaml, env(Map.of("CATCHUP_MONITOR_PASSWORD", "from-env",
        "CATCHUP_MONITOR_HTTP_TOKEN_FILE", file("token", "from-env-file").toString())), Map.of());
    assertEquals("from-env", c.password());
    assertEquals("from-env-file", c.http().bearerToken());
  }

  @Test
  void bothVariablesOfASecret_throw() {
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, env(Map.of(
        "CATCHUP_MONITOR_HTTP_TOKEN", "a", "CATCHUP_MONITOR_HTTP_TOKEN_FILE", "/run/secrets/t")),
        Map.of()));
    assertEquals("set either CATCHUP_MONITOR_HTTP_TOKEN or CATCHUP_MONITOR_HTTP_TOKEN_FILE, not both",
        e.getMessage());
  }

  @Test
  void unreadableSecretFile_namesTheSettingAndFile() {
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        env(Map.of("CATCHUP_MONITOR_PASSWORD_FILE", "/nonexistent/pw")), Map.of()));
    assertThat(e.getMessage()).startsWith("cannot read passwordFile /nonexistent/pw");
  }

  @Test
  void unknownVariable_throws_namingItAndTheKnownOnes() {
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        env(Map.of("CATCHUP_MONITOR_HTTP_TOKN", "x")), Map.of()));
    assertThat(e.getMessage()).startsWith("unknown environment variable CATCHUP_MONITOR_HTTP_TOKN; known: ")
        .contains("CATCHUP_MONITOR_HTTP_TOKEN,").contains("CATCHUP_MONITOR_REPLICAS");
  }

  @Test
  void malformedServerEntry_throws_showingTheForm() {
    for (String bad : List.of("10.0.0.2:3306", "db2=10.0.0.2", "db2=::1:3306", "=h:1", "db2=h:",
        "db2=[::1]3306")) {
      var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
          env(Map.of("CATCHUP_MONITOR_REPLICAS", bad)), Map.of()), bad);
      assertEquals("CATCHUP_MONITOR_REPLICAS entries must be name=host:port (an IPv6 host in "
          + "brackets: name=[::1]:3306), was '" + bad + "'", e.getMessage());
    }
  }

  @Test
  void badValueFromTheEnvironment_namesTheSetting() {
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        env(Map.of("CATCHUP_MONITOR_HTTP_MAX_CONNECTIONS", "many")), Map.of()));
    assertEquals("http.maxConnections must be a whole number, was 'many'", e.getMessage());
  }

  @Test
  void environment_overridesTheFile_andFlagsOverrideBoth() throws IOException {
    Path yaml = file("monitor.yaml", """
        flavor: mysql
        user: file-user
        primary: {name: p, host: 10.1.1.1, port: 3306}
        replicas: [{name: r, host: 10.1.1.2, port: 3306}]
        http: {maxWait: 10s, port: 9000}
        """);
    MonitorConfig c = ConfigLoader.load(yaml, Map.of("CATCHUP_MONITOR_HTTP_MAX_WAIT", "12s",
        "CATCHUP_MONITOR_HTTP_PORT", "9001", "CATCHUP_MONITOR_REPLICAS", "r2=10.1.1.3:3306"),
        Map.of("http-port", "9002"));
    assertEquals(Duration.ofSeconds(12), c.http().maxWait());
    assertEquals(9002, c.http().port());
    assertEquals("p", c.primary().name());
    assertEquals(List.of(new MonitorConfig.Server("r2", "10.1.1.3", 3306)), c.replicas());
    assertEquals("file-user", c.user());
  }

  @Test
  void readme_documentsEveryVariable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (String v : EnvironmentSettings.variables()) {
      assertThat(readme).as("monitor/README.md documents " + v).contains("`" + v + "`");
    }
  }
}
