/**
 * Knowing what each server has applied: one {@link dev.catchup.monitor.tracking.ServerTracker} per
 * server drains what its binlog feed queued ({@code binlog}), and confirms each burst with a read
 * of the server's executed set ({@code ServerReads}), so only GTIDs visible to readers are
 * published. The {@link dev.catchup.monitor.tracking.Registry} holds the latest immutable
 * {@link dev.catchup.monitor.tracking.ServerStatus} of every server and each replica's lag,
 * computed once per publish ({@code ReplicaLag}, read by every consumer as a
 * {@link dev.catchup.monitor.tracking.LagReport}), and notifies subscribers and waiters.
 * {@link dev.catchup.monitor.tracking.Trackers} checks the monitor's grants
 * ({@link dev.catchup.monitor.tracking.MonitorGrants}), starts a tracker per server and the
 * {@code HeartbeatWriter} (heartbeat mode), and stops them all in parallel.
 */
package dev.catchup.monitor.tracking;
