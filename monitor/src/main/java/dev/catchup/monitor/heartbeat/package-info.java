/**
 * Heartbeat mode ({@code heartbeatInterval} set):
 * {@link dev.catchup.monitor.heartbeat.HeartbeatWriter}
 * writes the heartbeat row on the current primary at a fixed interval, so that each replica's lag
 * is read with sub-second precision on any flavor; the trackers read it back on the replicas
 * ({@link dev.catchup.monitor.heartbeat.HeartbeatWriter#LAG_SQL}) and the grant check runs its
 * statements ({@link dev.catchup.monitor.heartbeat.HeartbeatWriter#WRITE_STATEMENTS}).
 */
package dev.catchup.monitor.heartbeat;
