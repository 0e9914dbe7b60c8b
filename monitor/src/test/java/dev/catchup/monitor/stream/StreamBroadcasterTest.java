package dev.catchup.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.tracking.Registry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The broadcaster's logging of a status it cannot send. */
class StreamBroadcasterTest {
  private static final StreamLimits LIMITS = new StreamLimits(4, 16, Duration.ofSeconds(5),
      Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMillis(1));

  /** Keeps the broadcaster's lines; a latch per INFO line, which ends a streak. */
  private static final class Lines extends AppenderBase<ILoggingEvent> {
    final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    final CountDownLatch info = new CountDownLatch(1);

    @Override
    protected void append(ILoggingEvent e) {
      events.add(e);
      if (e.getLevel() == Level.INFO) {
        info.countDown();
      }
    }
  }

  private final Lines lines = new Lines();
  private final Logger logger = (Logger) LoggerFactory.getLogger(StreamBroadcaster.class);

  @BeforeEach
  void capture() {
    logger.setLevel(Level.DEBUG);
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(null);
  }

  @Test
  void cycle_statusFailsRepeatedlyThenWorks_warnsOnceThenLogsTheRecovery() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    Registry registry = new Registry(Flavor.MYSQL, clock, Duration.ofSeconds(3), "p1", List.of());
    AtomicBoolean broken = new AtomicBoolean(true);
    CountDownLatch failures = new CountDownLatch(3);
    StatusEncoder encoder = (s, state, behind) -> {
      if (broken.get()) {
        failures.countDown();
        throw new IllegalStateException("cannot encode " + s.name());
      }
      return ("data: " + s.name() + "\n\n").getBytes(StandardCharsets.US_ASCII);
    };

    try (StreamBroadcaster b = StreamBroadcaster.start(registry, LIMITS, encoder)) {
      assertThat(failures.await(10, TimeUnit.SECONDS)).isTrue(); // retried at each recheck
      broken.set(false);
      assertThat(lines.info.await(10, TimeUnit.SECONDS)).as("a recovery line").isTrue();
    }

    List<ILoggingEvent> warns = lines.events.stream().filter(e -> e.getLevel() == Level.WARN)
        .toList();
    assertThat(warns).hasSize(1);
    assertThat(warns.get(0).getFormattedMessage()).startsWith("stream: sending the status of p1 "
        + "failed: java.lang.IllegalStateException: cannot encode p1; the other servers' statuses "
        + "still go out; retrying at the next recheck");
    assertThat(warns.get(0).getThrowableProxy().getMessage()).isEqualTo("cannot encode p1");
    assertThat(lines.events.stream().filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage))
        .singleElement().asString().matches("stream: sending the status of p1 recovered after "
            + "\\d+ failed attempts in 0 ms");
  }
}
