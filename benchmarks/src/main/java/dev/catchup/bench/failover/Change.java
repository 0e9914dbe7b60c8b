package dev.catchup.bench.failover;

import dev.catchup.dialect.Dialect;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The topology change of a round, done with the testkit's failover operations step by step (as
 * {@link Topology#switchover} and {@link Topology#failover} do them), so that the instant
 * {@code promote} returned, from which everything is timed, is known.
 */
final class Change {
  /**
   * When the change happened, from {@link System#nanoTime()}.
   *
   * @param oldPrimary the primary before
   * @param newPrimary the promoted server
   * @param startedNanos the old primary made read-only (planned) or killed (unplanned)
   * @param promotedNanos {@code promote} returned: the new primary is writable
   * @param doneNanos every other server re-pointed to the new one
   */
  record Times(String oldPrimary, String newPrimary, long startedNanos, long promotedNanos,
      long doneNanos) {}

  private Change() {}

  /**
   * A planned switchover to the first replica: the primary read-only, the candidate caught up and
   * promoted, the other replicas and the old primary re-pointed to it. Nothing is lost.
   */
  static Times planned(Topology t, Duration catchUp) throws SQLException {
    Server old = t.primary();
    Server candidate = t.replicas().get(0);
    long started = System.nanoTime();
    t.setReadOnly(old, true);
    t.setDelay(candidate, Duration.ZERO);
    if (!t.awaitCaughtUp(candidate, catchUp)) {
      throw new IllegalStateException(candidate.name() + " did not catch up with " + old.name()
          + " within " + catchUp);
    }
    t.promote(candidate);
    long promoted = System.nanoTime();
    for (Server r : List.copyOf(t.replicas())) {
      t.repoint(r, candidate);
    }
    t.repoint(old, candidate);
    return new Times(old.name(), candidate.name(), started, promoted, System.nanoTime());
  }

  /**
   * An unplanned failover: the primary killed, the most advanced replica promoted at once (what it
   * had received but not applied is discarded), the others re-pointed to it and their delay
   * lifted. The dead primary stays dead.
   */
  static Times unplanned(Topology t) throws SQLException {
    Server old = t.primary();
    long started = System.nanoTime();
    t.kill(old);
    Server candidate = mostAdvanced(t);
    t.promote(candidate);
    long promoted = System.nanoTime();
    for (Server r : List.copyOf(t.replicas())) {
      t.repoint(r, candidate);
      t.setDelay(r, Duration.ZERO);
    }
    return new Times(old.name(), candidate.name(), started, promoted, System.nanoTime());
  }

  /** The replica that has applied the most, as a failover tool picks its candidate. */
  static Server mostAdvanced(Topology t) throws SQLException {
    Dialect dialect = Dialect.of(t.flavor());
    Server best = null;
    long most = -1;
    for (Server r : t.replicas()) {
      long applied;
      try (Connection c = t.connect(r)) {
        applied = dialect.readGtids(c, dialect.replicaExecutedQuery()).count();
      }
      if (applied > most) {
        best = r;
        most = applied;
      }
    }
    if (best == null) {
      throw new IllegalStateException("no replica to promote in " + t);
    }
    return best;
  }
}
