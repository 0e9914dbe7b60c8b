package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A replica's back-off on the time it is given (the router's ticker). No server, no sleeping. */
class ReplicaTest {
  private static final long T0 = 7_000_000_000L;
  private static final long MS = Duration.ofMillis(1).toNanos();
  private static final GtidSet APPLIED =
      GtidSet.parse(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10");

  @Test
  void markFailed_backsOffForADoublingPeriod_andForgetsWhatItHadApplied() {
    // An unconfigured pool: it connects to nothing unless borrowed from, which this test never does.
    try (Replica r = new Replica("r1", new HikariDataSource(), GtidSet.empty(Flavor.MYSQL))) {
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
    try (Replica r = new Replica("r1", new HikariDataSource(), GtidSet.empty(Flavor.MYSQL))) {
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
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(Replica.class);
    Level before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logs.start();
    logger.addAppender(logs);
    try (Replica r = new Replica("r1", new HikariDataSource(), GtidSet.empty(Flavor.MYSQL))) {
      long at = T0;
      for (int i = 0; i < 20; i++) {
        r.markFailed(at, new SQLException("Connection refused"));
        at += Duration.ofSeconds(31).toNanos(); // past every back-off: each is a new attempt
      }
    } finally {
      logger.detachAppender(logs);
      logger.setLevel(before);
    }
    List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .toList();
    // The streak's reminder runs on the wall clock, far from a minute within this test.
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getThrowableProxy()).isNull();
    assertThat(warnings.get(0).getFormattedMessage()).isEqualTo("replica r1 failed: Connection "
        + "refused; skipping it for 500 ms (attempt 1)");
    assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.DEBUG)).hasSize(19);
  }
}
