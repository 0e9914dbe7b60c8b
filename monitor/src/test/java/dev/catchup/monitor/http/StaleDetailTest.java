package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.RUNNING;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.ServerStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code /status} and {@code /check} say of a replica that cannot be reached. */
class StaleDetailTest {
  private final ApiFixture f = new ApiFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void status_replicaNotConfirmedWithinStaleAfter_hidesItsLastThreads() {
    f.allUp();
    f.clock.advance(ApiFixture.STALE_AFTER.plusSeconds(1));
    f.publishUp("primary", upTo(10)); // the primary is still read; replica1's tracker is not

    JsonNode replica = f.body(f.get("/status/replica1"));

    assertThat(replica.path("state").asText()).isEqualTo("UNKNOWN");
    assertThat(replica.path("threads").isNull()).as("last io=Yes sql=Yes no longer shown").isTrue();
    assertThat(replica.path("threadsUnknown").asText())
        .startsWith("'replica1' is UNKNOWN: last confirmed 6000 ms ago");
  }

  @Test
  void status_threadsUnreadable_saysWhy() {
    f.allUp();
    f.registry.publish(withThreadsError("replica1",
        "server not reachable: Communications link failure"));

    JsonNode replica = f.body(f.get("/status/replica1"));

    assertThat(replica.path("threads").isNull()).isTrue();
    assertThat(replica.path("threadsUnknown").asText())
        .isEqualTo("server not reachable: Communications link failure");
  }

  @Test
  void status_currentThreads_areShown_withoutAReason() {
    f.allUp();
    JsonNode replica = f.body(f.get("/status/replica1"));
    assertThat(replica.path("threads").path("ioRunning").asText()).isEqualTo("Yes");
    assertThat(replica.has("threadsUnknown")).isFalse();
  }

  @Test
  void status_replicaNeverReachable_reportsLagUnknown_evenAsTimePasses() {
    // The climbing age needs the primary's commit times (fed by its tracker): RegistryTest.
    f.publishUp("primary", upTo(10));
    f.publishUp("replica2", upTo(10));
    f.clock.advance(Duration.ofSeconds(30));
    f.publishUp("primary", upTo(10));

    JsonNode lag = f.body(f.get("/status/replica1")).path("lag");

    assertThat(lag.path("state").asText()).isEqualTo("UNKNOWN");
    assertThat(lag.path("missingTransactions").isNull()).as("not 10").isTrue();
    assertThat(lag.path("secondsBehind").isNull()).as("not a climbing age").isTrue();
  }

  @Test
  void check_threadsUnreadable_givesTheRealReason() {
    f.allUp();
    f.registry.publish(withThreadsError("replica1", "replication threads unreadable "
        + "(SHOW SLAVE STATUS): Access denied; you need (at least one of) the SLAVE MONITOR "
        + "privilege(s) for this operation"));

    JsonNode body = f.body(f.get("/check/replica1"));

    assertThat(body.path("status").asInt()).isEqualTo(503);
    assertThat(body.path("reason").asText()).startsWith("replication threads unreadable")
        .contains("SLAVE MONITOR");
  }

  private ServerStatus withThreadsError(String name, String why) {
    ServerStatus up = f.status(name, upTo(10), FeedState.CONNECTED, f.clock.instant(), RUNNING);
    return new ServerStatus(up.name(), Role.REPLICA, up.confirmation(),
        new ServerStatus.Binlog(up.feed(), up.binlog().lastEventAt(),
            up.binlog().transactionsPerSecond(), null, null, 0, 0),
        new ServerStatus.Replication(null, why, null), why, up.version() + 1);
  }
}
