package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.sdk.ReplicaViews.ReplicaView;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Reads waiting in the process for the monitor, with no stream: the views are filled by hand and
 * time is a ticker the test holds still. A wait ends on a replica whose view proves the token as
 * routing proves it ({@link Coverage#covers}); a MariaDB view that passes the token only by
 * sequence number ends it with no replica (the servers can prove it, the view never will).
 */
class FeedWaitersTest {
  private static final GtidSet TOKEN = maria("0-1-105"); // written by server 1
  private static final List<String> BOTH = List.of("r1", "r2");

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ReplicaViews views = new ReplicaViews();
  // Parks and staleness far past the tests' waits: only a wake-up ends a parked wait in time.
  private final FeedWaiters waiters =
      new FeedWaiters(views, followed(), now::get, Duration.ofMinutes(10));
  private final long deadline = now.get() + Duration.ofMinutes(1).toNanos();

  @Test
  void await_leastBehindViewPassesOnlyBySequence_endsOnTheReplicaWhoseViewProvesIt()
      throws Exception {
    // r1 replicates from server 2, promoted in a failover the SDK has not learned of: 0-2-110 is
    // past 105 by sequence number only. r2 has server 1's 105 itself.
    views.update(new ReplicaView("r1", true, maria("0-2-110"), 0.0, 1));
    views.update(new ReplicaView("r2", true, maria("0-1-105"), 0.5, 1));
    for (int i = 0; i < 20; i++) { // each wait starts its rotation at random
      assertThat(waiters.await(BOTH, TOKEN, deadline, () -> null, () -> false)).isEqualTo("r2");
    }
  }

  @Test
  void await_viewPassesOnlyBySequence_endsAtOnceWithNoReplica_soTheServersAreAsked()
      throws Exception {
    views.update(new ReplicaView("r1", true, maria("0-2-110"), 0.0, 1));
    // The ticker stands still: only the view can end this wait before its deadline.
    assertThat(waiters.await(List.of("r1"), TOKEN, deadline, () -> null, () -> false)).isNull();
  }

  @Test
  void await_viewOfTheNewServer_endsOnIt_whenTheFenceProvesTheLineage() throws Exception {
    views.update(new ReplicaView("r1", true, maria("0-2-110"), 0.0, 1));
    // Server 2 had server 1's writes up to 105 when it was promoted: 105 is in the lineage.
    Fence promoted = new Fence("p2", "2", maria("0-1-105"), MariaDbBinlogState.parse("0-1-105"));
    assertThat(waiters.await(List.of("r1"), TOKEN, deadline, () -> promoted, () -> false))
        .isEqualTo("r1");
  }

  @Test
  void await_parked_wokenByAViewThatProvesTheToken_endsOnThatReplica() throws Exception {
    views.update(new ReplicaView("r1", true, maria("0-1-100"), 0.0, 1));
    CompletableFuture<String> waited = waitParked(BOTH);
    ReplicaView proving = views.update(new ReplicaView("r2", true, maria("0-1-106"), 0.0, 2));
    waiters.wakeSatisfied(proving);
    assertThat(waited.get(10, TimeUnit.SECONDS)).isEqualTo("r2");
  }

  @Test
  void await_parked_wokenByAViewPassingOnlyBySequence_endsWithNoReplica() throws Exception {
    views.update(new ReplicaView("r1", true, maria("0-1-100"), 0.0, 1));
    CompletableFuture<String> waited = waitParked(List.of("r1"));
    ReplicaView repointed = views.update(new ReplicaView("r1", true, maria("0-2-110"), 0.0, 2));
    waiters.wakeSatisfied(repointed);
    assertThat(waited.get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void await_mysqlViewCoversTheToken_endsOnIt() throws Exception {
    String u = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    views.update(new ReplicaView("r1", true, GtidSet.parse(Flavor.MYSQL, u + ":1-9"), 0.0, 1));
    assertThat(waiters.await(List.of("r1"), GtidSet.parse(Flavor.MYSQL, u + ":1-7"), deadline,
        () -> null, () -> false)).isEqualTo("r1");
  }

  /**
   * Starts a wait on another thread and returns once it is registered and parked, so that the
   * update after it can only end it by waking it.
   */
  private CompletableFuture<String> waitParked(List<String> names) throws InterruptedException {
    CompletableFuture<String> waited = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        // The ticker stands still: only a woken check can end this wait before its deadline.
        waited.complete(waiters.await(names, TOKEN, deadline, () -> null, () -> false));
      } catch (Throwable e) {
        waited.completeExceptionally(e);
      }
    }, "feed-waiter");
    t.setDaemon(true);
    t.start();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (waiters.waiting() == 0 || t.getState() != Thread.State.TIMED_WAITING) {
      assertThat(System.nanoTime()).as("the waiter parks within 10 s").isLessThan(giveUp);
      assertThat(waited).as("the waiter parks before it ends").isNotDone();
      TimeUnit.MILLISECONDS.sleep(1); // polling a condition, bounded above
    }
    return waited;
  }

  /** A feed following its one monitor, heard from just now. */
  private FeedHealth followed() {
    MonitorRoster roster = new MonitorRoster(List.of(URI.create("http://m:9760")));
    roster.following(0);
    FeedHealth health = new FeedHealth(roster, now::get, Duration.ofMinutes(10));
    health.heard(now.get());
    return health;
  }

  private static GtidSet maria(String s) {
    return GtidSet.parse(Flavor.MARIADB, s);
  }
}
