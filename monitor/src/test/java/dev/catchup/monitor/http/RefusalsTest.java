package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.catchup.testkit.LogCapture;
import dev.catchup.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RefusalsTest {
  private static final String REFUSING_SUBSCRIBERS = "WARN accepting stream subscribers failed: 64 "
      + "are open (http.maxSubscribers 64); refused with 503; raise http.maxSubscribers, or spread "
      + "the clients over more monitors";

  @RegisterExtension
  final LogCapture logs = LogCapture.of(Refusals.class, Level.INFO);
  private final TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));

  @Test
  void refused_aStreak_logsOnceNamingTheSetting_andTheEndOfTheStreakWithItsCount() {
    Refusals r = new Refusals("http.maxSubscribers", "stream subscribers", 64, clock);

    r.accepted();
    for (int i = 0; i < 5; i++) {
      r.refused();
    }
    clock.advance(Duration.ofMillis(2_500));
    r.accepted();
    r.accepted();
    r.refused();

    assertThat(logs.lines()).containsExactly(
        REFUSING_SUBSCRIBERS,
        "INFO accepting stream subscribers recovered after 5 failed attempts in 2.5 s",
        REFUSING_SUBSCRIBERS);
    assertThat(r.total()).isEqualTo(6);
  }

  @Test
  void accepted_afterEachOfTwoStreaks_reportsEachStreaksOwnCount() {
    Refusals r = new Refusals("http.maxWaits", "waiting requests", 8, clock);

    for (int i = 0; i < 3; i++) {
      r.refused();
    }
    clock.advance(Refusals.QUIET);
    r.accepted();
    r.refused();
    r.refused();
    clock.advance(Refusals.QUIET);
    r.accepted();

    assertThat(logs.messages(Level.INFO)).containsExactly(
        "accepting waiting requests recovered after 3 failed attempts in 1.0 s",
        "accepting waiting requests recovered after 2 failed attempts in 1.0 s");
    assertThat(logs.events(Level.WARN)).hasSize(2);
    assertThat(r.total()).isEqualTo(5);
  }

  @Test
  void acceptedBetweenRefusals_atTheLimit_isOneStreak_endedOnlyOnceRefusalsStop() {
    Refusals r = new Refusals("http.maxWaits", "waiting requests", 8, clock);

    // At the limit each finished request frees a slot the next arrival takes: acceptances
    // interleave with refusals, which must not end and reopen the streak every time.
    for (int i = 0; i < 1_000; i++) {
      r.refused();
      r.accepted();
      clock.advance(Duration.ofMillis(1));
    }
    clock.advance(Refusals.QUIET);
    r.accepted();

    assertThat(logs.lines()).containsExactly(
        "WARN accepting waiting requests failed: 8 are open (http.maxWaits 8); refused with 503; "
            + "raise http.maxWaits, or spread the clients over more monitors",
        "INFO accepting waiting requests recovered after 1000 failed attempts in 2.0 s");
  }

  @Test
  void refused_aStreakLastingMinutes_remindsWithTheCountOnceAMinute() {
    Refusals r = new Refusals("http.maxWaits", "waiting requests", 8, clock);

    for (int second = 0; second < 150; second++) {
      r.refused();
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(logs.lines()).containsExactly(
        "WARN accepting waiting requests failed: 8 are open (http.maxWaits 8); refused with 503; "
            + "raise http.maxWaits, or spread the clients over more monitors",
        "WARN accepting waiting requests still failing: 61 attempts since 2026-12-05T10:00:00Z "
            + "(1 min 0 s), last: 8 are open (http.maxWaits 8); refused with 503; raise "
            + "http.maxWaits, or spread the clients over more monitors",
        "WARN accepting waiting requests still failing: 121 attempts since 2026-12-05T10:00:00Z "
            + "(2 min 0 s), last: 8 are open (http.maxWaits 8); refused with 503; raise "
            + "http.maxWaits, or spread the clients over more monitors");
  }

  @Test
  void refused_manyInAStreak_remindAndRecoverWithTheExactCount_andLogNoLinePerRefusal() {
    logs.level(Level.DEBUG); // a line per refusal would show here
    Refusals r = new Refusals("http.maxWaits", "waiting requests", 8, clock);

    for (int i = 0; i < 10_000; i++) {
      r.refused();
    }
    clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 5_000; i++) {
      r.refused();
    }
    clock.advance(Refusals.QUIET);
    r.accepted();

    assertThat(logs.lines()).hasSize(3);
    assertThat(logs.lines().get(1)).startsWith(
        "WARN accepting waiting requests still failing: 10001 attempts since ");
    assertThat(logs.lines().get(2)).isEqualTo(
        "INFO accepting waiting requests recovered after 15000 failed attempts in 1 min 1 s");
    assertThat(r.total()).isEqualTo(15_000);
  }

  @Test
  void refused_onManyThreads_theStreakEndsWithEveryRefusalCounted() throws Exception {
    Refusals r = new Refusals("http.maxSubscribers", "stream subscribers", 64, clock);
    int threads = 4;
    int each = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            r.refused();
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    clock.advance(Refusals.QUIET);
    r.accepted();

    assertThat(logs.lines()).containsExactly(REFUSING_SUBSCRIBERS,
        "INFO accepting stream subscribers recovered after 80000 failed attempts in 1.0 s");
    assertThat(r.total()).isEqualTo(80_000);
  }
}
