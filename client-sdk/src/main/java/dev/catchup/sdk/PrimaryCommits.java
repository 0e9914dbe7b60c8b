package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the primary is known to have committed, to refuse tokens that name more: such a token (forged,
 * garbled, or from another cluster) can never be on a replica, and waiting for it would cost
 * {@code maxWait} and then a primary read each time. Known = what the monitor reported of the
 * primary, plus every executed set read from it. A token outside that costs one query of the
 * primary's executed set; concurrent reads share it (a read uses a query that started after it
 * arrived, since one that started earlier may predate the token's write). When the primary cannot
 * be asked, the read goes on unverified, as before: a primary outage must not fail replica reads.
 */
final class PrimaryCommits {
  private static final Logger log = LoggerFactory.getLogger(PrimaryCommits.class);

  /** Reads the primary's executed set. */
  interface Source {
    GtidSet executed() throws SQLException;
  }

  /**
   * What the primary is known to have committed, at one moment: the executed sets read from it and
   * what the monitor reported of it, each null when nothing is known yet.
   */
  record Known(GtidSet executed, GtidSet fromMonitor) {
    /** Nothing known. */
    static final Known NOTHING = new Known(null, null);

    /** True when either part contains every GTID of {@code gtids}. */
    boolean covers(GtidSet gtids) {
      return (executed != null && executed.contains(gtids))
          || (fromMonitor != null && fromMonitor.contains(gtids));
    }
  }

  private final Source source;
  private final Supplier<GtidSet> fromMonitor;
  /** Null until the first set is learned. */
  private final AtomicReference<GtidSet> known = new AtomicReference<>();
  private final ReentrantLock refreshing = new ReentrantLock();
  /** Refreshes started so far; written under {@link #refreshing}. */
  private final AtomicLong started = new AtomicLong();
  /** Whether the last refresh failed; guarded by {@link #refreshing}. */
  private boolean lastFailed;

  /**
   * @param source reads the primary's executed set
   * @param fromMonitor what the monitor reports the primary confirmed, or null when nothing
   */
  PrimaryCommits(Source source, Supplier<GtidSet> fromMonitor) {
    this.source = source;
    this.fromMonitor = fromMonitor;
  }

  /** Remembers that the primary has committed {@code committed}. */
  void learn(GtidSet committed) {
    GtidSet held = known.get();
    if (held == null || !held.contains(committed)) {
      known.accumulateAndGet(committed, (h, nu) -> h == null ? nu : h.union(nu));
    }
  }

  /** What the primary is known to have committed (without the monitor's part), or null. */
  GtidSet known() {
    return known.get();
  }

  /** What the primary is known to have committed now, the monitor's part included. */
  Known snapshot() {
    return new Known(known.get(), fromMonitor.get());
  }

  /**
   * Returns when the primary has committed every GTID of {@code gtids} (or cannot be asked).
   *
   * @throws UncommittedTokenException naming the GTIDs the primary lacks
   */
  void verify(GtidSet gtids) throws SQLException {
    if (covered(gtids)) {
      return;
    }
    long arrived = started.get();
    try {
      refreshing.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while reading the primary's executed set", "HY008", e);
    }
    try {
      if (started.get() == arrived) {
        // No query started since this read arrived (one that did has finished: we hold the lock).
        started.incrementAndGet();
        try {
          learn(source.executed());
          lastFailed = false;
        } catch (SQLException e) {
          lastFailed = true;
          log.debug("could not read the primary's executed set to verify a token: {}",
              e.getMessage());
        }
      }
      if (lastFailed || covered(gtids)) {
        return;
      }
      GtidSet held = known.get();
      GtidSet missing = held == null ? gtids : gtids.subtract(held);
      GtidSet monitor = fromMonitor.get();
      if (monitor != null) {
        missing = missing.subtract(monitor);
      }
      throw new UncommittedTokenException(missing.toString());
    } finally {
      refreshing.unlock();
    }
  }

  private boolean covered(GtidSet gtids) {
    return snapshot().covers(gtids);
  }
}
