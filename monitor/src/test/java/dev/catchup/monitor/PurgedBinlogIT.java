package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binlog file a feed was reading is purged while the feed is away: the feed must notice (the
 * server accepts the dump request, then ends the stream with error 1236), resume from the current
 * position, and the replica must turn UP again without restarting the monitor.
 */
class PurgedBinlogIT {
  private static final Logger log = LoggerFactory.getLogger(PurgedBinlogIT.class);

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void purgedPosition_whileFeedAway_replicaUpAgain_withFewReconnects(Flavor flavor)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    Server replica = t.replica(1);
    MonitorConfig base = MonitorFixtures.config(t, Duration.ofSeconds(2));
    // The first reconnect waits 1.5-3 s: time enough to rotate and purge while the feed is away.
    MonitorConfig slowReconnect = new MonitorConfig(base.flavor(), base.user(), base.password(),
        base.primary(), base.replicas(), base.staleAfter(),
        new TrackerSettings(Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(6),
            null), base.http());
    try (Monitor m = Monitor.start(slowReconnect); Connection admin = t.connect(replica);
         Statement s = admin.createStatement()) {
      Registry r = m.registry();
      await("up", () -> r.state(status(r, replica)) == ServerState.UP);
      long reconnectsBefore = status(r, replica).binlog().reconnects();
      String reading = currentFile(t, s);

      s.execute("SET SESSION sql_log_bin = 0");
      for (long id : dumpThreadIds(s)) {
        try {
          s.execute("KILL " + id); // the monitor's feed: nothing else replicates from a replica
        } catch (SQLException gone) {
          // a dump thread that ended meanwhile (an earlier monitor's, or the grant check's probe)
        }
      }
      await("feed gone", () -> dumpThreadIds(s).isEmpty());
      s.execute("FLUSH BINARY LOGS");
      String next = currentFile(t, s);
      // MariaDB keeps the previous file until its binlog checkpoint reaches the new one (a few
      // milliseconds): purge again until it is gone, bounded well inside the feed's back-off.
      for (int i = 0; i < 50 && binaryLogs(s).contains(reading); i++) {
        s.execute("PURGE BINARY LOGS TO '" + next + "'");
        if (binaryLogs(s).contains(reading)) {
          Thread.sleep(10); // the checkpoint is the server's own background step: nothing to await
        }
      }
      assertThat(binaryLogs(s)).as("precondition: %s purged while the feed was away", reading)
          .doesNotContain(reading);

      try (Connection p = t.connect(t.primary()); Statement ps = p.createStatement()) {
        ps.execute("CREATE TABLE IF NOT EXISTS mon_purged (id INT PRIMARY KEY AUTO_INCREMENT)");
        ps.execute("INSERT INTO mon_purged VALUES ()");
        GtidSet written = MonitorFixtures.executed(t, p, true);
        await("replica UP again and confirming new writes", () -> {
          ServerStatus st = status(r, replica);
          return r.state(st) == ServerState.UP && st.confirmed().contains(written);
        });
      }
      long reconnects = status(r, replica).binlog().reconnects() - reconnectsBefore;
      log.info("{}: {} binlog reconnect(s) from the kill to UP", flavor, reconnects);
      // The kill, then one connection refused for the purged position; before the fix a connect
      // that the server then dropped reset the back-off, and the feed retried forever.
      assertThat(reconnects).isBetween(1L, 4L);
    }
  }

  private static ServerStatus status(Registry r, Server s) {
    return r.status(s.name()).orElseThrow();
  }

  private static String currentFile(Topology t, Statement s) throws SQLException {
    String sql = t.flavor() == Flavor.MYSQL ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<String> binaryLogs(Statement s) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static List<Long> dumpThreadIds(Statement s) {
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST "
        + "WHERE COMMAND LIKE 'Binlog Dump%'")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
