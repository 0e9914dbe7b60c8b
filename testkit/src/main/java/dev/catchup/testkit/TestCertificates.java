package dev.catchup.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/**
 * The CA {@code topology.sh up} made for one topology (it signed every server's certificate), as
 * PEM and, made on first use, as the PKCS12 trust store Connector/J needs (it reads no PEM).
 */
final class TestCertificates {
  private final Path ca;
  private final Path trustStore;

  /** {@code ca} empty when the topology was started without certificates. */
  TestCertificates(String ca, Path dir) {
    this.ca = ca == null || ca.isEmpty() ? null : Path.of(ca);
    this.trustStore = dir.resolve("truststore.p12");
  }

  Path ca() {
    if (ca == null) {
      throw new IllegalStateException("this topology was started without test certificates");
    }
    return ca;
  }

  synchronized Path trustStore(String password) {
    if (!Files.exists(trustStore)) {
      try (InputStream in = Files.newInputStream(ca());
           OutputStream out = Files.newOutputStream(trustStore)) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("catchup-test-ca",
            CertificateFactory.getInstance("X.509").generateCertificate(in));
        ks.store(out, password.toCharArray());
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot write a trust store for " + ca + ": " + e, e);
      }
    }
    return trustStore;
  }
}
