package dev.catchup.monitor;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.grants.MonitorGrants;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Monitors over test topologies, each run as a user with exactly the documented grants for its
 * flavor and mode ({@link MonitorGrants}), never as the topology's all-privileged user.
 */
final class MonitorFixtures {
  /** The monitor's user without the heartbeat row; the heartbeat mode's user is {@code _hb}. */
  static final String USER = "catchup_monitor";
  static final String PASSWORD = "monitor-secret";

  private MonitorFixtures() {}

  static Flavor flavor(Topology t) {
    return t.flavor();
  }

  static MonitorConfig config(Topology t, Duration staleAfter) {
    return config(t, staleAfter, null);
  }

  /** With the heartbeat row written every {@code heartbeat}, or without it when null. */
  static MonitorConfig config(Topology t, Duration staleAfter, Duration heartbeat) {
    String user = monitorUser(t, heartbeat != null);
    return config(t, user, PASSWORD, staleAfter, heartbeat);
  }

  /** As {@code user}, whatever its grants: for tests of the grant check. */
  static MonitorConfig config(Topology t, String user, String password, Duration staleAfter,
      Duration heartbeat) {
    return new MonitorConfig(flavor(t), user, password,
        new MonitorConfig.Server("primary", t.primary().host(), t.primary().port()),
        t.replicas().stream().map(r -> new MonitorConfig.Server(r.name(), r.host(), r.port())).toList(),
        staleAfter, new TrackerSettings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(2), heartbeat),
        new HttpSettings("127.0.0.1", 0, null, Duration.ofSeconds(1), Duration.ofSeconds(30)));
  }

  /**
   * (Re)creates the monitor's user on every server with exactly the documented grants of the
   * topology's flavor and {@code heartbeat} mode; returns its name.
   */
  static String monitorUser(Topology t, boolean heartbeat) {
    String user = heartbeat ? USER + "_hb" : USER;
    try {
      t.createUser(user, PASSWORD,
          MonitorGrants.statements(flavor(t), heartbeat, MonitorGrants.account(user, "%")));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the monitor's user " + user + ": " + e.getMessage(), e);
    }
    return user;
  }

  static Monitor start(Topology t) {
    return Monitor.start(config(t, Duration.ofSeconds(2)));
  }

  /** The server's own executed set (what MASTER_GTID_WAIT/WAIT_FOR_EXECUTED_GTID_SET compare). */
  /** Waits until every server of {@code t} is UP in {@code m}: feeds connected, sets confirmed. */
  static void awaitAllUp(Monitor m, Topology t) throws InterruptedException {
    dev.catchup.monitor.tracking.Registry r = m.registry();
    List<String> names = new java.util.ArrayList<>();
    names.add(t.primary().name());
    t.replicas().forEach(s -> names.add(s.name()));
    for (String name : names) {
      TrackingIT.await(name + " UP", () -> r.status(name)
          .map(st -> r.state(st) == dev.catchup.monitor.tracking.ServerState.UP).orElse(false));
    }
  }

  static GtidSet executed(Topology t, Connection c, boolean primary) throws SQLException {
    String sql = t.flavor() == Flavor.MYSQL ? "SELECT @@global.gtid_executed"
        : primary ? "SELECT @@global.gtid_binlog_pos" : "SELECT @@global.gtid_slave_pos";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return GtidSet.parse(flavor(t), rs.getString(1) == null ? "" : rs.getString(1));
    }
  }
}
