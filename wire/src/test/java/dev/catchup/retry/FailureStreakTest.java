package dev.catchup.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.retry.FailureStreak.Level;
import dev.catchup.retry.FailureStreak.Line;
import dev.catchup.testkit.TestClock;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureStreakTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final FailureStreak streak = new FailureStreak("r1: binlog feed", clock,
      Duration.ofMinutes(1));

  @Test
  void failed_expectedFirst_warnsOneLineWithoutTrace() {
    Line l = streak.failed(new ConnectException("Connection refused"), "retrying in 100 ms (attempt 1)");
    assertThat(l.level()).isEqualTo(Level.WARN);
    assertThat(l.trace()).isNull();
    assertThat(l.text()).isEqualTo("r1: binlog feed failed: Connection refused; retrying in 100 ms "
        + "(attempt 1)");
  }

  @Test
  void failed_unexpectedFirst_warnsWithTraceOnce() {
    IllegalStateException bug = new IllegalStateException("bug");
    Line first = streak.failed(bug, null);
    assertThat(first.level()).isEqualTo(Level.WARN);
    assertThat(first.trace()).isSameAs(bug);
    assertThat(first.text()).isEqualTo("r1: binlog feed failed: java.lang.IllegalStateException: "
        + "bug (the stack trace is logged once per failure streak)");
    clock.advance(Duration.ofMinutes(5));
    Line reminder = streak.failed(bug, null);
    assertThat(reminder.level()).isEqualTo(Level.WARN);
    assertThat(reminder.trace()).isNull();
    assertThat(streak.failed(bug, null).trace()).isNull();
  }

  @Test
  void failed_withinReminderInterval_isDebugOnly() {
    streak.failed(new SQLException("Access denied"), null);
    for (int i = 2; i <= 50; i++) {
      clock.advance(Duration.ofSeconds(1));
      Line l = streak.failed(new SQLException("Access denied"), "retrying");
      assertThat(l.level()).as("attempt " + i).isEqualTo(Level.DEBUG);
      assertThat(l.text()).isEqualTo("r1: binlog feed failed again (attempt " + i
          + "): Access denied; retrying");
    }
    assertThat(streak.attempts()).isEqualTo(50);
  }

  @Test
  void failed_afterReminderInterval_warnsCountAndStart_atMostOncePerInterval() {
    streak.failed(new SQLException("down"), null);
    clock.advance(Duration.ofSeconds(59));
    assertThat(streak.failed(new SQLException("down"), null).level()).isEqualTo(Level.DEBUG);
    clock.advance(Duration.ofSeconds(1));
    Line reminder = streak.failed(new SQLException("down"), "retrying in 30000 ms (attempt 3)");
    assertThat(reminder.level()).isEqualTo(Level.WARN);
    assertThat(reminder.text()).isEqualTo("r1: binlog feed still failing: 3 attempts since "
        + "2026-12-05T10:00:00Z (1 min 0 s), last: down; retrying in 30000 ms (attempt 3)");
    clock.advance(Duration.ofSeconds(30));
    assertThat(streak.failed(new SQLException("down"), null).level()).isEqualTo(Level.DEBUG);
    clock.advance(Duration.ofSeconds(30));
    assertThat(streak.failed(new SQLException("down"), null).level()).isEqualTo(Level.WARN);
  }

  @Test
  void recovered_afterFailures_infoWithCountAndDuration_thenNewStreakWarnsAgain() {
    streak.failed(new SQLException("down"), null);
    clock.advance(Duration.ofMillis(12_300));
    streak.failed(new SQLException("down"), null);
    Line r = streak.recovered();
    assertThat(r.level()).isEqualTo(Level.INFO);
    assertThat(r.text()).isEqualTo("r1: binlog feed recovered after 2 failed attempts in 12.3 s");
    assertThat(streak.attempts()).isZero();
    assertThat(streak.recovered()).isNull();
    Line again = streak.failed(new SQLException("down again"), null);
    assertThat(again.level()).isEqualTo(Level.WARN);
    assertThat(again.text()).isEqualTo("r1: binlog feed failed: down again");
  }

  @Test
  void recovered_withoutFailure_isNull() {
    assertThat(streak.recovered()).isNull();
  }

  @Test
  void failed_reasonWithoutException_warnsWithoutTrace() {
    Line l = streak.failed("binlog connection closed", "reconnecting in 50 ms (attempt 1)");
    assertThat(l.trace()).isNull();
    assertThat(l.text()).isEqualTo("r1: binlog feed failed: binlog connection closed; "
        + "reconnecting in 50 ms (attempt 1)");
    assertThat(streak.recovered().text()).endsWith("after 1 failed attempt in 0 ms");
  }

  @Test
  void expected_sqlIoTimeout_true_bugs_false() {
    assertThat(FailureStreak.expected(new SQLException("x"))).isTrue();
    assertThat(FailureStreak.expected(new ConnectException("x"))).isTrue();
    assertThat(FailureStreak.expected(new java.io.UncheckedIOException(new java.io.IOException()))).isTrue();
    assertThat(FailureStreak.expected(new java.util.concurrent.TimeoutException())).isTrue();
    assertThat(FailureStreak.expected(new NullPointerException())).isFalse();
    assertThat(FailureStreak.expected(new IllegalStateException())).isFalse();
  }

  @Test
  void describe_noMessage_namesTheClass() {
    assertThat(FailureStreak.describe(new java.io.EOFException())).isEqualTo("EOFException");
  }

  @Test
  void describe_multiLineDriverMessage_firstLineAndRootCause() {
    SQLException driver = new SQLException("Communications link failure\n\nThe last packet sent "
        + "successfully to the server was 0 milliseconds ago.",
        new ConnectException("Connection refused"));
    assertThat(FailureStreak.describe(driver))
        .isEqualTo("Communications link failure (Connection refused)");
    assertThat(streak.failed(driver, null).text()).doesNotContain("\n");
  }

  @Test
  void describe_rootCauseAlreadySaid_notRepeated() {
    SQLException e = new SQLException("Connection refused", new ConnectException("Connection refused"));
    assertThat(FailureStreak.describe(e)).isEqualTo("Connection refused");
  }

  @Test
  void human_rangesReadAsPeopleSayThem() {
    assertThat(FailureStreak.human(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(FailureStreak.human(Duration.ofMillis(12_345))).isEqualTo("12.3 s");
    assertThat(FailureStreak.human(Duration.ofSeconds(245))).isEqualTo("4 min 5 s");
    assertThat(FailureStreak.human(Duration.ofMinutes(200))).isEqualTo("3 h 20 min");
  }

  @Test
  void constructor_zeroReminder_throwsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FailureStreak("x", clock, Duration.ZERO));
    assertThat(e.getMessage()).isEqualTo("reminderEvery must be positive, was PT0S");
  }

  @Test
  void alsoFailed_inAStreak_countsInTheNextLine_outsideOne_nothing() {
    streak.alsoFailed(5);
    assertThat(streak.attempts()).isZero();
    assertThat(streak.nextReminder()).isNull();
    streak.failed(new SQLException("down"), null);
    assertThat(streak.nextReminder()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
    streak.alsoFailed(10);
    assertThat(streak.failed(new SQLException("down"), null).text())
        .isEqualTo("r1: binlog feed failed again (attempt 12): down");
  }
}
