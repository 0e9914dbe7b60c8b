package dev.catchup.monitor;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.testkit.ServerFlavor;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Monitors over test topologies. */
final class MonitorFixtures {
  private MonitorFixtures() {}

  static Flavor flavor(Topology t) {
    return t.flavor() == ServerFlavor.MYSQL ? Flavor.MYSQL : Flavor.MARIADB;
  }

  static MonitorConfig config(Topology t, Duration staleAfter) {
    return new MonitorConfig(flavor(t), t.user(), t.password(),
        new MonitorConfig.Server("primary", t.primary().host(), t.primary().port()),
        t.replicas().stream().map(r -> new MonitorConfig.Server(r.name(), r.host(), r.port())).toList(),
        staleAfter, new TrackerSettings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(2), null),
        new HttpSettings("127.0.0.1", 0, null, Duration.ofSeconds(1), Duration.ofSeconds(30)));
  }

  static Monitor start(Topology t) {
    return Monitor.start(config(t, Duration.ofSeconds(2)));
  }

  /** The server's own executed set (what MASTER_GTID_WAIT/WAIT_FOR_EXECUTED_GTID_SET compare). */
  static GtidSet executed(Topology t, Connection c, boolean primary) throws SQLException {
    String sql = t.flavor() == ServerFlavor.MYSQL ? "SELECT @@global.gtid_executed"
        : primary ? "SELECT @@global.gtid_binlog_pos" : "SELECT @@global.gtid_slave_pos";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return GtidSet.parse(flavor(t), rs.getString(1) == null ? "" : rs.getString(1));
    }
  }
}
