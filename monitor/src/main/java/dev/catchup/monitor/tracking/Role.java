package dev.catchup.monitor.tracking;

/** A server's part in the topology. */
public enum Role {
  PRIMARY,
  REPLICA
}
