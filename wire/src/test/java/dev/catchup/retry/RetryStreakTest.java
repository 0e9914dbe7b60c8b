package dev.catchup.retry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.catchup.testkit.LogCapture;
import dev.catchup.testkit.TestClock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Back off, then log the streak, on a clock the test moves: no sleeping. */
class RetryStreakTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
  @RegisterExtension
  final LogCapture logs = LogCapture.of(RetryStreakTest.class, Level.DEBUG);
  /** The full step, no jitter, so that the waits are exact. */
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), n -> n);
  private final RetryStreak retry = new RetryStreak("r1: reading the server", clock, backoff,
      logs.logger());

  @Test
  void failed_inARow_waitsAsTheBackoffSays_andCountsOneAttemptEach() {
    assertThat(retry.failed(new SQLException("down"), null)).isEqualTo(Duration.ofMillis(100));
    assertThat(retry.failed(new SQLException("down"), null)).isEqualTo(Duration.ofMillis(200));
    assertThat(retry.failed(new SQLException("down"), null)).isEqualTo(Duration.ofMillis(400));
    assertThat(retry.failed(new SQLException("down"), null)).isEqualTo(Duration.ofMillis(500));

    assertThat(retry.attempts()).isEqualTo(4);
    assertThat(logs.lines()).containsExactly(
        "WARN r1: reading the server failed: down; retrying in 100 ms (attempt 1)",
        "DEBUG r1: reading the server failed again (attempt 2): down; retrying in 200 ms (attempt 2)",
        "DEBUG r1: reading the server failed again (attempt 3): down; retrying in 400 ms (attempt 3)",
        "DEBUG r1: reading the server failed again (attempt 4): down; retrying in 500 ms (attempt 4)");
    assertThat(logs.events().get(0).getThrowableProxy()).as("an expected failure").isNull();
  }

  @Test
  void recovered_afterFailures_logsOnce_andTheNextStreakStartsFromTheFirstWait() {
    retry.failed(new SQLException("down"), null);
    clock.advance(Duration.ofMillis(1_500));
    retry.failed(new SQLException("down"), null);

    retry.recovered();
    retry.recovered();

    assertThat(retry.attempts()).isZero();
    assertThat(retry.failed(new SQLException("down again"), null)).isEqualTo(Duration.ofMillis(100));
    assertThat(logs.lines()).containsExactly(
        "WARN r1: reading the server failed: down; retrying in 100 ms (attempt 1)",
        "DEBUG r1: reading the server failed again (attempt 2): down; retrying in 200 ms (attempt 2)",
        "INFO r1: reading the server recovered after 2 failed attempts in 1.5 s",
        "WARN r1: reading the server failed: down again; retrying in 100 ms (attempt 1)");
  }

  @Test
  void recovered_withoutFailure_logsNothing() {
    retry.recovered();

    assertThat(logs.events()).isEmpty();
  }

  @Test
  void failed_withContextAndWording_saysThemBeforeTheWait() {
    RetryStreak skips = new RetryStreak("replica r1", clock, backoff, "skipping it for",
        logs.logger());

    skips.failed(new SQLException("Connection refused"), "what it has applied is forgotten");
    skips.failed("closed by the server", null);

    assertThat(logs.lines()).containsExactly(
        "WARN replica r1 failed: Connection refused; what it has applied is forgotten; skipping it "
            + "for 100 ms (attempt 1)",
        "DEBUG replica r1 failed again (attempt 2): closed by the server; skipping it for 200 ms "
            + "(attempt 2)");
  }

  @Test
  void failed_pastTheReminderInterval_warnsTheCountWithTheAttemptAndTheWait() {
    retry.failed(new SQLException("down"), null);
    clock.advance(Duration.ofSeconds(30));
    retry.failed(new SQLException("down"), null);
    clock.advance(Duration.ofSeconds(30));

    retry.failed(new SQLException("down"), null);

    assertThat(logs.lines()).last().isEqualTo("WARN r1: reading the server still failing: 3 attempts "
        + "since 2026-12-05T10:00:00Z (1 min 0 s), last: down; retrying in 400 ms (attempt 3)");
  }

  @Test
  void failed_unexpected_logsTheStackTraceOncePerStreak() {
    IllegalStateException bug = new IllegalStateException("bug");

    retry.failed(bug, null);
    retry.failed(bug, null);
    retry.recovered();
    retry.failed(bug, null);

    assertThat(logs.events().stream().map(e -> e.getThrowableProxy() != null).toList())
        .containsExactly(true, false, false, true);
  }
}
