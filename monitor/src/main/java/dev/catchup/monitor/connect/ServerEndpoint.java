package dev.catchup.monitor.connect;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Where a server listens, how to log in and how to secure the connection. {@link #toString()}
 * never shows the password.
 *
 * @param name configured name, unique
 * @param host host name, IPv4 address or IPv6 literal (without brackets); checked by
 *     {@link #requireValidHost}, because it becomes part of a JDBC URL
 * @param port TCP port
 * @param user a user with REPLICATION SLAVE and REPLICATION CLIENT (to tail the binlog) and
 *     SELECT on performance_schema
 * @param password its password
 * @param tls transport security for the SQL and binlog connections
 */
public record ServerEndpoint(String name, String host, int port, String user, String password,
    TlsSettings tls) {
  private static final int ACCESS_DENIED = 1045;
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
  private static final Pattern NUMERIC = Pattern.compile("[0-9]+");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
  private static final String RULE = "must be a host name (dot-separated labels of letters, digits"
      + " and inner hyphens, each 1-63 characters, at most 253 in all), an IPv4 address"
      + " (a.b.c.d, each 0-255) or an IPv6 literal (optionally in [brackets], no zone)";

  public ServerEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(tls, "tls");
    host = requireValidHost(name, host);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port of " + name + " must be between 1 and 65535, was " + port);
    }
  }

  /** An endpoint with {@link TlsSettings#DEFAULTS}. */
  public ServerEndpoint(String name, String host, int port, String user, String password) {
    this(name, host, port, user, password, TlsSettings.DEFAULTS);
  }

  /**
   * Checks that {@code host} is a host name (RFC 1123), an IPv4 address or an IPv6 literal, and
   * nothing else: it is pasted into a JDBC URL, where {@code :}, {@code /}, {@code ?} or {@code &}
   * would smuggle in a port, a database or driver properties (issue 10.18).
   *
   * @param server the server's configured name, for the message
   * @param host the value to check
   * @return the host, without the brackets an IPv6 literal may come in
   * @throws IllegalArgumentException naming the server, the value and the rule
   */
  public static String requireValidHost(String server, String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host of " + server + " " + RULE + ", was empty");
    }
    String bare = host.length() > 2 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    if (bare.contains(":")) {
      if (isIpv6(bare)) {
        return bare;
      }
    } else if (bare.equals(host)) {
      if (host.length() > 253) {
        throw new IllegalArgumentException("host of " + server + " " + RULE + "; '" + host
            + "' is " + host.length() + " characters, more than 253");
      }
      String[] labels = host.split("\\.", -1);
      boolean numeric = true;
      boolean valid = true;
      for (String l : labels) {
        if (l.length() > 63) {
          throw new IllegalArgumentException("host of " + server + " " + RULE + "; '" + host
              + "' has a label longer than 63 characters");
        }
        valid &= LABEL.matcher(l).matches();
        numeric &= NUMERIC.matcher(l).matches();
      }
      // All-numeric names are addresses (RFC 1123 2.1): 10.0.0 or 256.0.0.1 is a typo, not a name.
      if (valid && (!numeric || isIpv4(labels))) {
        return host;
      }
    }
    throw new IllegalArgumentException("host of " + server + " " + RULE + ", was '" + host + "'");
  }

  private static boolean isIpv4(String[] parts) {
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!NUMERIC.matcher(p).matches() || p.length() > 3 || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    // Groups before and after the "::" (if any); only the address's last group may be an IPv4 one.
    String[] parts = gap < 0 ? new String[] {s} : new String[] {s.substring(0, gap), s.substring(gap + 2)};
    int groups = 0;
    for (int p = 0; p < parts.length; p++) {
      if (parts[p].isEmpty()) {
        continue;
      }
      String[] g = parts[p].split(":", -1);
      for (int i = 0; i < g.length; i++) {
        boolean last = p == parts.length - 1 && i == g.length - 1;
        if (last && g[i].contains(".")) {
          if (!isIpv4(g[i].split("\\.", -1))) {
            return false;
          }
          groups += 2;
        } else if (HEX_GROUP.matcher(g[i]).matches()) {
          groups++;
        } else {
          return false;
        }
      }
    }
    return gap < 0 ? groups == 8 : groups <= 7;
  }

  /** The host as it goes into a URL: IPv6 literals in brackets. */
  String urlHost() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The JDBC URL of this server, with the monitor's timeouts and TLS properties. */
  public String jdbcUrl() {
    // Short timeouts: a hung server must turn the tracker UNKNOWN, not block it. Every part is
    // validated (host, port) or built by us (the TLS properties), so nothing else can get in.
    return "jdbc:mysql://" + urlHost() + ":" + port + "/?" + tls.connectorJProperties()
        + "&connectTimeout=3000&socketTimeout=5000&tcpKeepAlive=true";
  }

  /**
   * A new SQL connection. When it fails in the TLS handshake (Connector/J then says only
   * "Communications link failure") or is refused while TLS is off, the error says so and why.
   */
  public Connection connect() throws SQLException {
    try {
      return DriverManager.getConnection(jdbcUrl(), user, password);
    } catch (SQLException e) {
      String tlsFailure = tlsFailure(e);
      if (tlsFailure != null) {
        throw new SQLException(tlsFailure, e.getSQLState(), e.getErrorCode(), e);
      }
      if (e.getErrorCode() == ACCESS_DENIED && tls.mode() == TlsSettings.Mode.DISABLED) {
        throw new SQLException(e.getMessage() + " (tls.mode is disabled: if the account requires"
            + " TLS, as REQUIRE SSL or require_secure_transport do, set tls.mode to required or"
            + " stricter)", e.getSQLState(), e.getErrorCode(), e);
      }
      throw e;
    }
  }

  /** What went wrong in a TLS handshake, or null when {@code e} is not a TLS failure. */
  private String tlsFailure(SQLException e) {
    Throwable tlsError = null;
    Throwable certError = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (tlsError == null && t instanceof SSLException) {
        tlsError = t;
      }
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        certError = t;
      }
    }
    if (certError != null) {
      Throwable root = certError;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "TLS with " + name + " failed (tls " + tls + "): the server's certificate was"
          + " rejected: " + (root.getMessage() == null ? root : root.getMessage());
    }
    return tlsError == null ? null
        : "TLS with " + name + " failed (tls " + tls + "): " + tlsError.getMessage();
  }

  @Override
  public String toString() {
    return name + " (" + user + "@" + urlHost() + ":" + port + ", tls " + tls.mode().configName() + ")";
  }
}
