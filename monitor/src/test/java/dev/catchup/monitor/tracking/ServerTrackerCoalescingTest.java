package dev.catchup.monitor.tracking;

import static dev.catchup.monitor.tracking.FakeServer.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.topology.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The confirmation read coalesces: one is in flight at a time, and every event that arrives while
 * it runs is confirmed by the next single read, so reads are bounded by bursts, not transactions.
 * The tracker runs its rounds on the test thread against a {@link FakeServer}; its binlog feed is
 * never started (no server involved).
 */
class ServerTrackerCoalescingTest {
  // Long enough that no round confirms for the clock's sake: every read below is the stream's.
  // (Each round below finds events queued, so none waits for it.)
  private static final TrackerSettings SLOW_RECONCILE = new TrackerSettings(Duration.ofMinutes(1),
      Duration.ofMillis(10), Duration.ofMillis(40), null);

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
          Role.PRIMARY, flavor, registry, SLOW_RECONCILE, server.queue, server, System::nanoTime);
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
