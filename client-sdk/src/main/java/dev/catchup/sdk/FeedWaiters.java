package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Reads waiting in the process, holding no connection, for the monitor to show a replica with
 * their token ({@link MonitorFeed#await}). An update wakes only the waiters it may satisfy (the
 * replica is one of theirs, UP, and covers their token), so a busy feed does not wake every waiter
 * on every event; a feed failure or a change of primary wakes them all.
 */
final class FeedWaiters {
  private static final long MAX_PARK_NANOS = Duration.ofMillis(250).toNanos();

  private record Waiter(List<String> names, GtidSet required, Thread thread) {}

  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private final ReplicaViews views;
  private final FeedHealth health;
  private final Ticker ticker;

  /** @param ticker the router's ticker: deadlines are its readings */
  FeedWaiters(ReplicaViews views, FeedHealth health, Ticker ticker) {
    this.views = views;
    this.health = health;
    this.ticker = ticker;
  }

  /** See {@link MonitorFeed#await(List, GtidSet, long, BooleanSupplier)}. */
  String await(List<String> names, GtidSet required, long deadlineNanos,
      BooleanSupplier abandoned) throws InterruptedException {
    String found = views.best(names, required, randomStart(names));
    if (found != null) {
      return found;
    }
    Waiter w = new Waiter(names, required, Thread.currentThread());
    waiters.add(w);
    try {
      while (true) {
        // Checked after registering: an update that landed before it is seen here, one that lands
        // after it unparks us (a permit given before park makes park return at once).
        found = views.best(names, required, randomStart(names));
        if (found != null) {
          return found;
        }
        long now = ticker.read();
        long left = deadlineNanos - now;
        if (left <= 0 || !health.usable() || abandoned.getAsBoolean()) {
          return null; // a stale feed: routing asks the servers for the rest of the wait
        }
        // Wake when the view would turn stale, not later: the read then asks the servers. The cap
        // re-checks anyway (a ticker that jumps, as in tests, is not a clock to sleep on).
        long staleIn = health.staleAtNanos() - now;
        LockSupport.parkNanos(this, Math.min(left, Math.min(MAX_PARK_NANOS, staleIn)));
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for the monitor");
        }
      }
    } finally {
      waiters.remove(w);
    }
  }

  private static int randomStart(List<String> names) {
    return ThreadLocalRandom.current().nextInt(Math.max(1, names.size()));
  }

  /** Wakes the waiters {@code view} satisfies. Called after the views hold it. */
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

  /** Wakes every waiter to check again (the feed failed, or the primary changed). */
  void wakeAll() {
    for (Waiter w : waiters) {
      LockSupport.unpark(w.thread());
    }
  }
}
