/**
 * GTID set algebra for MySQL and MariaDB: strict parsing, the canonical text servers print,
 * and containment, union, subtraction, intersection and counting on immutable values.
 *
 * <p>This package is the heart of Catchup: a consistency token is a {@link dev.catchup.gtid.GtidSet},
 * and every routed read asks whether a replica's set {@link dev.catchup.gtid.GtidSet#contains contains}
 * it. Values are normalised on construction so equality, hashing and printing are exact, and the
 * operations allocate little enough to sit on that hot path.
 *
 * <p>Public API: {@link dev.catchup.gtid.GtidSet}, {@link dev.catchup.gtid.MysqlGtidSet},
 * {@link dev.catchup.gtid.MariaDbGtidSet}, {@link dev.catchup.gtid.Flavor} and
 * {@link dev.catchup.gtid.GtidParseException}. The rest is package-private: interval arithmetic
 * ({@code Intervals}), the merge walks over two MySQL sets' sources ({@code MysqlSetAlgebra}), and
 * text scanning ({@code GtidScanner}, with one parser per flavor on top).
 */
package dev.catchup.gtid;
