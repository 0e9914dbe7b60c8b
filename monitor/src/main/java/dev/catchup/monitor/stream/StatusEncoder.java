package dev.catchup.monitor.stream;

import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;

/** Turns a server's status into the bytes of one Server-Sent Event (called once per change). */
public interface StatusEncoder {
  /**
   * @param s the status
   * @param state its state now
   * @param behind for a replica, its seconds behind the primary (null when unknown); null for the
   *     primary
   * @param topology the topology {@code s} was stamped with, which the event carries
   */
  byte[] event(ServerStatus s, ServerState state, Double behind, ReplicationTopology topology);
}
