package dev.catchup.monitor.tracking;

import dev.catchup.gtid.GtidSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The pending {@link Registry#awaitConfirmed} calls: each is offered every replica status the
 * registry publishes and completes with the first UP one that confirmed its GTIDs. Bounded in
 * number ({@link Registry#MAX_WAITERS}) since each costs a check per publish. Thread-safe.
 */
final class Waiters {
  private final List<Waiter> waiting = new CopyOnWriteArrayList<>();
  private final int limit;
  private final Predicate<ServerStatus> up;

  /**
   * @param limit most waiters pending at once
   * @param up whether a status can be trusted now (its server is UP)
   */
  Waiters(int limit, Predicate<ServerStatus> up) {
    this.limit = limit;
    this.up = up;
  }

  /**
   * A waiter for {@code gtids} on {@code replica} (any when null), offered {@code current} first so
   * that even a zero timeout sees what is confirmed already.
   *
   * @throws RejectedExecutionException if {@code limit} are already waiting
   */
  CompletableFuture<String> add(GtidSet gtids, String replica, Duration timeout,
      List<ServerStatus> current) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Waiter w = new Waiter(gtids, replica, f);
    synchronized (waiting) {
      // The check and the add together, or concurrent callers could all pass the check.
      if (waiting.size() >= limit) {
        throw new RejectedExecutionException("too many pending waiters (limit " + limit + ")");
      }
      waiting.add(w);
    }
    f.whenComplete((name, error) -> waiting.remove(w));
    for (ServerStatus r : current) {
      w.offer(r);
    }
    return f.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Offers a newly published replica status to every waiter. */
  void offer(ServerStatus replica) {
    for (Waiter w : waiting) {
      w.offer(replica);
    }
  }

  int pending() {
    return waiting.size();
  }

  private final class Waiter {
    final GtidSet gtids;
    final String replica;
    final CompletableFuture<String> future;

    Waiter(GtidSet gtids, String replica, CompletableFuture<String> future) {
      this.gtids = gtids;
      this.replica = replica;
      this.future = future;
    }

    void offer(ServerStatus s) {
      if ((replica == null || replica.equals(s.name())) && !future.isDone() && up.test(s)
          && s.confirmed().contains(gtids)) {
        future.complete(s.name());
      }
    }
  }
}
