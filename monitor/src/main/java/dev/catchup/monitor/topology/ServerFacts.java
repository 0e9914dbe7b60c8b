package dev.catchup.monitor.topology;

import java.util.Objects;

/**
 * What a server says of its own place in the topology, read every reconcile interval: whether it
 * takes writes, who it is, and which source it replicates from. The input of
 * {@link TopologyResolver}; immutable.
 *
 * @param reachable false when the server could not be read (then the rest says nothing)
 * @param readOnly {@code read_only} or {@code super_read_only} is on
 * @param serverUuid its {@code server_uuid} (MySQL); null on MariaDB or when unreachable
 * @param serverId its {@code server_id}; 0 when unreachable
 * @param source where it replicates from; null when it has no replication configured
 */
public record ServerFacts(boolean reachable, boolean readOnly, String serverUuid, long serverId,
    Source source) {

  /** A server that could not be read. */
  public static final ServerFacts UNREACHABLE = new ServerFacts(false, false, null, 0, null);

  /**
   * The source a replica is configured to replicate from, as its replica status shows it.
   *
   * @param host the host as configured on the replica
   * @param port the port
   * @param serverId the source's server_id; 0 before the replica first connected
   * @param uuid the source's server_uuid (MySQL, once connected); null or empty when unknown
   * @param ioRunning the receiver thread is running (Yes)
   * @param sqlRunning the applier thread is running
   */
  public record Source(String host, int port, long serverId, String uuid, boolean ioRunning,
      boolean sqlRunning) {
    public Source {
      Objects.requireNonNull(host, "host");
    }
  }

  /** A reachable server's facts. */
  public static ServerFacts of(boolean readOnly, String serverUuid, long serverId, Source source) {
    return new ServerFacts(true, readOnly, serverUuid, serverId, source);
  }

  /** Reachable, writable and replicating from no one: a primary candidate. */
  boolean primaryCandidate() {
    return reachable && !readOnly && source == null;
  }
}
