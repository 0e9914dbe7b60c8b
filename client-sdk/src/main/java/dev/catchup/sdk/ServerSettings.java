package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which servers a data source uses and how it logs in: the GTID flavor, the primary's and the named
 * replicas' JDBC URLs (in configuration order), the credentials. Each {@code with} method checks its
 * argument and returns a new value; {@link #checkComplete()} says what is still missing. Its
 * {@link #toString()} masks the password.
 */
record ServerSettings(Flavor flavor, String primaryName, String primaryUrl,
    Map<String, String> replicaUrls, String username, String password) {

  /** The primary's name unless {@code primary(name, url)} gives one. */
  static final String DEFAULT_PRIMARY_NAME = "primary";

  /** Nothing set yet. */
  static final ServerSettings NONE =
      new ServerSettings(null, DEFAULT_PRIMARY_NAME, null, Map.of(), null, null);

  ServerSettings {
    replicaUrls = Collections.unmodifiableMap(new LinkedHashMap<>(replicaUrls));
  }

  ServerSettings withFlavor(Flavor flavor) {
    return new ServerSettings(Objects.requireNonNull(flavor, "flavor must not be null"),
        primaryName, primaryUrl, replicaUrls, username, password);
  }

  /** The primary under the default name. */
  ServerSettings withPrimary(String jdbcUrl) {
    return withPrimary(DEFAULT_PRIMARY_NAME, jdbcUrl);
  }

  /** URLs are logged, so one that carries a password in any form is refused ({@link JdbcUrls}). */
  ServerSettings withPrimary(String name, String jdbcUrl) {
    checkName("primary", name);
    if (replicaUrls.containsKey(name)) {
      throw new IllegalArgumentException("server name '" + name + "' is used twice: by the "
          + "primary and a replica (name the primary with primary(name, url))");
    }
    return new ServerSettings(flavor, name, JdbcUrls.check("primary", jdbcUrl), replicaUrls,
        username, password);
  }

  ServerSettings withReplica(String name, String jdbcUrl) {
    checkName("replica", name);
    if (replicaUrls.containsKey(name) || (primaryUrl != null && name.equals(primaryName))) {
      throw new IllegalArgumentException("server name '" + name + "' is used twice");
    }
    Map<String, String> replicas = new LinkedHashMap<>(replicaUrls);
    replicas.put(name, JdbcUrls.check("replica " + name, jdbcUrl));
    return new ServerSettings(flavor, primaryName, primaryUrl, replicas, username, password);
  }

  private static void checkName(String role, String name) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException(role + " name must match [A-Za-z0-9_.-]{1,64}, was '"
          + name + "'");
    }
  }

  ServerSettings withCredentials(String username, String password) {
    return new ServerSettings(flavor, primaryName, primaryUrl, replicaUrls,
        Objects.requireNonNull(username, "username must not be null"), password);
  }

  /**
   * Checks that everything required is set.
   *
   * @throws IllegalStateException naming what is missing and what to call
   */
  void checkComplete() {
    if (flavor == null) {
      throw new IllegalStateException("flavor is required: call flavor(Flavor.MYSQL) or "
          + "flavor(Flavor.MARIADB)");
    }
    if (primaryUrl == null) {
      throw new IllegalStateException("primary is required: call primary(\"jdbc:mysql://host:port/db\")");
    }
    if (replicaUrls.isEmpty()) {
      throw new IllegalStateException("at least one replica is required: call replica(name, url)");
    }
    if (username == null) {
      throw new IllegalStateException("credentials are required: call credentials(user, password)");
    }
  }

  /** The password as it may be logged. */
  String maskedPassword() {
    return password == null || password.isEmpty() ? "(none)" : "****";
  }

  @Override
  public String toString() {
    return "ServerSettings[flavor=" + flavor + ", primary=" + primaryName + "=" + primaryUrl
        + ", replicas="
        + replicaUrls + ", user=" + username + ", password=" + maskedPassword() + "]";
  }
}
