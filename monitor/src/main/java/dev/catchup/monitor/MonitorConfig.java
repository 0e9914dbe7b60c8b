package dev.catchup.monitor;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.connect.TlsSettings;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.TrackerSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the monitor needs, validated when built. {@link #toString()} masks secrets, so the
 * effective configuration can be logged.
 *
 * @param flavor GTID flavor of the servers
 * @param user database user, with the grants of {@link dev.catchup.monitor.grants.MonitorGrants}
 * @param password its password
 * @param primary the primary
 * @param replicas the replicas, at least one
 * @param staleAfter a server not confirmed for this long is reported UNKNOWN
 * @param tracker tracker timings
 * @param http HTTP API settings
 * @param tls transport security of the connections to the servers (SQL and binlog)
 */
public record MonitorConfig(Flavor flavor, String user, String password, Server primary,
    List<Server> replicas, Duration staleAfter, TrackerSettings tracker, HttpSettings http,
    TlsSettings tls) {

  /**
   * A server to track.
   *
   * @param name unique name used in the API and metrics
   * @param host host name, IPv4 address or IPv6 literal (brackets, if given, are dropped)
   * @param port TCP port
   */
  public record Server(String name, String host, int port) {
    public Server {
      if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException("server name must match [A-Za-z0-9_.-]{1,64}, was '"
            + name + "'");
      }
      // The host becomes part of a JDBC URL: only names and addresses, no URL syntax (issue 10.18).
      host = ServerEndpoint.requireValidHost(name, host);
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port of " + name + " must be between 1 and 65535, was "
            + port);
      }
    }
  }

  /** A configuration with {@link TlsSettings#DEFAULTS} ({@code preferred}). */
  public MonitorConfig(Flavor flavor, String user, String password, Server primary,
      List<Server> replicas, Duration staleAfter, TrackerSettings tracker, HttpSettings http) {
    this(flavor, user, password, primary, replicas, staleAfter, tracker, http, TlsSettings.DEFAULTS);
  }

  public MonitorConfig {
    Objects.requireNonNull(flavor, "flavor is required (mysql or mariadb)");
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("user is required");
    }
    Objects.requireNonNull(primary, "primary is required");
    if (replicas == null || replicas.isEmpty()) {
      throw new IllegalArgumentException("replicas must list at least one replica");
    }
    replicas = List.copyOf(replicas);
    Set<String> names = new HashSet<>();
    names.add(primary.name());
    for (Server r : replicas) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("server name '" + r.name() + "' is used twice");
      }
    }
    if (staleAfter == null || staleAfter.compareTo(Duration.ofMillis(100)) < 0
        || staleAfter.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("staleAfter must be between PT0.1S and PT10M, was " + staleAfter);
    }
    Objects.requireNonNull(tracker, "tracker");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(tls, "tls");
    if (staleAfter.compareTo(tracker.reconcileInterval().multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("staleAfter (" + staleAfter + ") must be at least twice "
          + "reconcileInterval (" + tracker.reconcileInterval() + "), or healthy servers flap to UNKNOWN");
    }
  }

  /** This configuration with other TLS settings. */
  public MonitorConfig withTls(TlsSettings newTls) {
    return new MonitorConfig(flavor, user, password, primary, replicas, staleAfter, tracker, http,
        newTls);
  }

  @Override
  public String toString() {
    return "flavor=" + flavor + ", user=" + user + ", password="
        + (password == null || password.isEmpty() ? "(none)" : "****") + ", primary=" + primary
        + ", replicas=" + replicas + ", staleAfter=" + staleAfter + ", reconcileInterval="
        + tracker.reconcileInterval() + ", http=" + http.bindAddress() + ":" + http.port()
        + ", auth=" + (http.bearerToken() == null ? "none" : "bearer ****") + ", tls=" + tls;
  }
}
