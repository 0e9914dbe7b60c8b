package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.topology.ServerFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the monitor knows of one server at one moment. Immutable; a new one is published on every
 * change. Grouped by where each fact comes from: the server's own executed set
 * ({@link Confirmation}), its binlog stream ({@link Binlog}), and, on a replica, its replication
 * ({@link Replication}). {@link #confirmed()}, {@link #confirmedAt()} and {@link #feed()} are
 * shortcuts to the facts trust and routing rest on.
 *
 * @param name configured name
 * @param role the server's role in the registry's topology when published (the registry sets it)
 * @param confirmation what the server has made visible, as read from it
 * @param binlog what its binlog stream showed
 * @param replication on a replica, its replication threads and heartbeat lag (all null on the
 *     primary)
 * @param lastError the last error talking to the server, null when the last attempt succeeded
 * @param version increases with every published status of this server
 * @param facts what the server said of its place in the topology at its last read of it; null
 *     before the first read
 */
public record ServerStatus(String name, Role role, Confirmation confirmation, Binlog binlog,
    Replication replication, String lastError, long version, ServerFacts facts) {

  /** A status without topology facts. */
  public ServerStatus(String name, Role role, Confirmation confirmation, Binlog binlog,
      Replication replication, String lastError, long version) {
    this(name, role, confirmation, binlog, replication, lastError, version, null);
  }

  public ServerStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(confirmation, "confirmation");
    Objects.requireNonNull(binlog, "binlog");
    Objects.requireNonNull(replication, "replication");
  }

  /**
   * What the server has made visible to readers.
   *
   * @param confirmed GTIDs confirmed visible to readers (read from the server itself); routing
   *     uses only this
   * @param seen GTIDs seen in the binlog stream, which may run ahead of {@code confirmed} by the
   *     moment between the binlog write and the commit becoming visible
   * @param confirmedAt when {@code confirmed} was read; null before the first read
   */
  public record Confirmation(GtidSet confirmed, GtidSet seen, Instant confirmedAt) {
    public Confirmation {
      Objects.requireNonNull(confirmed, "confirmed");
      Objects.requireNonNull(seen, "seen");
    }
  }

  /**
   * What the server's binlog stream showed.
   *
   * @param state state of the binlog connection
   * @param lastEventAt when the last binlog event arrived; null before the first
   * @param transactionsPerSecond transactions seen per second, over the last few seconds
   * @param lastOriginalCommit original commit time of the last transaction; null if unknown
   * @param lastApplyDelay for the last transaction, its commit here minus its original commit on
   *     the primary (MySQL commit timestamps, microsecond precision); null when unknown
   * @param reconnects binlog reconnections so far
   * @param driftCorrections times the server's own executed set held GTIDs the stream had not
   *     shown
   * @param transactions transactions seen in the stream since the monitor started (a counter,
   *     for {@code /metrics}, where Prometheus computes the rate)
   */
  public record Binlog(FeedState state, Instant lastEventAt, double transactionsPerSecond,
      Instant lastOriginalCommit, Duration lastApplyDelay, long reconnects, long driftCorrections,
      long transactions) {
    public Binlog {
      Objects.requireNonNull(state, "state");
    }

    /** A stream with no transaction counted. */
    public Binlog(FeedState state, Instant lastEventAt, double transactionsPerSecond,
        Instant lastOriginalCommit, Duration lastApplyDelay, long reconnects, long driftCorrections) {
      this(state, lastEventAt, transactionsPerSecond, lastOriginalCommit, lastApplyDelay, reconnects,
          driftCorrections, 0);
    }
  }

  /**
   * A replica's replication, as read with its last confirmation.
   *
   * @param threads replication threads as last read; null for the primary, before the first read,
   *     when they could not be read, and as soon as the server cannot be reached
   * @param threadsError when {@code threads} is null on a replica: why (the server refused to show
   *     them, for example for a missing grant, or could not be reached); null otherwise
   * @param heartbeatLag with heartbeat mode on: the replica's clock minus the newest heartbeat row
   *     it has applied, as read just after {@code confirmedAt} (resolution: the heartbeat
   *     interval); null when off or unknown
   */
  public record Replication(ReplicationThreads threads, String threadsError, Duration heartbeatLag) {
    /** Nothing read. */
    public static final Replication NONE = new Replication(null, null, null);
  }

  /** A server not read yet: nothing confirmed, its feed connecting. */
  public static ServerStatus initial(String name, Role role, GtidSet empty) {
    return new ServerStatus(name, role, new Confirmation(empty, empty, null),
        new Binlog(FeedState.CONNECTING, null, 0, null, null, 0, 0), Replication.NONE, null, 0);
  }

  /** This status with another role and version. */
  ServerStatus as(Role newRole, long newVersion) {
    return new ServerStatus(name, newRole, confirmation, binlog, replication, lastError, newVersion,
        facts);
  }

  /** Shortcut: {@code confirmation().confirmed()}. */
  public GtidSet confirmed() {
    return confirmation.confirmed();
  }

  /** Shortcut: {@code confirmation().confirmedAt()}. */
  public Instant confirmedAt() {
    return confirmation.confirmedAt();
  }

  /** Shortcut: {@code binlog().state()}. */
  public FeedState feed() {
    return binlog.state();
  }

  /** How long ago {@code confirmed} was read, or null if it never was. */
  public Duration confirmationAge(Instant now) {
    return confirmedAt() == null ? null : Duration.between(confirmedAt(), now);
  }
}
