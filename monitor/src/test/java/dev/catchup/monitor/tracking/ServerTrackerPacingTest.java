package dev.catchup.monitor.tracking;

import static dev.catchup.monitor.tracking.FakeServer.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.binlog.FeedEvent;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.topology.Role;
import dev.catchup.testkit.TestClock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tracker's pacing follows its injected ticker: the reconcile interval, the back-off after a
 * failed read and the transaction rate, each shown by moving a {@link TestClock} (the registry's
 * clock and the tracker's ticker) instead of sleeping. The tracker runs its rounds on the test
 * thread against a {@link FakeServer}; its binlog feed is never started (no server involved).
 */
class ServerTrackerPacingTest {
  private static final Duration RECONCILE = Duration.ofSeconds(1);
  /** Back-off from 100 ms: the first wait is 50 ms plus up to 50 ms of jitter. */
  private static final TrackerSettings SETTINGS = new TrackerSettings(RECONCILE,
      Duration.ofMillis(100), Duration.ofMillis(400), null);
  private static final Duration LONGEST_FIRST_WAIT = Duration.ofMillis(100);

  private final TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final FakeServer server = new FakeServer(Flavor.MYSQL);
  private final Registry registry = new Registry(Flavor.MYSQL, clock, Duration.ofSeconds(30),
      "primary", List.of());
  private final ServerTracker tracker = new ServerTracker(
      new ServerEndpoint("primary", "127.0.0.1", 1, "u", "p"), Role.PRIMARY, Flavor.MYSQL,
      registry, SETTINGS, server.queue, server, clock::nanoTime);

  /** A round that finds only a heartbeat queued: nothing the stream showed asks for a read. */
  private void heartbeatRound() throws InterruptedException {
    server.queue.add(new FeedEvent.Heartbeat());
    tracker.work();
  }

  private ServerStatus status() {
    return registry.status("primary").orElseThrow();
  }

  @Test
  void work_onlyHeartbeats_confirmsOnceTheReconcileIntervalHasPassedOnTheTicker() throws Exception {
    heartbeatRound(); // nothing confirmed yet: the first round reads
    assertThat(server.executedReads).isEqualTo(1);
    assertThat(server.threadReads).as("the topology, read with the first confirmation").isEqualTo(1);

    clock.advance(RECONCILE);
    heartbeatRound();
    assertThat(server.executedReads).as("no more than the interval since the read").isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    heartbeatRound();
    assertThat(server.executedReads).as("past the interval").isEqualTo(2);
    assertThat(server.threadReads).isEqualTo(2);
    assertThat(status().confirmedAt()).isEqualTo(clock.instant());
  }

  @Test
  void confirm_readFailed_noReadUntilTheBackOffHasPassedOnTheTicker() throws Exception {
    server.commit(1);
    server.failNextRead = new SQLException("Communications link failure");
    tracker.work();
    assertThat(server.executedReads).isEqualTo(1);
    assertThat(status().lastError()).isEqualTo("Communications link failure");

    server.commit(1);
    tracker.work();
    assertThat(server.executedReads).as("within the back-off").isEqualTo(1);
    assertThat(status().confirmedAt()).isNull();

    clock.advance(LONGEST_FIRST_WAIT);
    server.commit(1);
    tracker.work();
    assertThat(server.executedReads).as("after the back-off").isEqualTo(2);
    assertThat(status().confirmed()).isEqualTo(upTo(Flavor.MYSQL, 3));
  }

  @Test
  void publish_transactionRate_countsTheWholeSecondsOfTheTicker() throws Exception {
    server.commit(10);
    tracker.work();
    assertThat(status().binlog().transactionsPerSecond()).as("no whole second yet").isZero();

    clock.advance(Duration.ofSeconds(1));
    heartbeatRound();
    assertThat(status().binlog().transactionsPerSecond()).as("10 over the last five seconds")
        .isEqualTo(2.0);
    assertThat(status().binlog().transactions()).isEqualTo(10);
  }

  /** A pending grant check that answers with each of {@code answers} in turn, noting each ask. */
  private List<String> checkGrantsWith(List<Object> answers) {
    List<String> asked = new ArrayList<>();
    tracker.checkGrantsOnceAnswered((e, role) -> {
      Object a = answers.get(Math.min(asked.size(), answers.size() - 1));
      asked.add(e.name() + " as " + role);
      if (a instanceof SQLException ex) {
        throw ex;
      }
      if (a instanceof RuntimeException ex) {
        throw ex;
      }
      return (String) a;
    });
    return asked;
  }

  @Test
  void grantCheck_serverDownThenNotAskableYet_runsOnceItAnswers_thenAgainAfterTheBackOff()
      throws Exception {
    String missing = "missing grants: lacks REPLICATION CLIENT ON *.*";
    List<String> asked = checkGrantsWith(List.of(
        new SQLException("binlog dump probe failed: Read timed out", "08000"), missing));
    server.commit(1);
    server.failNextRead = new SQLException("Communications link failure", "08S01");
    tracker.work();
    assertThat(asked).as("nobody answered: nothing to ask").isEmpty();

    clock.advance(LONGEST_FIRST_WAIT);
    server.commit(1);
    tracker.work(); // the server answers the read, not yet the check
    assertThat(asked).containsExactly("primary as PRIMARY");
    assertThat(status().lastError()).isNotEqualTo(missing);

    clock.advance(Duration.ofMillis(40)); // the back-off's first wait is 50 ms at least
    server.commit(1);
    tracker.work();
    assertThat(asked).as("within the check's back-off").hasSize(1);

    clock.advance(LONGEST_FIRST_WAIT);
    server.commit(1);
    tracker.work();
    assertThat(asked).hasSize(2);
    assertThat(status().lastError()).isEqualTo(missing);

    clock.advance(RECONCILE.plusMillis(1));
    server.commit(1);
    tracker.work();
    assertThat(asked).as("checked once it answered").hasSize(2);
    assertThat(status().lastError()).isEqualTo(missing);
  }

  @Test
  void grantCheck_readRefusedByTheServer_runsTheCheck_whichSaysWhy() throws Exception {
    String unsupported = "primary runs MariaDB 10.11, not MySQL";
    List<String> asked = checkGrantsWith(List.of(unsupported));
    server.commit(1);
    server.failNextRead = new SQLException("Unknown system variable 'gtid_executed'", "HY000");
    tracker.work();
    assertThat(asked).hasSize(1);
    assertThat(status().lastError()).isEqualTo(unsupported);
  }

  @Test
  void grantCheck_bugInTheCheck_isDropped_andTheReadsGoOn() throws Exception {
    List<String> asked = checkGrantsWith(List.of(new IllegalStateException("a bug")));
    server.commit(1);
    tracker.work();
    assertThat(asked).hasSize(1);

    clock.advance(RECONCILE.plusMillis(1));
    server.commit(1);
    tracker.work();
    assertThat(asked).as("not asked again").hasSize(1);
    assertThat(server.executedReads).isEqualTo(2);
    assertThat(status().confirmed()).isEqualTo(upTo(Flavor.MYSQL, 2));
    assertThat(status().lastError()).isNull();
  }
}
