package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalsTest {
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(Refusals.class);

  @BeforeEach
  void capture() {
    logger.setLevel(Level.DEBUG);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
    logger.setLevel(null);
  }

  @Test
  void refused_aStreak_logsOnceNamingTheSetting_andTheEndOfTheStreakWithItsCount() {
    Refusals r = new Refusals("http.maxSubscribers", "stream subscribers", 64);

    r.accepted();
    for (int i = 0; i < 5; i++) {
      r.refused();
    }
    r.accepted();
    r.accepted();
    r.refused();

    List<String> lines = logs.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage())
        .toList();
    assertThat(lines).containsExactly(
        "WARN refusing stream subscribers with 503: 64 are open (http.maxSubscribers 64); raise it, "
            + "or spread the clients over more monitors",
        "INFO accepting stream subscribers again; 5 refused (503) while 64 (http.maxSubscribers) "
            + "were open",
        "WARN refusing stream subscribers with 503: 64 are open (http.maxSubscribers 64); raise it, "
            + "or spread the clients over more monitors");
    assertThat(r.total()).isEqualTo(6);
  }

  @Test
  void accepted_afterEachOfTwoStreaks_reportsEachStreaksOwnCount() {
    Refusals r = new Refusals("http.maxWaits", "waiting requests", 8);

    for (int i = 0; i < 3; i++) {
      r.refused();
    }
    r.accepted();
    r.refused();
    r.refused();
    r.accepted();

    assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage)).containsExactly(
        "accepting waiting requests again; 3 refused (503) while 8 (http.maxWaits) were open",
        "accepting waiting requests again; 2 refused (503) while 8 (http.maxWaits) were open");
    assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.WARN)).hasSize(2);
    assertThat(r.total()).isEqualTo(5);
  }
}
