/**
 * Knowing what each server has applied: one {@link dev.catchup.monitor.tracking.ServerTracker} per
 * server drains what its binlog feed queued ({@code binlog}), and confirms each burst with a read
 * of the server's executed set ({@code ServerReads}), so only GTIDs visible to readers are
 * published. The {@link dev.catchup.monitor.tracking.Registry} holds the latest immutable
 * {@link dev.catchup.monitor.tracking.ServerStatus} of every server and each replica's lag,
 * computed once per publish into its {@code LagTable} ({@code ReplicaLag}, read by every consumer
 * as a {@link dev.catchup.monitor.tracking.LagReport}), and notifies subscribers and waiters.
 * The same reads say where each server stands ({@code topology}'s {@code ServerFacts}); from them
 * the registry derives the current topology ({@code CurrentTopology}, resolved by the
 * {@code topology} package) and follows it: lag, waits, commit times and the heartbeat all go by
 * the current primary. {@link dev.catchup.monitor.tracking.Trackers} checks the monitor's grants
 * ({@code grants}), starts a tracker per server and the heartbeat writer ({@code heartbeat}), adds
 * and removes trackers when the seed list is reloaded, and stops them all in parallel.
 */
package dev.catchup.monitor.tracking;
