/**
 * Who is primary and who replicates from whom. Each server's own report of its place
 * ({@link dev.catchup.monitor.topology.ServerFacts}: writable or read-only, which source it
 * replicates from) and of its replication threads
 * ({@link dev.catchup.monitor.topology.ReplicationThreads}),
 * the configured seed list ({@link dev.catchup.monitor.topology.Seed}), and the topology derived
 * from them by {@link dev.catchup.monitor.topology.TopologyResolver}, a pure function tested as a
 * table: one immutable {@link dev.catchup.monitor.topology.ReplicationTopology} with a
 * {@link dev.catchup.monitor.topology.Role} per server and a generation that grows with each
 * change. Values and rules only, no I/O: the trackers read the facts, and the registry
 * ({@code tracking}) derives and holds the current topology.
 */
package dev.catchup.monitor.topology;
