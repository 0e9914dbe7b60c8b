package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.tracking.LagReport;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import dev.catchup.testkit.TopologyExtension;
import dev.catchup.testkit.TopologyOf;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MySQL-only behaviour: microsecond lag from commit timestamps, and 8.4+ tagged GTIDs. */
@ExtendWith(TopologyExtension.class)
class MysqlTrackingIT {
  private static final Logger log = LoggerFactory.getLogger(MysqlTrackingIT.class);

  @Test
  void lagWithOneSecondDelay_matchesPerformanceSchemaWithin100ms(
      @TopologyOf(Flavor.MYSQL) Topology t) throws Exception {
    Server replica = t.replica(1);
    t.setDelay(replica, Duration.ofSeconds(1));
    try (Monitor m = MonitorFixtures.start(t); Connection p = t.connect(t.primary());
         Statement s = p.createStatement()) {
      Registry r = m.registry();
      s.execute("CREATE TABLE IF NOT EXISTS mon_lag (id INT PRIMARY KEY AUTO_INCREMENT)");
      assertThat(t.awaitCaughtUp(replica, Duration.ofSeconds(30))).isTrue();
      s.execute("INSERT INTO mon_lag VALUES ()");
      GtidSet all = MonitorFixtures.executed(t, p, true);
      MysqlGtidSet.Interval last = ((MysqlGtidSet) all).intervals().stream()
          .filter(iv -> iv.uuid().toString().equals(t.primary().uuid())).reduce((a, b) -> b).orElseThrow();
      String gtid = last.uuid() + ":" + last.last();

      // While the replica holds the write back, the monitor reports it missing and growing old.
      await("lag visible", () -> {
        LagReport lag = r.lag(r.status(replica.name()).orElseThrow());
        return lag.missingTransactions() > 0 && lag.secondsBehind() != null && lag.secondsBehind() > 0.3;
      });
      await("applied and confirmed", () -> r.status(replica.name()).orElseThrow().confirmed().contains(all));
      ServerStatus st = r.status(replica.name()).orElseThrow();
      assertThat(r.lag(st).missingTransactions()).isZero();
      assertThat(r.lag(st).secondsBehind()).isZero();

      double truth;
      try (Connection c = t.connect(replica); PreparedStatement ps = c.prepareStatement(
          "SELECT TIMESTAMPDIFF(MICROSECOND, LAST_APPLIED_TRANSACTION_ORIGINAL_COMMIT_TIMESTAMP, "
              + "LAST_APPLIED_TRANSACTION_END_APPLY_TIMESTAMP) FROM "
              + "performance_schema.replication_applier_status_by_worker WHERE LAST_APPLIED_TRANSACTION = ?")) {
        ps.setString(1, gtid);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).as("performance_schema knows " + gtid).isTrue();
          truth = rs.getLong(1) / 1e6;
        }
      }
      double reported = st.binlog().lastApplyDelay().toNanos() / 1e9;
      log.info("apply delay of {}: performance_schema {} s, monitor {} s", gtid, truth, reported);
      assertThat(truth).isGreaterThan(0.9);
      assertThat(Math.abs(reported - truth)).isLessThan(0.1);
    } finally {
      t.setDelay(replica, Duration.ZERO);
    }
  }

  @Test
  void taggedTransaction_isTrackedOnEveryServer(@TopologyOf(Flavor.MYSQL) Topology t)
      throws Exception {
    try (Monitor m = MonitorFixtures.start(t); Connection p = t.connect(t.primary());
         Statement s = p.createStatement()) {
      Registry r = m.registry();
      // Feeds connected first: a transaction before that is read at connect, not as drift.
      MonitorFixtures.awaitAllUp(m, t);
      s.execute("CREATE TABLE IF NOT EXISTS mon_tag (id INT PRIMARY KEY AUTO_INCREMENT)");
      s.execute("SET gtid_next = 'AUTOMATIC:catchup_tag'");
      s.execute("INSERT INTO mon_tag VALUES ()");
      s.execute("SET gtid_next = 'AUTOMATIC'");
      GtidSet all = MonitorFixtures.executed(t, p, true);
      assertThat(all.toString()).contains(":catchup_tag:");
      MysqlGtidSet tagged = (MysqlGtidSet) all;
      MysqlGtidSet.Interval iv = tagged.intervals().stream()
          .filter(i -> i.tag().equals("catchup_tag")).reduce((a, b) -> b).orElseThrow();
      MysqlGtidSet one = MysqlGtidSet.of(iv.uuid(), "catchup_tag", iv.last(), iv.last());

      await("primary confirms the tagged GTID", () -> r.primary().confirmed().contains(one));
      for (Server replica : t.replicas()) {
        await(replica.name() + " confirms the tagged GTID",
            () -> r.status(replica.name()).orElseThrow().confirmed().contains(one));
        try (Connection c = t.connect(replica)) {
          assertThat(MonitorFixtures.executed(t, c, false).contains(one)).isTrue();
        }
        // The binlog client cannot decode tagged GTID events: reconciliation found it.
        assertThat(r.status(replica.name()).orElseThrow().binlog().driftCorrections()).isPositive();
      }
    }
  }
}
