package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.catchup.monitor.connect.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10.14: the {@code tls} section of the monitor's configuration. */
class TlsConfigTest {
  private static final String BASE = """
      flavor: mysql
      user: monitor
      primary: {name: db1, host: 10.0.0.1, port: 3306}
      replicas:
        - {name: db2, host: 10.0.0.2, port: 3306}
      """;

  @TempDir
  Path dir;

  private static Path resource(String name) throws Exception {
    return Path.of(TlsConfigTest.class.getClassLoader().getResource(name).toURI());
  }

  private MonitorConfig load(String tls, Map<String, String> env) throws IOException {
    Path p = dir.resolve("monitor.yaml");
    Files.writeString(p, BASE + tls);
    return ConfigLoader.load(p, env, Map.of());
  }

  @Test
  void load_noTlsSection_isPreferredWithoutPublicKeyRetrieval() throws IOException {
    MonitorConfig c = load("", Map.of());
    assertEquals(TlsSettings.Mode.PREFERRED, c.tls().mode());
    assertFalse(c.tls().allowPublicKeyRetrieval());
  }

  @Test
  void load_caFileWithoutMode_meansVerifyCa() throws Exception {
    MonitorConfig c = load("tls: {caFile: '" + resource("tls/test-ca.pem") + "'}\n", Map.of());
    assertEquals(TlsSettings.Mode.VERIFY_CA, c.tls().mode());
    assertEquals(1, c.tls().trusted().size());
    assertThat(c.toString()).contains("tls=verify-ca (tls.caFile ");
  }

  @Test
  void load_trustStoreWithPasswordFile_readsTheStore() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "changeit\n");
    MonitorConfig c = load("tls: {mode: verify-identity, trustStore: '" + resource("tls/test-ca.p12")
        + "', trustStorePasswordFile: '" + pw + "', allowPublicKeyRetrieval: true}\n", Map.of());
    assertEquals(TlsSettings.Mode.VERIFY_IDENTITY, c.tls().mode());
    assertTrue(c.tls().allowPublicKeyRetrieval());
    assertThat(c.toString()).doesNotContain("changeit");
  }

  @Test
  void load_envOverridesFile() throws IOException {
    MonitorConfig c = load("tls: {mode: disabled}\n", Map.of("CATCHUP_MONITOR_TLS_MODE", "required",
        "CATCHUP_MONITOR_TLS_ALLOW_PUBLIC_KEY_RETRIEVAL", "true"));
    assertEquals(TlsSettings.Mode.REQUIRED, c.tls().mode());
    assertTrue(c.tls().allowPublicKeyRetrieval());
  }

  @Test
  void load_unknownMode_throwsNamingSettingValueAndChoices() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("tls: {mode: strict}\n", Map.of()));
    assertEquals("tls.mode must be one of disabled, preferred, required, verify-ca, verify-identity,"
        + " was 'strict'", e.getMessage());
  }

  @Test
  void load_verifyCaWithoutCa_throws() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("tls: {mode: verify-ca}\n", Map.of()));
    assertThat(e.getMessage()).contains("tls.mode verify-ca needs tls.caFile or tls.trustStore");
  }

  @Test
  void load_caFileAndTrustStore_throws() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> load("tls: {caFile: '"
        + resource("tls/test-ca.pem") + "', trustStore: '" + resource("tls/test-ca.p12") + "'}\n", Map.of()));
    assertEquals("set either tls.caFile or tls.trustStore, not both", e.getMessage());
  }

  @Test
  void load_unknownTlsKey_throws() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("tls: {ca: x}\n", Map.of()));
    assertThat(e.getMessage()).contains("unknown setting 'tls.ca'").contains("tls.caFile");
  }

  @Test
  void load_publicKeyRetrievalNotBoolean_throws() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("tls: {allowPublicKeyRetrieval: maybe}\n", Map.of()));
    assertEquals("tls.allowPublicKeyRetrieval must be true or false, was 'maybe'", e.getMessage());
  }
}
