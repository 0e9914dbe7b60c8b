/**
 * Real replicated MySQL and MariaDB topologies for tests and benchmarks.
 *
 * <p>{@link dev.catchup.testkit.Topologies#shared} starts one primary-plus-replicas topology per
 * {@link dev.catchup.testkit.ServerKind} (a flavor and its release: MySQL 9, MariaDB 10.11, MariaDB
 * 11.8) per JVM, through {@code scripts/topology.sh} (local servers, no Docker needed), and tears it
 * down when the JVM's tests finish. {@link dev.catchup.testkit.TopologyExtension} hands them to
 * JUnit 5 tests as parameters. Nothing here is mocked: the servers replicate with GTIDs and a real,
 * adjustable delay. {@link dev.catchup.testkit.TestClock} is a clock tests move, for code that
 * takes an injected {@link java.time.Clock}; {@link dev.catchup.testkit.LogCapture} keeps what one
 * logger logs during a test.
 */
package dev.catchup.testkit;
