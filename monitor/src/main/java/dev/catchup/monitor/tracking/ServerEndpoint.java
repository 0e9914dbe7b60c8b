package dev.catchup.monitor.tracking;

import java.util.Objects;

/**
 * Where a server listens and how to log in. {@link #toString()} never shows the password.
 *
 * @param name configured name, unique
 * @param host host name or address
 * @param port TCP port
 * @param user a user with REPLICATION SLAVE and REPLICATION CLIENT (to tail the binlog) and
 *     SELECT on performance_schema
 * @param password its password
 */
public record ServerEndpoint(String name, String host, int port, String user, String password) {
  public ServerEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port of " + name + " must be between 1 and 65535, was " + port);
    }
  }

  String jdbcUrl() {
    // Short timeouts: a hung server must turn the tracker UNKNOWN, not block it.
    return "jdbc:mysql://" + host + ":" + port + "/?useSSL=false&allowPublicKeyRetrieval=true"
        + "&connectTimeout=3000&socketTimeout=5000&tcpKeepAlive=true";
  }

  @Override
  public String toString() {
    return name + " (" + user + "@" + host + ":" + port + ")";
  }
}
