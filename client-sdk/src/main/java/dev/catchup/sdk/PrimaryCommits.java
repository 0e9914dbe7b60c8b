package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
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
 *
 * <p>What is known belongs to one primary: each set learned is tagged with the {@link Roles}
 * generation current before it was read, and a set of an older generation counts for nothing (the
 * old primary may have committed what the new one never received). The monitor's part is what the
 * monitor reports of the server that is primary in the roles asked about, and only while the
 * monitor itself calls it primary: what it said of a former primary counts for nothing.
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

    /** True when either part contains every GTID of {@code gtids} (no fence: the configured primary). */
    boolean covers(GtidSet gtids) {
      return covers(gtids, null);
    }

    /**
     * True when either part covers every GTID of {@code gtids}. The executed sets were read from
     * this generation's primary itself, the server the read would go to, so containment is
     * enough (after a change of primary {@link Fence#lost} has already refused what it lacks). The
     * monitor's part is its view of "the primary", a MariaDB position that after a failover may
     * describe another server: it counts only under the server-aware {@link Coverage} rule.
     */
    boolean covers(GtidSet gtids, Fence fence) {
      return (executed != null && executed.contains(gtids))
          || (fromMonitor != null && Coverage.covers(fromMonitor, gtids, fence));
    }
  }

  /** A set the primary of {@code generation} had committed. */
  private record Learned(long generation, GtidSet set) {}

  private final Source source;
  private final Function<String, GtidSet> fromMonitor;
  private final Supplier<Roles> roles;
  /** Null until the first set is learned. */
  private final AtomicReference<Learned> known = new AtomicReference<>();
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
    this(source, name -> fromMonitor.get(), () -> CONFIGURED);
  }

  private static final Roles CONFIGURED = Roles.configured("primary", java.util.List.of(), false);

  /**
   * @param fromMonitor what the monitor reports a server confirmed while it calls it primary, by
   *     name; null when it does not
   * @param roles the current roles
   */
  PrimaryCommits(Source source, Function<String, GtidSet> fromMonitor, Supplier<Roles> roles) {
    this.source = source;
    this.fromMonitor = fromMonitor;
    this.roles = roles;
  }

  /** The current generation, to read before asking the primary (see {@link #learn(long, GtidSet)}). */
  long generation() {
    return roles.get().generation();
  }

  /** Remembers that the primary (of the current generation) has committed {@code committed}. */
  void learn(GtidSet committed) {
    learn(generation(), committed);
  }

  /**
   * Remembers that the primary of {@code gen} has committed {@code committed}; {@code gen} must be
   * read before the set was, so a change of primary in between tags it too old, never too new.
   */
  void learn(long gen, GtidSet committed) {
    Learned held = known.get();
    if (held != null && held.generation() == gen && held.set().contains(committed)) {
      return;
    }
    known.accumulateAndGet(new Learned(gen, committed), (h, nu) -> h == null
        || h.generation() < nu.generation() ? nu : h.generation() > nu.generation() ? h
        : new Learned(h.generation(), h.set().union(nu.set())));
  }

  /** What the current primary is known to have committed (without the monitor's part), or null. */
  GtidSet known() {
    return known(generation());
  }

  private GtidSet known(long gen) {
    Learned held = known.get();
    return held == null || held.generation() != gen ? null : held.set();
  }

  /** What the current primary is known to have committed now, the monitor's part included. */
  Known snapshot() {
    return snapshot(roles.get());
  }

  /** What the primary of {@code r} is known to have committed. */
  Known snapshot(Roles r) {
    return new Known(known(r.generation()), fromMonitor.apply(r.primary()));
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
          long gen = generation();
          learn(gen, source.executed());
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
      Known now = snapshot();
      GtidSet held = now.executed();
      GtidSet missing = held == null ? gtids : gtids.subtract(held);
      GtidSet monitor = now.fromMonitor();
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
