package dev.catchup.monitor.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.retry.Backoff;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link BinlogFeed#requestStop()} at every point of a connection attempt: the feed's thread ends and no
 * replication connection is left on the server. Each stop is placed exactly, through the feed's
 * step hook, so the race is not left to chance.
 */
class BinlogFeedIT {
  private static final Duration SERVER_HEARTBEAT = Duration.ofMillis(200);

  private static Backoff backoff() {
    return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void stop_atEveryStepOfAConnect_leavesNoThreadAndNoConnection(ServerKind kind)
      throws Exception {
    Topology t = Topologies.shared(kind);
    Server replica = t.replica(1); // nothing replicates from a replica: its dump threads are ours
    try (Connection admin = t.connect(replica)) {
      long before = dumpThreads(admin);
      for (BinlogFeed.Step step : BinlogFeed.Step.values()) {
        AtomicReference<BinlogFeed> feed = new AtomicReference<>();
        feed.set(new BinlogFeed(endpoint(t, replica), flavor(t), queue(), SERVER_HEARTBEAT,
            backoff(), Clock.systemUTC(), s -> {
              if (s == step) {
                feed.get().requestStop();
              }
            }));
        feed.get().start();
        try {
          assertThat(feed.get().awaitStop(Duration.ofSeconds(15)))
              .as("feed thread still running after a stop request at " + step).isTrue();
          await("no replication connection left after a stop request at " + step,
              () -> dumpThreads(admin) == before);
        } finally {
          feed.get().requestStop();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void stop_whileStreaming_endsTheThreadAndTheConnection(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    Server replica = t.replica(1);
    try (Connection admin = t.connect(replica)) {
      long before = dumpThreads(admin);
      BlockingQueue<FeedEvent> events = queue();
      BinlogFeed feed = new BinlogFeed(endpoint(t, replica), flavor(t), events, SERVER_HEARTBEAT,
          backoff(), Clock.systemUTC());
      feed.start();
      try {
        await("connected", () -> events.stream().anyMatch(e -> e instanceof FeedEvent.Connection c
            && c.state() == FeedState.CONNECTED));
        await("dump thread on the server", () -> dumpThreads(admin) == before + 1);
      } finally {
        feed.requestStop();
      }
      assertThat(feed.awaitStop(Duration.ofSeconds(15))).isTrue();
      await("no replication connection left", () -> dumpThreads(admin) == before);
    }
  }

  static ServerEndpoint endpoint(Topology t, Server s) {
    return new ServerEndpoint(s.name(), s.host(), s.port(), t.user(), t.password());
  }

  static Flavor flavor(Topology t) {
    return t.flavor();
  }

  private static BlockingQueue<FeedEvent> queue() {
    return new ArrayBlockingQueue<>(10_000);
  }

  /** Connections on the server sending a binlog ('Binlog Dump' or 'Binlog Dump GTID'). */
  static long dumpThreads(Connection admin) {
    try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20); // polling a condition, not standing in for one
    }
  }
}
