/**
 * Whether the monitor can work with a server at all: the privileges its user needs, per flavor
 * and mode ({@link dev.catchup.monitor.grants.MonitorGrants}, one table shown in the README and
 * used by the test fixtures), and {@link dev.catchup.monitor.grants.GrantCheck}, which runs what
 * the monitor will run (after {@code VersionCheck}, refusing an unsupported release with an
 * {@link dev.catchup.monitor.grants.UnsupportedServerException}) on every server at start, or
 * once a server that was not reachable then answers its tracker, and reports each missing
 * grant with the statement that grants it
 * ({@link dev.catchup.monitor.grants.MissingGrantsException}).
 */
package dev.catchup.monitor.grants;
