package dev.catchup.testkit;

/**
 * One server of a topology.
 *
 * @param name {@code primary}, {@code replica1}, {@code replica2}, ... (the name stays when the
 *     role changes: see {@link Topology#primary()})
 * @param host loopback address it listens on
 * @param port TCP port
 * @param serverId the server's {@code server_id}
 * @param uuid MySQL {@code @@server_uuid}; empty for MariaDB
 */
public record Server(String name, String host, int port, long serverId, String uuid) {

  /** A Connector/J URL for the {@code catchup} schema with the given extra properties. */
  public String jdbcUrl(String extraProperties) {
    // No TLS on loopback test servers; caching_sha2_password then needs the public key.
    String base = "jdbc:mysql://" + host + ":" + port + "/catchup?useSSL=false"
        + "&allowPublicKeyRetrieval=true&connectTimeout=5000";
    return extraProperties == null || extraProperties.isEmpty() ? base : base + "&" + extraProperties;
  }

  /** A Connector/J URL for the {@code catchup} schema. */
  public String jdbcUrl() {
    return jdbcUrl("");
  }
}
