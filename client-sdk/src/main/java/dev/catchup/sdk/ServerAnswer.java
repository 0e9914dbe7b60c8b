package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;

/**
 * What one configured server said when asked its role ({@link ServerProbe}), or why it could not
 * be asked.
 *
 * @param name the server's configured name
 * @param error why it could not be asked, or null when it answered
 * @param readOnly {@code @@read_only} or {@code @@super_read_only} is on
 * @param identity MySQL {@code @@server_uuid}, MariaDB {@code @@server_id}
 * @param executed its executed set (MySQL) or position (MariaDB)
 * @param state MariaDB: what it has of each server per domain; null on MySQL
 * @param replication its replica status, or null when it has none (not a replica, or reset)
 */
record ServerAnswer(String name, String error, boolean readOnly, String identity,
    GtidSet executed, MariaDbBinlogState state, Replication replication) {

  /**
   * A server's replica status.
   *
   * @param sourceHost where it replicates from
   * @param ioRunning the receiver: Yes, No or Connecting
   * @param sqlRunning the applier: Yes or No
   */
  record Replication(String sourceHost, int sourcePort, String ioRunning, String sqlRunning) {
    /** A receiver that runs or tries to, or an applier that runs: it follows a source. */
    boolean running() {
      return "Yes".equalsIgnoreCase(ioRunning) || "Connecting".equalsIgnoreCase(ioRunning)
          || "Yes".equalsIgnoreCase(sqlRunning);
    }

    @Override
    public String toString() {
      return "replicates from " + sourceHost + ":" + sourcePort + " (IO " + ioRunning + ", SQL "
          + sqlRunning + ")";
    }
  }

  /** A server that could not be asked. */
  static ServerAnswer unreachable(String name, String why) {
    return new ServerAnswer(name, why, false, null, null, null, null);
  }

  boolean reached() {
    return error == null;
  }

  boolean replicates() {
    return reached() && replication != null && replication.running();
  }

  /** Writable and following no source: what a primary looks like. */
  boolean actsAsPrimary() {
    return reached() && !readOnly && !replicates();
  }

  /** For messages: what the server said. */
  String said() {
    if (!reached()) {
      return name + ": unreachable (" + error + ")";
    }
    return name + ": " + (readOnly ? "read-only" : "writable") + ", "
        + (replication == null ? "no replica status"
            : replication.running() ? replication.toString()
                : "replication stopped (" + replication + ")");
  }
}
