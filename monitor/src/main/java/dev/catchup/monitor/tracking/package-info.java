/**
 * Knowing what each server has applied: one {@link dev.catchup.monitor.tracking.ServerTracker} per
 * server tails its binlog (the callback only queues events), and its owned thread confirms each
 * burst with a read of the server's executed set, so only GTIDs visible to readers are published.
 * The {@link dev.catchup.monitor.tracking.Registry} holds the latest immutable
 * {@link dev.catchup.monitor.tracking.ServerStatus} of every server, computes lag, and notifies
 * subscribers and waiters.
 */
package dev.catchup.monitor.tracking;
