/**
 * Lag over time. Each replica's current lag is computed once per publish by the registry
 * ({@code tracking}: {@code Registry}, {@code ReplicaLag}, {@code LagReport}) and read from there by
 * every consumer; this package keeps its history: {@link dev.catchup.monitor.lag.LagHistory}
 * samples every replica on a timer into a fixed {@code SampleRing} of
 * {@link dev.catchup.monitor.lag.LagSample}s, which {@code /history} and the status page's chart
 * show.
 */
package dev.catchup.monitor.lag;
