/**
 * What differs between MySQL and MariaDB in the SQL Catchup runs, in one table:
 * {@link dev.catchup.dialect.Dialect}, keyed by {@link dev.catchup.gtid.Flavor}. The SDK, the
 * monitor and the benchmarks read their statements, column names and driver properties from it
 * rather than spelling them where they are used.
 */
package dev.catchup.dialect;
