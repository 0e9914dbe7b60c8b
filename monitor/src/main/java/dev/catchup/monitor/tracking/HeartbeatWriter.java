package dev.catchup.monitor.tracking;

import dev.catchup.monitor.background.Background;
import dev.catchup.monitor.connect.ServerEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the heartbeat row on the primary at a fixed interval (as pt-heartbeat does), so that a
 * replica's lag can be read with sub-second precision on any flavor: replica clock minus the newest
 * heartbeat it has applied. MariaDB's binlog carries only whole-second timestamps; this is how its
 * lag gets finer. Its grants are in {@link MonitorGrants} (on MariaDB the upsert also needs SELECT).
 */
final class HeartbeatWriter implements AutoCloseable, Background {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatWriter.class);
  static final String TABLE = "catchup_monitor.heartbeat";
  static final String LAG_SQL = "SELECT TIMESTAMPDIFF(MICROSECOND, ts, NOW(6)) FROM " + TABLE
      + " WHERE id = 1";
  static final String CREATE_SCHEMA_SQL = "CREATE DATABASE IF NOT EXISTS catchup_monitor";
  static final String CREATE_TABLE_SQL = "CREATE TABLE IF NOT EXISTS " + TABLE
      + " (id INT PRIMARY KEY, ts DATETIME(6) NOT NULL)";
  static final String WRITE_SQL = "INSERT INTO " + TABLE + " (id, ts) VALUES (1, NOW(6)) "
      + "ON DUPLICATE KEY UPDATE ts = NOW(6)";
  /** What a first write runs, in order; {@link GrantCheck} runs the same on the primary. */
  static final List<String> WRITE_STATEMENTS = List.of(CREATE_SCHEMA_SQL, CREATE_TABLE_SQL, WRITE_SQL);

  private final ServerEndpoint primary;
  private final Duration interval;
  private final Thread thread;
  private volatile boolean running = true;

  HeartbeatWriter(ServerEndpoint primary, Duration interval) {
    this.primary = primary;
    this.interval = interval;
    this.thread = new Thread(this::run, "heartbeat-" + primary.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    Connection c = null;
    int failures = 0;
    while (running) {
      try {
        if (c == null) {
          c = primary.connect();
          try (Statement s = c.createStatement()) {
            s.execute(CREATE_SCHEMA_SQL);
            s.execute(CREATE_TABLE_SQL);
          }
        }
        try (Statement s = c.createStatement()) {
          s.executeUpdate(WRITE_SQL);
        }
        if (failures > 0) {
          log.info("heartbeat writes on {} resumed after {} failure(s)", primary.name(), failures);
          failures = 0;
        }
      } catch (SQLException e) {
        if (failures++ == 0) {
          log.warn("heartbeat write on {} failed (will retry every {} ms): {}", primary.name(),
              interval.toMillis(), e.getMessage());
        }
        close(c);
        c = null;
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
    close(c);
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing the heartbeat connection failed: {}", e.getMessage());
      }
    }
  }

  @Override
  public String name() {
    return "heartbeat writer on " + primary.name();
  }

  @Override
  public void requestStop() {
    running = false;
    thread.interrupt();
  }

  @Override
  public boolean awaitStop(Duration within) throws InterruptedException {
    thread.join(Math.max(1, within.toMillis()));
    return !thread.isAlive();
  }

  @Override
  public void close() {
    requestStop();
    try {
      awaitStop(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
