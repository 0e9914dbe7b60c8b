package dev.catchup.bench.strategies;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.Stats;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How long after its commit reply a write becomes visible on the replicas at the current delay:
 * a few probe writes, each polled for on every replica every millisecond on connections of the
 * probe's own. Context for the figures (what the servers do with a configured delay is not
 * exactly the delay), measured before the strategies run, never by them.
 */
final class ApplyProbe {
  /** The probe's row, apart from the catalog's and the workload's. */
  private static final long ID = 900_000_000L;
  private static final Duration POLL = Duration.ofMillis(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private ApplyProbe() {}

  /** Milliseconds from commit reply to visibility, one value per probe and replica. */
  static Stats measure(Topology t, int probes, AtomicLong values) throws SQLException {
    List<Double> millis = new ArrayList<>();
    try (Connection primary = t.connect(t.primary())) {
      List<Connection> replicas = new ArrayList<>();
      try {
        for (Server r : t.replicas()) {
          replicas.add(t.connect(r));
        }
        for (int i = 0; i < probes; i++) {
          long v = values.incrementAndGet();
          BenchTable.write(primary, ID, v);
          long committed = System.nanoTime();
          for (int k = 0; k < replicas.size(); k++) {
            while (BenchTable.read(replicas.get(k), ID) != v) {
              if (System.nanoTime() - committed > TIMEOUT.toNanos()) {
                throw new IllegalStateException(t.replicas().get(k).name() + " did not show a probe "
                    + "write within " + TIMEOUT);
              }
              LockSupport.parkNanos(POLL.toNanos());
            }
            millis.add((System.nanoTime() - committed) / 1e6);
          }
        }
      } finally {
        for (Connection c : replicas) {
          c.close();
        }
      }
    }
    return Stats.of(millis);
  }
}
