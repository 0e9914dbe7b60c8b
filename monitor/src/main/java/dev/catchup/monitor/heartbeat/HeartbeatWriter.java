package dev.catchup.monitor.heartbeat;

import dev.catchup.background.RunLoop;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.retry.Backoff;
import dev.catchup.retry.RetryStreak;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the heartbeat row on the primary at a fixed interval (as pt-heartbeat does), so that a
 * replica's lag can be read with sub-second precision on any flavor: replica clock minus the newest
 * heartbeat it has applied. MariaDB's binlog carries only whole-second timestamps; this is how its
 * lag gets finer. A failed write is retried with back-off. Its grants are in the {@code grants}
 * package's {@code MonitorGrants} (on MariaDB the upsert also needs SELECT).
 * It writes on the primary of the current topology: after a promotion, on the new one (the old
 * connection is closed); while there is no primary, nowhere.
 */
public final class HeartbeatWriter extends RunLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatWriter.class);
  public static final String TABLE = "catchup_monitor.heartbeat";
  public static final String LAG_SQL = "SELECT TIMESTAMPDIFF(MICROSECOND, ts, NOW(6)) FROM " + TABLE
      + " WHERE id = 1";
  static final String CREATE_SCHEMA_SQL = "CREATE DATABASE IF NOT EXISTS catchup_monitor";
  static final String CREATE_TABLE_SQL = "CREATE TABLE IF NOT EXISTS " + TABLE
      + " (id INT PRIMARY KEY, ts DATETIME(6) NOT NULL)";
  static final String WRITE_SQL = "INSERT INTO " + TABLE + " (id, ts) VALUES (1, NOW(6)) "
      + "ON DUPLICATE KEY UPDATE ts = NOW(6)";
  /** What a first write runs, in order; {@code GrantCheck} runs the same on the primary. */
  public static final List<String> WRITE_STATEMENTS = List.of(CREATE_SCHEMA_SQL, CREATE_TABLE_SQL, WRITE_SQL);

  private final Supplier<ServerEndpoint> primaries;
  private final Duration interval;
  private final Backoff backoff;
  private final Clock clock;
  private Connection connection; // loop thread only
  private ServerEndpoint primary; // the server of connection; loop thread only
  private RetryStreak writes; // loop thread only; a new one per primary

  /**
   * Writing on whichever server {@code primaries} names at each write; none while it gives null.
   *
   * @param interval between two writes
   * @param backoff between failed writes (starting at least at {@code interval})
   * @param clock the time of failed writes, for the log's reminders
   */
  public HeartbeatWriter(Supplier<ServerEndpoint> primaries, Duration interval, Backoff backoff,
      Clock clock) {
    super("heartbeat", "heartbeat-writer", "heartbeat writer", backoff, clock);
    this.primaries = primaries;
    this.interval = interval;
    this.backoff = backoff;
    this.clock = clock;
  }

  @Override
  protected void work() {
    ServerEndpoint now = primaries.get();
    if (now == null) {
      pause(interval); // no primary: nowhere to write
      return;
    }
    if (primary == null || !now.name().equals(primary.name())) {
      if (primary != null) {
        log.info("heartbeat writes move from {} to {}, the new primary", primary.name(), now.name());
        close(connection);
        connection = null;
      }
      // A failing old primary says nothing of the new one: its writes start a streak of their own.
      writes = new RetryStreak("heartbeat writes on " + now.name(), clock, backoff, log);
    }
    primary = now;
    try {
      if (connection == null) {
        connection = primary.connect();
        try (Statement s = connection.createStatement()) {
          s.execute(CREATE_SCHEMA_SQL);
          s.execute(CREATE_TABLE_SQL);
        }
      }
      try (Statement s = connection.createStatement()) {
        s.executeUpdate(WRITE_SQL);
      }
      writes.recovered();
      pause(interval);
    } catch (SQLException e) {
      close(connection);
      connection = null;
      pause(writes.failed(e, null));
    }
  }

  @Override
  protected void afterStop() {
    close(connection);
    connection = null;
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
    return "heartbeat writer";
  }

  @Override
  public void close() {
    stopWithin(Duration.ofSeconds(5));
  }
}
