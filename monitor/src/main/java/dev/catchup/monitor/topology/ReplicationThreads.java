package dev.catchup.monitor.topology;

/**
 * A replica's replication threads, as {@code SHOW REPLICA STATUS} (MySQL) or {@code SHOW SLAVE
 * STATUS} (MariaDB) reports them.
 *
 * @param ioRunning {@code Replica_IO_Running}/{@code Slave_IO_Running}: Yes, No or Connecting
 * @param sqlRunning {@code Replica_SQL_Running}/{@code Slave_SQL_Running}: Yes or No
 * @param lastIoError last receiver error, empty when none
 * @param lastSqlError last applier error, empty when none
 * @param secondsBehindSource the server's own estimate, null when it reports none
 * @param sqlDelay the configured apply delay in seconds
 */
public record ReplicationThreads(String ioRunning, String sqlRunning, String lastIoError,
    String lastSqlError, Long secondsBehindSource, long sqlDelay) {

  /** True when both threads run. */
  public boolean running() {
    return "Yes".equalsIgnoreCase(ioRunning) && "Yes".equalsIgnoreCase(sqlRunning);
  }
}
