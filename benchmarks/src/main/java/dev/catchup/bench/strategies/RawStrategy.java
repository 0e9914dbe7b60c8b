package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.CountingMetrics;
import dev.catchup.bench.harness.GtidWait;
import dev.catchup.bench.harness.RawPools;
import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.CatchupMetrics.Target;
import dev.catchup.sdk.Consistency;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The strategies people use today without Catchup, over plain pools ({@link RawPools}). Each
 * reports its routing through {@link CountingMetrics} as the SDK does: {@code readRouted} for
 * every read, {@code extraQuery} and {@code waited} for a wait it runs, {@code fellBack} when it
 * reads on the primary because a wait timed out.
 */
abstract sealed class RawStrategy implements Strategy
    permits RawStrategy.NaiveSplit, RawStrategy.PrimaryOnly, RawStrategy.Sticky,
    RawStrategy.ReplicaWait {
  final RawPools pools;
  final CountingMetrics metrics = CountingMetrics.recordingWaits(System::nanoTime);

  private RawStrategy(RawPools pools) {
    this.pools = pools;
  }

  @Override
  public CountingMetrics metrics() {
    return metrics;
  }

  /** Reads on the next replica in rotation. */
  Connection onReplica() throws SQLException {
    int i = pools.nextReplica();
    Connection c = pools.replica(i);
    metrics.readRouted(Target.REPLICA, pools.replicaName(i), Consistency.EVENTUAL);
    return c;
  }

  Connection onPrimary() throws SQLException {
    Connection c = pools.primary();
    metrics.readRouted(Target.PRIMARY, null, Consistency.PRIMARY);
    return c;
  }

  /** Every read on a replica, in rotation: what a plain read/write split does. */
  static final class NaiveSplit extends RawStrategy {
    NaiveSplit(RawPools pools) {
      super(pools);
    }

    @Override
    public String id() {
      return "naive-split";
    }

    @Override
    public String description() {
      return "every read on a replica (in rotation), no check";
    }

    @Override
    public Client newClient() {
      return Client.of(pools::primary, this::onReplica);
    }
  }

  /** Every read on the primary. */
  static final class PrimaryOnly extends RawStrategy {
    PrimaryOnly(RawPools pools) {
      super(pools);
    }

    @Override
    public String id() {
      return "primary-only";
    }

    @Override
    public String description() {
      return "every read on the primary";
    }

    @Override
    public Client newClient() {
      return Client.of(pools::primary, this::onPrimary);
    }
  }

  /**
   * Reads on the primary for a fixed time after the session's last write, on a replica after
   * that: what web frameworks' "sticky" read/write connections do.
   */
  static final class Sticky extends RawStrategy {
    private final Duration window;
    private final LongSupplier nanoTime;

    /** @param nanoTime the clock ({@code System::nanoTime}; a test passes its own) */
    Sticky(RawPools pools, Duration window, LongSupplier nanoTime) {
      super(pools);
      this.window = window;
      this.nanoTime = nanoTime;
    }

    @Override
    public String id() {
      return "sticky-primary";
    }

    @Override
    public String description() {
      return "reads on the primary for " + window.toSeconds() + " s after the session's last "
          + "write, else on a replica";
    }

    /** Whether a read {@code sinceWriteNanos} after the session's last write stays on the primary. */
    boolean sticks(long sinceWriteNanos) {
      return sinceWriteNanos < window.toNanos();
    }

    @Override
    public Client newClient() {
      return new Client() {
        private boolean wrote;
        private long lastWrite;

        @Override
        public void write(long id, long value) throws SQLException {
          try (Connection c = pools.primary()) {
            BenchTable.write(c, id, value);
          }
          wrote = true;
          lastWrite = nanoTime.getAsLong(); // the commit reply has arrived
        }

        @Override
        public Connection readConnection() throws SQLException {
          return wrote && sticks(nanoTime.getAsLong() - lastWrite) ? onPrimary() : onReplica();
        }
      };
    }
  }

  /**
   * Before a read that follows a write, waits on the chosen replica's connection for the write's
   * GTID ({@code WAIT_FOR_EXECUTED_GTID_SET} on MySQL, {@code MASTER_GTID_WAIT} on MariaDB), then
   * reads there; past the timeout, reads on the primary. The GTID comes from the write's own
   * reply (session state tracking), as proxies that wait learn it. Once a replica has shown the
   * session's last write, later reads there do not wait again until the next write.
   */
  static final class ReplicaWait extends RawStrategy {
    private final Dialect dialect;
    private final Duration timeout;

    ReplicaWait(RawPools pools, Flavor flavor, Duration timeout) {
      super(pools);
      this.dialect = Dialect.of(flavor);
      this.timeout = timeout;
    }

    @Override
    public String id() {
      return "replica-gtid-wait";
    }

    @Override
    public String description() {
      return "before a read that follows a write, a GTID wait on the replica's connection (up to "
          + timeout.toMillis() / 1000.0 + " s, then the primary)";
    }

    @Override
    public Client newClient() {
      return new Client() {
        private String pending;
        private final Set<String> caughtUp = new HashSet<>();

        @Override
        public void write(long id, long value) throws SQLException {
          try (Connection c = pools.primary()) {
            BenchTable.write(c, id, value);
            pending = GtidWait.writtenGtid(c, dialect);
          }
          caughtUp.clear();
        }

        @Override
        public Connection readConnection() throws SQLException {
          int i = pools.nextReplica();
          String name = pools.replicaName(i);
          Connection c = pools.replica(i);
          if (pending != null && !caughtUp.contains(name)) {
            boolean reached;
            try {
              metrics.extraQuery(name);
              long start = System.nanoTime();
              reached = GtidWait.await(c, dialect, pending, timeout);
              metrics.waited(name, Duration.ofNanos(System.nanoTime() - start), reached);
            } catch (SQLException | RuntimeException e) {
              c.close();
              throw e;
            }
            if (!reached) {
              c.close();
              metrics.fellBack(FallbackReason.NOT_CAUGHT_UP);
              return onPrimary();
            }
            caughtUp.add(name);
          }
          metrics.readRouted(Target.REPLICA, name, Consistency.READ_YOUR_WRITES);
          return c;
        }
      };
    }

  }
}
