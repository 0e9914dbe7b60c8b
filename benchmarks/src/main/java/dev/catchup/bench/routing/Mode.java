package dev.catchup.bench.routing;

/** How reads reach the replica in a measurement. */
enum Mode {
  /** A plain HikariCP pool per server: the application splits reads itself, with no guarantee. */
  RAW("raw JDBC"),
  /** {@code CatchupDataSource} following the monitor's event stream. */
  MONITOR("Catchup + monitor"),
  /** {@code CatchupDataSource} without a monitor: it asks the replica (check or wait query). */
  DIRECT("Catchup direct");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  /** The name the results use. */
  String label() {
    return label;
  }
}
