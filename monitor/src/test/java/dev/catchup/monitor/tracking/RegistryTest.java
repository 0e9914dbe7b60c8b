package dev.catchup.monitor.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class RegistryTest {
  private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final Registry registry = new Registry(Flavor.MYSQL, clock, Duration.ofSeconds(5),
      "primary", List.of("replica1"));

  private static GtidSet upTo(long last) {
    return MysqlGtidSet.of(SOURCE, "", 1, last);
  }

  private ServerStatus status(String name, Role role, GtidSet confirmed, Instant confirmedAt) {
    return new ServerStatus(name, role, new ServerStatus.Confirmation(confirmed, confirmed, confirmedAt),
        new ServerStatus.Binlog(FeedState.CONNECTED, confirmedAt, 0, null, null, 0, 0),
        ServerStatus.Replication.NONE, null, 1);
  }

  @Test
  void awaitConfirmed_nothingConfirms_failsWithTimeout() {
    CompletableFuture<String> f = registry.awaitConfirmed(upTo(1), null, Duration.ofMillis(20));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
    // The timeout completes the future on the JDK's timer thread, which wakes get() before it runs
    // the cleanup that unregisters the waiter: await it (bounded), it need not be done yet.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (registry.pendingWaiters() != 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling: there is nothing to await
    }
    assertThat(registry.pendingWaiters()).isZero();
  }

  @Test
  void awaitConfirmed_alreadyConfirmed_completesEvenWithZeroTimeout() throws Exception {
    registry.publish(status("primary", Role.PRIMARY, upTo(3), T0));
    registry.publish(status("replica1", Role.REPLICA, upTo(3), T0));
    assertThat(registry.awaitConfirmed(upTo(2), null, Duration.ZERO).get(10, TimeUnit.SECONDS))
        .isEqualTo("replica1");
  }

  @Test
  void awaitConfirmed_withoutTimeout_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> registry.awaitConfirmed(upTo(1), null, null));
    assertThat(e).hasMessage("timeout must be between PT0S and PT1H, was null");
    assertThatThrownBy(() -> registry.awaitConfirmed(upTo(1), null, Duration.ofHours(2)))
        .hasMessage("timeout must be between PT0S and PT1H, was PT2H");
  }

  @Test
  void awaitConfirmed_pastTheCap_isRejected_andFreedSlotsAreReused() {
    List<CompletableFuture<String>> pending = new ArrayList<>();
    for (int i = 0; i < Registry.MAX_WAITERS; i++) {
      pending.add(registry.awaitConfirmed(upTo(1), null, Duration.ofMinutes(1)));
    }
    RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
        () -> registry.awaitConfirmed(upTo(1), null, Duration.ofMinutes(1)));
    assertThat(e).hasMessage("too many pending waiters (limit 10000)");
    pending.get(0).cancel(false);
    assertThat(registry.awaitConfirmed(upTo(1), null, Duration.ofMinutes(1))).isNotDone();
    pending.forEach(f -> f.cancel(false));
  }

  @Test
  void lag_replicaNeverRead_isUnknown_notAClimbingNumber() {
    registry.commitTimes().addMysql(SOURCE, 1, T0.toEpochMilli() * 1000);
    registry.publish(status("primary", Role.PRIMARY, upTo(5), T0));
    clock.now = T0.plusSeconds(30);
    registry.publish(status("primary", Role.PRIMARY, upTo(5), clock.now));
    ServerStatus replica = registry.status("replica1").orElseThrow();
    LagReport lag = registry.lag(replica);
    assertThat(lag.state()).isEqualTo(ServerState.UNKNOWN);
    assertThat(lag.missingTransactions()).isNull();
    assertThat(lag.secondsBehind()).isNull();
    assertThat(registry.secondsBehind(replica)).isNull();
  }

  @Test
  void lag_primaryNeverRead_isUnknown_notCaughtUp() {
    registry.publish(status("replica1", Role.REPLICA, upTo(5), T0));
    LagReport lag = registry.lag(registry.status("replica1").orElseThrow());
    assertThat(lag.missingTransactions()).isNull();
    assertThat(lag.secondsBehind()).isNull();
    assertThat(lag.errant().isEmpty()).isTrue();
  }

  @Test
  void lag_bothRead_countsMissing() {
    registry.publish(status("primary", Role.PRIMARY, upTo(5), T0));
    registry.publish(status("replica1", Role.REPLICA, upTo(3), T0));
    assertThat(registry.lag(registry.status("replica1").orElseThrow()).missingTransactions())
        .isEqualTo(2L);
  }

  @Test
  void lag_primaryPublishes_movesEveryReplicasLag() {
    registry.publish(status("primary", Role.PRIMARY, upTo(5), T0));
    registry.publish(status("replica1", Role.REPLICA, upTo(3), T0));
    registry.publish(status("primary", Role.PRIMARY, upTo(7), T0));

    assertThat(registry.lag(registry.status("replica1").orElseThrow()).missingTransactions())
        .isEqualTo(4L);
  }

  @Test
  void lag_readTwiceBetweenPublishes_sharesOneComputation() {
    registry.publish(status("primary", Role.PRIMARY, upTo(5), T0));
    registry.publish(status("replica1", Role.REPLICA, upTo(3), T0));
    ServerStatus replica = registry.status("replica1").orElseThrow();

    // The errant set is computed at publish: every reader gets that very object, not a new one.
    assertThat(registry.lag(replica).errant()).isSameAs(registry.lag(replica).errant());
  }

  @Test
  void lag_betweenPublishes_agesWithTheClock_countsStay() {
    registry.commitTimes().addMysql(SOURCE, 4, T0.toEpochMilli() * 1000);
    registry.publish(status("primary", Role.PRIMARY, upTo(5), T0));
    registry.publish(status("replica1", Role.REPLICA, upTo(3), T0));
    ServerStatus replica = registry.status("replica1").orElseThrow();

    clock.now = T0.plusSeconds(2);
    assertThat(registry.lag(replica).secondsBehind()).isEqualTo(2.0);
    assertThat(registry.secondsBehind(replica)).isEqualTo(2.0);
    clock.now = T0.plusSeconds(3);
    assertThat(registry.lag(replica).secondsBehind()).isEqualTo(3.0);
    assertThat(registry.lag(replica).missingTransactions()).isEqualTo(2L);
    assertThat(registry.lag(replica).confirmationAge()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void lag_ofAStatusNotPublished_isComputedAgainstTheLatestPrimary() {
    registry.publish(status("primary", Role.PRIMARY, upTo(5), T0));
    ServerStatus unpublished = status("replica1", Role.REPLICA, upTo(1), T0);

    assertThat(registry.lag(unpublished).missingTransactions()).isEqualTo(4L);
  }

  @Test
  void initial_nothingConfirmed_feedConnecting() {
    ServerStatus s = registry.status("replica1").orElseThrow();

    assertThat(s.confirmed().isEmpty()).isTrue();
    assertThat(s.confirmedAt()).isNull();
    assertThat(s.feed()).isEqualTo(FeedState.CONNECTING);
    assertThat(s.replication()).isEqualTo(ServerStatus.Replication.NONE);
    assertThat(registry.state(s)).isEqualTo(ServerState.UNKNOWN);
  }
}
