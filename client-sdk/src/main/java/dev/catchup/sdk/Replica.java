package dev.catchup.sdk;

import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.GtidSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica: its pool, whether it is reachable, and a lower bound of what it has applied (GTIDs it
 * confirmed to a check or a wait), which lets reads skip the check when the token is already known
 * to be there. The bound is dropped whenever the replica fails, since a replica restored from an
 * older backup behind the same address would no longer have it.
 */
final class Replica implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Replica.class);
  private static final long MIN_BACKOFF_NANOS = Duration.ofMillis(500).toNanos();
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();

  private final String name;
  private final HikariDataSource pool;
  private final AtomicReference<GtidSet> knownApplied;
  private final GtidSet empty;
  private volatile long downUntilNanos;
  private volatile long backoffNanos = MIN_BACKOFF_NANOS;
  private volatile int failures;

  Replica(String name, HikariDataSource pool, GtidSet empty) {
    this.name = name;
    this.pool = pool;
    this.empty = empty;
    this.knownApplied = new AtomicReference<>(empty);
  }

  String name() {
    return name;
  }

  /** False while in back-off after a failure to connect. */
  boolean isAvailable(long nowNanos) {
    return nowNanos - downUntilNanos >= 0;
  }

  /** Borrows a connection, or null (and backs off) when the replica cannot be reached. */
  Connection borrow(long nowNanos) {
    try {
      Connection c = pool.getConnection();
      if (failures > 0) {
        log.info("replica {} is reachable again after {} failed attempt(s)", name, failures);
        failures = 0;
        backoffNanos = MIN_BACKOFF_NANOS;
      }
      return c;
    } catch (SQLException e) {
      markFailed(nowNanos, e);
      return null;
    }
  }

  /** Records a failure: skip this replica for a growing back-off and forget what it had applied. */
  void markFailed(long nowNanos, SQLException cause) {
    failures++;
    long backoff = backoffNanos;
    downUntilNanos = nowNanos + backoff;
    backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
    knownApplied.set(empty);
    log.warn("replica {} unavailable (attempt {}): {}; skipping it for {} ms", name, failures,
        cause.getMessage(), backoff / 1_000_000);
  }

  /** True when the replica is known to have applied every GTID of {@code gtids}. */
  boolean knownToHave(GtidSet gtids) {
    return knownApplied.get().contains(gtids);
  }

  /** Remembers that the replica confirmed {@code gtids}. */
  void confirmed(GtidSet gtids) {
    knownApplied.accumulateAndGet(gtids, GtidSet::union);
  }

  @Override
  public void close() {
    pool.close();
  }
}
