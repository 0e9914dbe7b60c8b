package dev.catchup.sdk;

import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.GtidSet;
import dev.catchup.retry.Backoff;
import dev.catchup.retry.RetryStreak;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server as reads see it (every configured server has one, since any may join the read
 * rotation after a failover): its pool, whether it is reachable, and a lower bound of what it has
 * applied (GTIDs it confirmed to a check or a wait), which lets reads skip the check when the token
 * is already known to be there. The bound is dropped whenever the replica fails, since a replica restored from an
 * older backup behind the same address would no longer have it.
 */
final class Replica implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Replica.class);
  /**
   * Doubling from 500 ms to 30 s, the full step with no jitter (as it always was here): it only
   * decides how long this process's reads skip the replica, and tests pin it (ReplicaTest).
   */
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30),
      n -> n);

  private final String name;
  private final HikariDataSource pool;
  private final AtomicReference<GtidSet> knownApplied;
  private final GtidSet empty;
  private volatile long downUntilNanos;
  /**
   * The back-off after each failed attempt, and what the log says of an outage: one warning, a
   * count once a minute, one line at the end. Guarded by this, except its (volatile) attempts.
   */
  private final RetryStreak outage;
  // Only a hint for the router's message and policy; races merely pick the other wording.
  private volatile boolean busy;

  /**
   * @param clock the time of failures, for the outage's reminders and length: the router's ticker
   *     as a clock ({@link TickerClock}), so that it keeps the time of the back-off
   */
  Replica(String name, HikariDataSource pool, GtidSet empty, Clock clock) {
    this.name = name;
    this.pool = pool;
    this.empty = empty;
    this.knownApplied = new AtomicReference<>(empty);
    this.outage = new RetryStreak("replica " + name, clock, BACKOFF, "skipping it for", log);
  }

  String name() {
    return name;
  }

  /** False while in back-off after a failure to connect. */
  boolean isAvailable(long nowNanos) {
    return nowNanos - downUntilNanos >= 0;
  }

  /**
   * Borrows a connection, or null: when the replica cannot be reached (and then backs off), or when
   * its pool is exhausted ({@link #isBusy()}; a busy replica is alive, so it is not backed off and
   * what it has applied is not forgotten).
   */
  Connection borrow(long nowNanos) {
    busy = false;
    try {
      Connection c = pool.getConnection();
      if (outage.attempts() > 0) {
        recovered();
      }
      return c;
    } catch (SQLException e) {
      var mx = pool.getHikariPoolMXBean();
      if (mx != null && mx.getActiveConnections() >= pool.getMaximumPoolSize()) {
        busy = true; // every connection is in use: the replica is fine, the pool is too small
        log.debug("replica {} pool exhausted: {}", name, e.getMessage());
        return null;
      }
      markFailed(nowNanos, e);
      return null;
    }
  }

  /** True when a recent {@link #borrow} found the pool exhausted (a hint: concurrent borrows may overwrite it). */
  boolean isBusy() {
    return busy;
  }

  /**
   * Records a failure: skip this replica for a growing back-off and forget what it had applied.
   * Synchronized so that concurrent failures of one outage escalate the back-off once each, not in
   * a race.
   */
  synchronized void markFailed(long nowNanos, SQLException cause) {
    if (nowNanos - downUntilNanos < 0) {
      return; // already backing off for this outage
    }
    knownApplied.set(empty);
    downUntilNanos = nowNanos + outage.failed(cause, null).toNanos();
  }

  private synchronized void recovered() {
    outage.recovered();
  }

  /** True when the replica is known to have applied every GTID of {@code gtids}. */
  boolean knownToHave(GtidSet gtids) {
    return knownApplied.get().contains(gtids);
  }

  /** What the replica is known to have applied (a lower bound; empty after a failure). */
  GtidSet knownApplied() {
    return knownApplied.get();
  }

  /** Remembers that the replica confirmed {@code gtids}. */
  void confirmed(GtidSet gtids) {
    // Most confirmations are known already (every read the monitor routes confirms its token):
    // no write then, so reading threads do not take the reference's cache line from each other.
    if (!knownApplied.get().contains(gtids)) {
      knownApplied.accumulateAndGet(gtids, GtidSet::union);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
