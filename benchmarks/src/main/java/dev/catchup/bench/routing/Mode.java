package dev.catchup.bench.routing;

/** How reads reach the replica in a measurement. */
enum Mode {
  /** A plain HikariCP pool per server: the application splits reads itself, with no guarantee. */
  RAW("raw JDBC"),
  /** {@code CatchupDataSource} following the monitor's event stream. */
  MONITOR("Catchup + monitor"),
  /** {@code CatchupDataSource} without a monitor: it asks the replica (check or wait query). */
  DIRECT("Catchup direct"),
  /**
   * Plain pools and, before a read that follows a write, a GTID wait on the replica's connection
   * ({@code WAIT_FOR_EXECUTED_GTID_SET} / {@code MASTER_GTID_WAIT}) for the write's GTID from its
   * reply: what proxies that wait (ProxySQL, MySQL Router) do.
   */
  PROXY_WAIT("proxy-style GTID wait");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  /** The name the results use. */
  String label() {
    return label;
  }
}
