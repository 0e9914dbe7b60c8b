package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reads waiting in the process, holding no connection, for the monitor to show a replica whose
 * view proves their token ({@link MonitorFeed#await}). An update wakes only the waiters it may end
 * a wait for (the replica is one of theirs, UP, and passes their token at least by sequence
 * number), so a busy feed does not wake every waiter on every event; a feed failure or a change of
 * primary wakes them all.
 */
final class FeedWaiters {
  private static final Duration MAX_PARK = Duration.ofMillis(250);

  private record Waiter(List<String> names, GtidSet required, Thread thread) {}

  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private final ReplicaViews views;
  private final FeedHealth health;
  private final Ticker ticker;
  private final long maxParkNanos;

  /** @param ticker the router's ticker: deadlines are its readings */
  FeedWaiters(ReplicaViews views, FeedHealth health, Ticker ticker) {
    this(views, health, ticker, MAX_PARK);
  }

  /**
   * @param maxPark the longest a waiter sleeps before it checks again unwoken; tests make it long
   *     so that only a wake-up can end a wait
   */
  FeedWaiters(ReplicaViews views, FeedHealth health, Ticker ticker, Duration maxPark) {
    this.views = views;
    this.health = health;
    this.ticker = ticker;
    this.maxParkNanos = maxPark.toNanos();
  }

  /** See {@link MonitorFeed#await(List, GtidSet, long, Supplier, BooleanSupplier)}. */
  String await(List<String> names, GtidSet required, long deadlineNanos, Supplier<Fence> fence,
      BooleanSupplier abandoned) throws InterruptedException {
    End end = end(names, required, fence.get());
    if (end != null) {
      return end.replica();
    }
    Waiter w = new Waiter(names, required, Thread.currentThread());
    waiters.add(w);
    try {
      while (true) {
        // Checked after registering: an update that landed before it is seen here, one that lands
        // after it unparks us (a permit given before park makes park return at once).
        end = end(names, required, fence.get());
        if (end != null) {
          return end.replica();
        }
        long now = ticker.read();
        long left = deadlineNanos - now;
        if (left <= 0 || !health.usable() || abandoned.getAsBoolean()) {
          return null; // a stale feed: routing asks the servers for the rest of the wait
        }
        // Wake when the view would turn stale, not later: the read then asks the servers. The cap
        // re-checks anyway (a ticker that jumps, as in tests, is not a clock to sleep on).
        long staleIn = health.staleAtNanos() - now;
        LockSupport.parkNanos(this, Math.min(left, Math.min(maxParkNanos, staleIn)));
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for the monitor");
        }
      }
    } finally {
      waiters.remove(w);
    }
  }

  /** A wait that ends now: on {@code replica}, or with null for the servers to be asked. */
  private record End(String replica) {}

  /**
   * Whether the views end a wait for {@code required} among {@code names}, and how; null to wait
   * on. The replica is proven as routing proves it ({@link ReplicaViews#bestProven}, the rule of
   * {@link MonitorStage}), so a replica handed back needs no second check. A view that passes the
   * token only by sequence number (MariaDB: a GTID of another server, perhaps lost in a failover)
   * ends the wait with none: the monitor will never prove it, a replica's own state can.
   */
  private End end(List<String> names, GtidSet required, Fence fence) {
    ReplicaViews.Pick pick = views.bestProven(names, required, randomStart(names), fence);
    if (pick == null) {
      return null;
    }
    return new End(pick.proven() ? pick.name() : null);
  }

  private static int randomStart(List<String> names) {
    return ThreadLocalRandom.current().nextInt(Math.max(1, names.size()));
  }

  /**
   * Wakes the waiters {@code view} may end a wait for. Called after the views hold it. The test is
   * by sequence number on purpose: a view that passes only so ends the wait too (see {@link #end});
   * the waiter proves the token itself, under its fence.
   */
  void wakeSatisfied(ReplicaViews.ReplicaView view) {
    if (!view.up()) {
      return;
    }
    for (Waiter w : waiters) {
      if (w.names().contains(view.name()) && view.confirmed().contains(w.required())) {
        LockSupport.unpark(w.thread());
      }
    }
  }

  /** Reads waiting now (registered, parked or about to park): for tests. */
  int waiting() {
    return waiters.size();
  }

  /** Wakes every waiter to check again (the feed failed, or the primary changed). */
  void wakeAll() {
    for (Waiter w : waiters) {
      LockSupport.unpark(w.thread());
    }
  }
}
