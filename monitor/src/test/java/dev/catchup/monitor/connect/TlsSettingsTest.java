package dev.catchup.monitor.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 10.14: TLS modes, CA handling and their mapping to Connector/J and the binlog client. */
class TlsSettingsTest {
  static final Path CA = resource("tls/test-ca.pem");
  static final Path STORE = resource("tls/test-ca.p12");

  @TempDir
  Path dir;

  static Path resource(String name) {
    try {
      return Path.of(TlsSettingsTest.class.getClassLoader().getResource(name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> props(TlsSettings t) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : t.connectorJProperties().split("&")) {
      int i = kv.indexOf('=');
      m.put(kv.substring(0, i), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
    }
    return m;
  }

  @Test
  void defaults_preferredWithoutPublicKeyRetrieval() {
    assertEquals(TlsSettings.Mode.PREFERRED, TlsSettings.DEFAULTS.mode());
    Map<String, String> p = props(TlsSettings.DEFAULTS);
    assertEquals("PREFERRED", p.get("sslMode"));
    assertEquals("false", p.get("allowPublicKeyRetrieval"));
    assertThat(p).doesNotContainKey("trustCertificateKeyStoreUrl");
  }

  @ParameterizedTest
  @EnumSource(value = TlsSettings.Mode.class, names = {"DISABLED", "PREFERRED", "REQUIRED"})
  void of_nonVerifyingMode_mapsToConnectorJAndBinlogClient(TlsSettings.Mode mode) {
    TlsSettings t = TlsSettings.of(mode, true);
    assertEquals(mode.name(), props(t).get("sslMode"));
    assertEquals("true", props(t).get("allowPublicKeyRetrieval"));
    BinaryLogClient c = new BinaryLogClient("127.0.0.1", 3306, "u", "p");
    t.configure(c, "127.0.0.1", 3306);
    assertEquals(SSLMode.valueOf(mode.name()), c.getSSLMode());
  }

  @ParameterizedTest
  @EnumSource(value = TlsSettings.Mode.class, names = {"VERIFY_CA", "VERIFY_IDENTITY"})
  void of_verifyingModeWithoutCa_throwsNamingTheSettings(TlsSettings.Mode mode) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsSettings.of(mode, false));
    assertThat(e.getMessage()).contains("tls.mode " + mode.configName())
        .contains("tls.caFile").contains("tls.trustStore");
  }

  @Test
  void withCaFile_requiredMode_throwsBecauseTheCaWouldBeIgnored() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsSettings.withCaFile(TlsSettings.Mode.REQUIRED, CA, false));
    assertThat(e.getMessage()).contains("tls.mode required").contains("tls.caFile " + CA)
        .contains("ignored");
  }

  @Test
  void withCaFile_verifyCa_trustsOnlyThatCaThroughAPrivateStore() throws Exception {
    TlsSettings t = TlsSettings.withCaFile(TlsSettings.Mode.VERIFY_CA, CA, false);
    Map<String, String> p = props(t);
    assertEquals("VERIFY_CA", p.get("sslMode"));
    assertEquals("false", p.get("allowPublicKeyRetrieval"));
    assertEquals("false", p.get("fallbackToSystemTrustStore"));
    assertEquals("PKCS12", p.get("trustCertificateKeyStoreType"));
    Path store = Path.of(URI.create(p.get("trustCertificateKeyStoreUrl")));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(store));
    KeyStore ks = KeyStore.getInstance(store.toFile(),
        p.get("trustCertificateKeyStorePassword").toCharArray());
    assertThat(Collections.list(ks.aliases())).hasSize(1);
    assertEquals(t.trusted().get(0), ks.getCertificate(Collections.list(ks.aliases()).get(0)));
    // Made once per settings, however many endpoints share them.
    assertEquals(t.connectorJProperties(), t.connectorJProperties());
  }

  @Test
  void withTrustStore_readsItsCertificates_andKeepsItsPasswordOutOfTheUrl() {
    TlsSettings t = TlsSettings.withTrustStore(TlsSettings.Mode.VERIFY_IDENTITY, STORE, "changeit", false);
    assertEquals(TlsSettings.withCaFile(TlsSettings.Mode.VERIFY_IDENTITY, CA, false).trusted(), t.trusted());
    assertThat(t.connectorJProperties()).doesNotContain("changeit").contains("sslMode=VERIFY_IDENTITY");
    assertThat(t.toString()).doesNotContain("changeit").contains("verify-identity");
  }

  @Test
  void withTrustStore_wrongPassword_throwsNamingTheSetting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsSettings.withTrustStore(TlsSettings.Mode.VERIFY_CA, STORE, "wrong", false));
    assertThat(e.getMessage()).contains("tls.trustStore " + STORE).contains("tls.trustStorePassword");
  }

  @Test
  void withCaFile_notPem_throwsNamingTheFile() throws IOException {
    Path bad = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsSettings.withCaFile(TlsSettings.Mode.VERIFY_CA, bad, false));
    assertThat(e.getMessage()).contains("tls.caFile " + bad);
  }

  @Test
  void withCaFile_missing_throwsNamingTheFile() {
    Path missing = dir.resolve("nope.pem");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsSettings.withCaFile(TlsSettings.Mode.VERIFY_CA, missing, false));
    assertThat(e.getMessage()).contains("cannot read tls.caFile " + missing);
  }

  @Test
  void configure_verifyCa_setsModeAndOwnSocketFactory() {
    BinaryLogClient c = new BinaryLogClient("127.0.0.1", 3306, "u", "p");
    TlsSettings.withCaFile(TlsSettings.Mode.VERIFY_CA, CA, false).configure(c, "127.0.0.1", 3306);
    assertEquals(SSLMode.VERIFY_CA, c.getSSLMode());
  }

  @Test
  void parse_acceptsMysqlClientNames_andRejectsOthers() {
    assertEquals(TlsSettings.Mode.VERIFY_IDENTITY, TlsSettings.Mode.parse("tls.mode", "verify-identity"));
    assertEquals(TlsSettings.Mode.VERIFY_CA, TlsSettings.Mode.parse("tls.mode", "VERIFY_CA"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsSettings.Mode.parse("tls.mode", "on"));
    assertEquals("tls.mode must be one of disabled, preferred, required, verify-ca, verify-identity,"
        + " was 'on'", e.getMessage());
  }
}
