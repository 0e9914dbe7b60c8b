package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.LogCapture;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A replica's back-off on the time it is given (the router's ticker). No server, no sleeping. */
class ReplicaTest {
  private static final long T0 = 7_000_000_000L;
  private static final long MS = Duration.ofMillis(1).toNanos();
  private static final GtidSet APPLIED =
      GtidSet.parse(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10");

  @Test
  void markFailed_backsOffForADoublingPeriod_andForgetsWhatItHadApplied() {
    // An unconfigured pool: it connects to nothing unless borrowed from, which this test never does.
    try (Replica r = replica()) {
      r.confirmed(APPLIED);
      r.markFailed(T0, new SQLException("refused"));
      assertThat(r.knownToHave(APPLIED)).isFalse();
      assertThat(r.isAvailable(T0 + 499 * MS)).isFalse();
      assertThat(r.isAvailable(T0 + 500 * MS)).isTrue();

      r.markFailed(T0 + 500 * MS, new SQLException("refused"));
      assertThat(r.isAvailable(T0 + 1_499 * MS)).as("twice the first back-off").isFalse();
      assertThat(r.isAvailable(T0 + 1_500 * MS)).isTrue();
    }
  }

  @Test
  void markFailed_againDuringTheBackOff_doesNotEscalateIt() {
    try (Replica r = replica()) {
      r.markFailed(T0, new SQLException("refused"));
      r.markFailed(T0 + 100 * MS, new SQLException("refused"));
      assertThat(r.isAvailable(T0 + 500 * MS)).as("one outage, one back-off").isTrue();
      r.markFailed(T0 + 500 * MS, new SQLException("refused"));
      assertThat(r.isAvailable(T0 + 1_499 * MS)).isFalse();
      assertThat(r.isAvailable(T0 + 1_500 * MS)).isTrue();
    }
  }

  @Test
  void markFailed_repeatedOutage_warnsOnceWithoutTrace_thenDebugPerAttempt() {
    LogCapture logs = capture();
    try (logs; Replica r = replica()) {
      long at = T0;
      for (int i = 0; i < 20; i++) {
        r.markFailed(at, new SQLException("Connection refused"));
        at += Duration.ofSeconds(31).toNanos(); // past every back-off: each is a new attempt
      }
    }
    List<ILoggingEvent> warnings = logs.events(Level.WARN);
    // The streak's clock is the ticker's (replica() leaves it still), not the wall clock's.
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getThrowableProxy()).isNull();
    assertThat(warnings.get(0).getFormattedMessage()).isEqualTo("replica r1 failed: Connection "
        + "refused; skipping it for 500 ms (attempt 1)");
    assertThat(logs.events(Level.DEBUG)).hasSize(19);
  }

  @Test
  void markFailed_outageLongerThanAMinuteOfTheTicker_remindsOncePerMinuteWithTheCount() {
    AtomicLong now = new AtomicLong(T0);
    LogCapture logs = capture();
    try (logs; Replica r = new Replica("r1", new HikariDataSource(), GtidSet.empty(Flavor.MYSQL),
        new TickerClock(now::get, Instant.parse("2026-12-05T10:00:00Z")))) {
      for (int i = 0; i < 5; i++) { // at 0, 31, 62, 93 and 124 s of the ticker
        r.markFailed(now.get(), new SQLException("Connection refused"));
        now.addAndGet(Duration.ofSeconds(31).toNanos());
      }
    }
    assertThat(logs.messages(Level.WARN)).containsExactly(
        "replica r1 failed: Connection refused; skipping it for 500 ms (attempt 1)",
        "replica r1 still failing: 3 attempts since 2026-12-05T10:00:00Z (1 min 2 s), last: "
            + "Connection refused; skipping it for 2000 ms (attempt 3)",
        "replica r1 still failing: 5 attempts since 2026-12-05T10:00:00Z (2 min 4 s), last: "
            + "Connection refused; skipping it for 8000 ms (attempt 5)");
  }

  /** A replica whose outage streak keeps the time of a ticker that stands still. */
  private static Replica replica() {
    return new Replica("r1", new HikariDataSource(), GtidSet.empty(Flavor.MYSQL),
        new TickerClock(() -> T0, Instant.parse("2026-12-05T10:00:00Z")));
  }

  /** The replica's lines, at DEBUG; still readable once closed. */
  private static LogCapture capture() {
    return LogCapture.of(Replica.class, Level.DEBUG);
  }
}
