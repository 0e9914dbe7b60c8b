package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Builds data sources over a test topology and checks reads independently of the SDK. */
final class SdkFixtures {
  private SdkFixtures() {}

  static Flavor flavor(Topology t) {
    return t.flavor();
  }

  static CatchupDataSourceBuilder builder(Topology t) {
    CatchupDataSourceBuilder b = CatchupDataSource.builder()
        .flavor(flavor(t))
        .primary(t.primary().jdbcUrl())
        .credentials(t.user(), t.password())
        .poolSize(8);
    for (Server r : t.replicas()) {
      b.replica(r.name(), r.jdbcUrl());
    }
    return b;
  }

  /**
   * The grants of an application's account {@code 'app'@'%'} for failover tests: read_only binds it
   * (an account with every privilege may write on a read-only MariaDB server), and it may read
   * replication status, as the SDK's discovery needs.
   */
  static List<String> appGrants(Flavor flavor) {
    return List.of("GRANT SELECT, INSERT, UPDATE, DELETE, "
        + (flavor == Flavor.MYSQL ? "REPLICATION CLIENT" : "SLAVE MONITOR")
        + " ON *.* TO 'app'@'%'");
  }

  /** A table of (id, value) rows, replicated everywhere before returning. */
  static void createTable(Topology t, String table) throws SQLException {
    try (Connection c = t.connect(t.primary()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(64) PRIMARY KEY, v BIGINT NOT NULL)");
    }
    for (Server r : t.replicas()) {
      Duration before = t.delay(r);
      t.setDelay(r, Duration.ZERO);
      if (!t.awaitCaughtUp(r, Duration.ofSeconds(60))) {
        throw new IllegalStateException(r.name() + " did not catch up");
      }
      t.setDelay(r, before);
    }
  }

  /** Upserts (id, v) through {@code c}. */
  static void write(Connection c, String table, String id, long v) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (id, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)")) {
      ps.setString(1, id);
      ps.setLong(2, v);
      ps.executeUpdate();
    }
  }

  /** The value of row {@code id}, or -1 when the row is missing. */
  static long read(Connection c, String table, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /**
   * Counts what the SDK reports, to assert where reads went. A brief wait (right after a write,
   * following the monitor) counts as {@code brief-reached} or {@code brief-timeout}, a full wait as
   * {@code wait-reached} or {@code wait-timeout}: a test tells one from the other.
   */
  static final class CountingMetrics implements CatchupMetrics {
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    long get(String key) {
      AtomicLong v = counts.get(key);
      return v == null ? 0 : v.get();
    }

    private void inc(String key) {
      counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void readRouted(Target target, String replica, Consistency consistency) {
      inc(target.name());
      if (replica != null) {
        inc("replica:" + replica);
      }
    }

    @Override
    public void waited(String replica, Duration waited, boolean reached) {
      inc(reached ? "wait-reached" : "wait-timeout");
    }

    @Override
    public void briefWaited(String replica, Duration waited, boolean reached) {
      inc(reached ? "brief-reached" : "brief-timeout");
    }

    @Override
    public void fellBack(FallbackReason reason) {
      inc("fallback:" + reason);
    }

    @Override
    public void failed(String replica) {
      inc("failed");
    }

    @Override
    public void gtidRecorded(int tokenSources) {
      inc("gtid");
    }

    @Override
    public void extraQuery(String server) {
      inc("extra");
      inc("extra:" + server);
    }

    @Override
    public void waitedForMonitor(Duration waited, boolean reached) {
      inc(reached ? "monitor-wait-reached" : "monitor-wait-timeout");
    }
  }
}
