package dev.catchup.monitor.grants;

import dev.catchup.dialect.Dialect;
import dev.catchup.dialect.ServerVersion;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.connect.ServerEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Refuses a server whose release Catchup does not support ({@link Dialect#refusal}). Run by
 * {@link GrantCheck#check} on its connection, before the grants: that is where the monitor first
 * reaches every server, at start or, for a server unreachable then, when its tracker connects.
 */
final class VersionCheck {
  private VersionCheck() {}

  /**
   * @throws UnsupportedServerException naming the server, its version and the minimum
   */
  static void require(ServerEndpoint server, Flavor flavor, Connection c) throws SQLException {
    String why = Dialect.of(flavor).refusal(ServerVersion.of(c));
    if (why != null) {
      throw new UnsupportedServerException(List.of(server + " " + why));
    }
  }
}
