package dev.catchup.monitor.connect;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Transport security of the monitor's connections to the databases, SQL (Connector/J) and binlog
 * alike: a {@link Mode} as the MySQL client names them, the CA certificates that {@code verify-ca}
 * and {@code verify-identity} trust, and whether the RSA public key may be fetched from the server.
 * Immutable; the certificates are read and checked when the settings are made.
 */
public final class TlsSettings {
  /**
   * {@code preferred} (TLS when the server offers it, as the mysql client does by default), no CA,
   * no public-key retrieval.
   */
  public static final TlsSettings DEFAULTS = new TlsSettings(Mode.PREFERRED, List.of(), null, false);

  /** The MySQL client's {@code --ssl-mode} values. */
  public enum Mode {
    /** Plain TCP. Passwords and the binlog travel in clear text. */
    DISABLED,
    /** TLS when the server offers it, plain TCP otherwise; the certificate is not checked. */
    PREFERRED,
    /** TLS or no connection; the certificate is not checked (no protection from impersonation). */
    REQUIRED,
    /** TLS with a certificate signed by a configured CA. */
    VERIFY_CA,
    /** As {@link #VERIFY_CA}, and the certificate must name the configured host. */
    VERIFY_IDENTITY;

    /** The name in configuration: {@code verify-ca}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True for the modes that check the server's certificate against the CA. */
    public boolean verifies() {
      return this == VERIFY_CA || this == VERIFY_IDENTITY;
    }

    /**
     * Parses a configured mode, case-insensitively, with {@code -} or {@code _}.
     *
     * @throws IllegalArgumentException naming {@code setting}, the value and the choices
     */
    public static Mode parse(String setting, String s) {
      String key = s == null ? "" : s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
      for (Mode m : values()) {
        if (m.name().equals(key)) {
          return m;
        }
      }
      throw new IllegalArgumentException(setting + " must be one of disabled, preferred, required,"
          + " verify-ca, verify-identity, was '" + s + "'");
    }
  }

  private final Mode mode;
  private final List<X509Certificate> trusted;
  private final String trustSource;
  private final boolean allowPublicKeyRetrieval;
  private volatile String connectorJ;

  private TlsSettings(Mode mode, List<X509Certificate> trusted, String trustSource,
      boolean allowPublicKeyRetrieval) {
    this.mode = Objects.requireNonNull(mode, "tls.mode");
    this.trusted = List.copyOf(trusted);
    this.trustSource = trustSource;
    this.allowPublicKeyRetrieval = allowPublicKeyRetrieval;
    if (mode.verifies() && this.trusted.isEmpty()) {
      throw new IllegalArgumentException("tls.mode " + mode.configName() + " needs tls.caFile or"
          + " tls.trustStore: the CA certificate(s) that signed the servers' certificates");
    }
    if (!mode.verifies() && !this.trusted.isEmpty()) {
      // A CA that is never consulted would look like protection and give none.
      throw new IllegalArgumentException("tls.mode " + mode.configName() + " does not check"
          + " certificates, so " + trustSource + " would be ignored; use tls.mode verify-ca or"
          + " verify-identity, or remove it");
    }
  }

  /**
   * Settings without a CA (any mode but the verifying ones).
   *
   * @throws IllegalArgumentException for {@code verify-ca}/{@code verify-identity}
   */
  public static TlsSettings of(Mode mode, boolean allowPublicKeyRetrieval) {
    return new TlsSettings(mode, List.of(), null, allowPublicKeyRetrieval);
  }

