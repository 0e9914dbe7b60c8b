package dev.catchup.monitor.topology;

/** A server's part in the topology, as the monitor last discovered it. */
public enum Role {
  /** The one writable server that replicates from no one. */
  PRIMARY,
  /** A server that replicates from another (the primary, or a replica of it: a chain). */
  REPLICA,
  /**
   * Neither, or not known: a former primary that is down, a server that replicates from no one
   * and is read-only, or a second writable server beside the primary.
   */
  UNKNOWN
}
