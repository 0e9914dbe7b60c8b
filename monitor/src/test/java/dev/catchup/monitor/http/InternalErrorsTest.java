package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.retry.FailureStreak;
import dev.catchup.retry.FailureStreak.Level;
import dev.catchup.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which 500s log their stack trace: each new kind of bug does, a repeating one does not. */
class InternalErrorsTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final InternalErrors errors = new InternalErrors(clock);

  @Test
  void failed_anotherKindMuchLater_warnsWithItsTrace() {
    NullPointerException npe = new NullPointerException("status was null");
    FailureStreak.Line first = errors.failed(npe, "GET", "/status/db1");
    assertThat(first.level()).isEqualTo(Level.WARN);
    assertThat(first.trace()).isSameAs(npe);

    clock.advance(Duration.ofMinutes(10));
    IllegalStateException ise = new IllegalStateException("no topology");
    FailureStreak.Line second = errors.failed(ise, "GET", "/wait");

    assertThat(second.level()).isEqualTo(Level.WARN);
    assertThat(second.trace()).isSameAs(ise);
    assertThat(second.text()).contains("java.lang.IllegalStateException on /wait")
        .contains("answered GET /wait with 500 internal error");
  }

  @Test
  void failed_sameKindAgain_logsItsTraceOnce() {
    assertThat(errors.failed(new NullPointerException(), "GET", "/status/db1").trace()).isNotNull();

    // Another server's status is the same endpoint: not a new kind.
    FailureStreak.Line again = errors.failed(new NullPointerException(), "GET", "/status/db2");
    assertThat(again.level()).isEqualTo(Level.DEBUG);
    assertThat(again.trace()).isNull();

    clock.advance(FailureStreak.DEFAULT_REMINDER);
    FailureStreak.Line reminder = errors.failed(new NullPointerException(), "GET", "/status");
    assertThat(reminder.level()).isEqualTo(Level.WARN);
    assertThat(reminder.trace()).isNull();
    assertThat(reminder.text()).contains("still failing: 3 attempts");
  }

  @Test
  void failed_sameClassOnAnotherEndpoint_isANewKind() {
    errors.failed(new NullPointerException(), "GET", "/status");
    assertThat(errors.failed(new NullPointerException(), "GET", "/check/db1").trace()).isNotNull();
  }

  @Test
  void failed_sameKindAfterAQuietPeriod_logsItsTraceAgain() {
    errors.failed(new NullPointerException(), "GET", "/history");
    clock.advance(InternalErrors.QUIET);
    FailureStreak.Line back = errors.failed(new NullPointerException(), "GET", "/history");
    assertThat(back.level()).isEqualTo(Level.WARN);
    assertThat(back.trace()).isNotNull();
  }

  @Test
  void failed_moreKindsThanTheBound_forgetsTheLeastRecent() {
    for (int i = 0; i <= InternalErrors.MAX_KINDS; i++) {
      errors.failed(new NullPointerException(), "GET", "/p" + i);
    }
    // /p0 was forgotten to make room: a trace again. The newest is still remembered.
    assertThat(errors.failed(new NullPointerException(), "GET", "/p0").trace()).isNotNull();
    assertThat(errors.failed(new NullPointerException(), "GET", "/p" + InternalErrors.MAX_KINDS)
        .trace()).isNull();
  }

  @Test
  void endpoint_isTheFirstSegment() {
    assertThat(InternalErrors.endpoint("/status/db1")).isEqualTo("/status");
    assertThat(InternalErrors.endpoint("/wait")).isEqualTo("/wait");
    assertThat(InternalErrors.endpoint("/")).isEqualTo("/");
    assertThat(InternalErrors.endpoint("")).isEqualTo("/");
  }
}