  /**
   * Settings trusting the CA certificate(s) in a PEM file.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate, or the
   *     mode does not verify certificates
   */
  public static TlsSettings withCaFile(Mode mode, Path caFile, boolean allowPublicKeyRetrieval) {
    List<X509Certificate> certs = new ArrayList<>();
    try (InputStream in = Files.newInputStream(caFile)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) c);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read tls.caFile " + caFile + ": " + e, e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("tls.caFile " + caFile + " must hold PEM certificates"
          + " (-----BEGIN CERTIFICATE-----): " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("tls.caFile " + caFile + " must hold at least one PEM"
          + " certificate (-----BEGIN CERTIFICATE-----), found none");
    }
    return new TlsSettings(mode, certs, "tls.caFile " + caFile, allowPublicKeyRetrieval);
  }

  /**
   * Settings trusting the certificate entries of a Java trust store (PKCS12 or JKS, detected).
   *
   * @param password the store's password; null or empty when it has none
   * @throws IllegalArgumentException when the store cannot be opened or holds no certificate
   */
  public static TlsSettings withTrustStore(Mode mode, Path trustStore, String password,
      boolean allowPublicKeyRetrieval) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      KeyStore ks = KeyStore.getInstance(trustStore.toFile(),
          password == null || password.isEmpty() ? null : password.toCharArray());
      for (String alias : Collections.list(ks.aliases())) {
        if (ks.getCertificate(alias) instanceof X509Certificate x) {
          certs.add(x);
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot open tls.trustStore " + trustStore + " (PKCS12 or"
          + " JKS) with the configured tls.trustStorePassword: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("tls.trustStore " + trustStore + " must hold at least one"
          + " certificate, found none");
    }
    return new TlsSettings(mode, certs, "tls.trustStore " + trustStore, allowPublicKeyRetrieval);
  }

  public Mode mode() {
    return mode;
  }

  /** The CA certificates trusted by the verifying modes; empty for the others. */
  public List<X509Certificate> trusted() {
    return trusted;
  }

  /** Whether Connector/J may ask the server for its RSA key ({@code allowPublicKeyRetrieval}). */
  public boolean allowPublicKeyRetrieval() {
    return allowPublicKeyRetrieval;
  }

  /**
   * Connector/J URL properties ({@code a=b&c=d}). For the verifying modes the CA certificates go
   * into a PKCS12 file of this process's own (owner-only, deleted at exit; Connector/J reads trust
   * only from a key store URL), with a random password: so the configured store's password never
   * enters a URL, and only the configured certificates are trusted, never the JVM's.
   */
  String connectorJProperties() {
    String p = connectorJ;
    if (p == null) {
      synchronized (this) {
        p = connectorJ;
        if (p == null) {
          p = "sslMode=" + mode.name() + "&allowPublicKeyRetrieval=" + allowPublicKeyRetrieval;
          if (mode.verifies()) {
            p += trustStoreProperties();
          }
          connectorJ = p;
        }
      }
    }
    return p;
  }

  private String trustStoreProperties() {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try {
      Path file = Files.createTempFile("catchup-monitor-ca-", ".p12",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        trustStore().store(out, password.toCharArray());
      }
      return "&trustCertificateKeyStoreUrl=" + encode(file.toUri().toString())
          + "&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=" + password
          + "&fallbackToSystemTrustStore=false";
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the CA certificates of " + trustSource
          + " to a temporary trust store for Connector/J: " + e.getMessage(), e);
    }
  }

  private KeyStore trustStore() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    for (int i = 0; i < trusted.size(); i++) {
      ks.setCertificateEntry("ca" + i, trusted.get(i));
    }
    return ks;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Sets up the binlog client for this mode. Without a CA the library's own factories apply
   * (trust-all for {@code preferred}/{@code required}); the verifying modes get a socket factory that
   * trusts only the configured CA and, for {@code verify-identity}, checks {@code host} against the
   * certificate's names as HTTPS does.
   */
  public void configure(BinaryLogClient client, String host, int port) {
    client.setSSLMode(SSLMode.valueOf(mode.name()));
    if (!mode.verifies()) {
      return;
    }
    SSLContext context;
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS with " + trustSource + ": " + e.getMessage(), e);
    }
    boolean identity = mode == Mode.VERIFY_IDENTITY;
    client.setSslSocketFactory(socket -> {
      try {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
        if (identity) {
          SSLParameters params = s.getSSLParameters();
          params.setEndpointIdentificationAlgorithm("HTTPS");
          s.setSSLParameters(params);
        }
        return s;
      } catch (IOException e) {
        java.net.SocketException se = new java.net.SocketException(e.getMessage());
        se.initCause(e);
        throw se;
      }
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsSettings t && mode == t.mode && trusted.equals(t.trusted)
        && allowPublicKeyRetrieval == t.allowPublicKeyRetrieval;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, trusted, allowPublicKeyRetrieval);
  }

  /** Mode, where the CA came from and public-key retrieval; no password. */
  @Override
  public String toString() {
    return mode.configName() + (trustSource == null ? "" : " (" + trustSource + ")")
        + (allowPublicKeyRetrieval ? ", allowPublicKeyRetrieval" : "");
  }
}
