package dev.catchup.monitor.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServerEndpointTest {
  @Test
  void jdbcUrl_ipv6Host_isBracketed() {
    ServerEndpoint e = new ServerEndpoint("db1", "::1", 3306, "u", "p");
    assertThat(e.jdbcUrl()).startsWith("jdbc:mysql://[::1]:3306/?");
  }

  @Test
  void constructor_hostWithUrlSyntax_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ServerEndpoint("db1", "127.0.0.1:1/?allowLoadLocalInfile=true&x=", 3306, "u", "p"));
    assertThat(e.getMessage()).contains("host of db1").contains("allowLoadLocalInfile");
  }

  @Test
  void jdbcUrl_default_neverAllowsPublicKeyRetrievalNorDisablesTls() {
    String url = new ServerEndpoint("db1", "db1.example", 3306, "u", "p").jdbcUrl();
    assertThat(url).doesNotContain("allowPublicKeyRetrieval=true").doesNotContain("useSSL=false")
        .contains("sslMode=PREFERRED");
  }

  @Test
  void jdbcUrl_verifyCa_carriesTheTlsProperties() {
    TlsSettings tls = TlsSettings.withCaFile(TlsSettings.Mode.VERIFY_CA, TlsSettingsTest.CA, false);
    String url = new ServerEndpoint("db1", "db1.example", 3306, "u", "p", tls).jdbcUrl();
    assertThat(url).startsWith("jdbc:mysql://db1.example:3306/?sslMode=VERIFY_CA&")
        .contains("trustCertificateKeyStoreUrl=file");
  }

  @Test
  void toString_showsTlsModeNotPassword() {
    assertThat(new ServerEndpoint("db1", "::1", 3306, "u", "s3cret").toString())
        .isEqualTo("db1 (u@[::1]:3306, tls preferred)");
  }
}
