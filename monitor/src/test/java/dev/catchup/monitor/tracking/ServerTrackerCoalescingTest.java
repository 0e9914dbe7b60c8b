package dev.catchup.monitor.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedEvent;
import dev.catchup.monitor.connect.ServerEndpoint;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The confirmation read coalesces: one is in flight at a time, and every event that arrives while
 * it runs is confirmed by the next single read, so reads are bounded by bursts, not transactions.
 * The tracker runs its rounds on the test thread against a fake of its queries; its binlog feed is
 * never started (no server involved). Each flavor's events and sets: MySQL's GTID events and
 * {@code uuid:1-n} sets, MariaDB's GTID events and {@code domain-server-seq} positions.
 */
class ServerTrackerCoalescingTest {
  private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
  private static final long DOMAIN = 0;
  private static final long SERVER_ID = 1;
  // Long enough that no round confirms for the clock's sake: every read below is the stream's.
  // (Each round below finds events queued, so none waits for it.)
  private static final TrackerSettings SLOW_RECONCILE = new TrackerSettings(Duration.ofMinutes(1),
      Duration.ofMillis(10), Duration.ofMillis(40), null);

  /**
   * The server's executed set is everything the "binlog" has delivered so far; a read can deliver
   * more events while it runs, as the feed thread does during a real query.
   */
  private static final class FakeServer implements ServerQueries {
    final BlockingQueue<FeedEvent> queue = new ArrayBlockingQueue<>(10_000);
    final Flavor flavor;
    long committed;
    int executedReads;
    int deliverDuringNextRead;

    FakeServer(Flavor flavor) {
      this.flavor = flavor;
    }

    void commit(int n) {
      for (int i = 0; i < n; i++) {
        committed++;
        queue.add(flavor == Flavor.MYSQL ? new FeedEvent.MysqlGtid(SOURCE, committed, 0, 0)
            : new FeedEvent.MariaDbGtid(DOMAIN, SERVER_ID, committed, 0));
      }
    }

    @Override
    public GtidSet executed(Role role) {
      executedReads++;
      GtidSet visible = committed == 0 ? GtidSet.empty(flavor) : upTo(flavor, committed);
      commit(deliverDuringNextRead); // committed after the read's snapshot: not in its answer
      deliverDuringNextRead = 0;
      return visible;
    }

    @Override
    public Duration heartbeatLag() {
      return null;
    }

    @Override
    public void threads(Role role) throws SQLException {}

    @Override
    public void close() {}
  }

  /** Every transaction from the first to {@code last}, in the flavor's notation. */
  private static GtidSet upTo(Flavor flavor, long last) {
    return flavor == Flavor.MYSQL ? MysqlGtidSet.parse(SOURCE + ":1-" + last)
        : MariaDbGtidSet.of(DOMAIN, SERVER_ID, last);
  }

  /** A tracker of a primary of {@code flavor} over the fake server, run by the test. */
  private static final class Tracked {
    final FakeServer server;
    final Registry registry;
    final ServerTracker tracker;

    Tracked(Flavor flavor) {
      server = new FakeServer(flavor);
      registry = new Registry(flavor, Clock.systemUTC(), Duration.ofSeconds(30), "primary",
          List.of());
      tracker = new ServerTracker(new ServerEndpoint("primary", "127.0.0.1", 1, "u", "p"),
          Role.PRIMARY, flavor, registry, SLOW_RECONCILE, server.queue, server);
    }

    GtidSet confirmed() {
      return registry.status("primary").orElseThrow().confirmed();
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void confirm_eventsArrivingDuringARead_areConfirmedByOneMoreRead(Flavor flavor) throws Exception {
    Tracked t = new Tracked(flavor);
    t.server.commit(1);
    t.server.deliverDuringNextRead = 500; // a burst of commits while the first read is in flight
    t.tracker.work();
    assertThat(t.server.executedReads).isEqualTo(1);
    assertThat(t.confirmed()).isEqualTo(upTo(flavor, 1));

    t.tracker.work();

    assertThat(t.server.executedReads).as("500 transactions, one read").isEqualTo(2);
    assertThat(t.confirmed()).isEqualTo(upTo(flavor, 501));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void confirm_readsPerTransaction_fallAsTransactionsPerBurstRise(Flavor flavor) throws Exception {
    Tracked t = new Tracked(flavor);
    int before = 0;
    for (int i = 0; i < 10; i++) { // a low rate: each transaction alone in its burst
      t.server.commit(1);
      t.tracker.work();
    }
    int lowRate = t.server.executedReads - before;
    before = t.server.executedReads;
    for (int i = 0; i < 10; i++) { // a high rate: 100 transactions queued per burst
      t.server.commit(100);
      t.tracker.work();
    }
    int highRate = t.server.executedReads - before;

    assertThat(lowRate).as("reads for 10 transactions in 10 bursts").isEqualTo(10);
    assertThat(highRate).as("reads for 1,000 transactions in 10 bursts").isEqualTo(10);
    assertThat(t.confirmed()).isEqualTo(upTo(flavor, 1010));
  }
}
