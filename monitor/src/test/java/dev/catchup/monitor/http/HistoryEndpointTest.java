package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.lag.LagHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /history}: the sampled lag of every replica (the fixture keeps 5 samples). */
class HistoryEndpointTest {
  private final ApiFixture f = new ApiFixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** Samples once a second for {@code n} seconds of the fixture's clock. */
  private void sampleSeconds(int n) {
    for (int i = 0; i < n; i++) {
      f.clock.advance(Duration.ofSeconds(1));
      f.history.sample();
    }
  }

  private static List<String> ats(JsonNode samples) {
    List<String> out = new ArrayList<>();
    samples.forEach(s -> out.add(s.path("at").asText()));
    return out;
  }

  @Test
  void history_beforeAnySample_listsEveryReplicaWithNoSamples() {
    JsonNode body = f.body(f.get("/history"));

    assertThat(body.path("intervalMillis").asLong()).isEqualTo(1000);
    assertThat(body.path("capacity").asInt()).isEqualTo(5);
    assertThat(body.path("now").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(body.path("replicas")).hasSize(2);
    assertThat(body.path("replicas").get(0).path("name").asText()).isEqualTo("replica1");
    assertThat(body.path("replicas").get(1).path("samples")).isEmpty();
  }

  @Test
  void history_recordsLagStateAndMissingTransactions() {
    f.publishUp("primary", upTo(10));
    f.publishUp("replica1", upTo(10));
    f.publishUp("replica2", upTo(7));
    f.history.sample();

    JsonNode replicas = f.body(f.get("/history")).path("replicas");

    JsonNode caughtUp = replicas.get(0).path("samples").get(0);
    assertThat(caughtUp.path("at").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(caughtUp.path("state").asText()).isEqualTo("UP");
    assertThat(caughtUp.path("secondsBehind").asDouble()).isZero();
    assertThat(caughtUp.path("missingTransactions").asLong()).isZero();
    assertThat(caughtUp.path("heartbeatLagSeconds").isNull()).isTrue();
    JsonNode behind = replicas.get(1).path("samples").get(0);
    assertThat(behind.path("missingTransactions").asLong()).isEqualTo(3);
    assertThat(behind.path("secondsBehind").isNull()).isTrue(); // commit times of 8-10 never seen
  }

  @Test
  void history_staleReplica_isSampledUnknown() {
    f.allUp();
    f.clock.advance(ApiFixture.STALE_AFTER.plusSeconds(1));
    f.publishUp("primary", upTo(10));
    f.publishUp("replica1", upTo(10));
    f.registry.publish(f.status("replica2", upTo(10), FeedState.DISCONNECTED, f.clock.instant(),
        ApiFixture.RUNNING));
    f.history.sample();

    JsonNode replicas = f.body(f.get("/history")).path("replicas");

    assertThat(replicas.get(0).path("samples").get(0).path("state").asText()).isEqualTo("UP");
    assertThat(replicas.get(1).path("samples").get(0).path("state").asText()).isEqualTo("UNKNOWN");
  }

  @Test
  void history_keepsOnlyTheNewestCapacitySamples() {
    f.allUp();
    sampleSeconds(8);

    JsonNode samples = f.body(f.get("/history")).path("replicas").get(0).path("samples");

    assertThat(ats(samples)).containsExactly("2025-01-01T00:00:04Z", "2025-01-01T00:00:05Z",
        "2025-01-01T00:00:06Z", "2025-01-01T00:00:07Z", "2025-01-01T00:00:08Z");
  }

  @Test
  void history_since_returnsOnlyNewerSamples() {
    f.allUp();
    sampleSeconds(3);

    JsonNode body = f.body(f.get("/history?since=2025-01-01T00:00:02Z"));

    assertThat(body.path("now").asText()).isEqualTo("2025-01-01T00:00:03Z");
    for (JsonNode replica : body.path("replicas")) {
      assertThat(ats(replica.path("samples"))).containsExactly("2025-01-01T00:00:03Z");
    }
    assertThat(f.body(f.get("/history?since=2025-01-01T00:00:03Z")).path("replicas").get(0)
        .path("samples")).isEmpty();
  }

  @Test
  void history_timesHaveMillisecondsAtMost() {
    f.clock.advance(Duration.ofNanos(1_234_567_891));
    f.allUp();
    f.history.sample();

    JsonNode body = f.body(f.get("/history"));

    assertThat(body.path("now").asText()).isEqualTo("2025-01-01T00:00:01.234Z");
    assertThat(body.path("replicas").get(0).path("samples").get(0).path("at").asText())
        .isEqualTo("2025-01-01T00:00:01.234Z");
  }

  @Test
  void historyOfOne_returnsThatReplicaOnly() {
    f.allUp();
    sampleSeconds(2);

    JsonNode body = f.body(f.get("/history/replica2?since=2025-01-01T00:00:01Z"));

    assertThat(body.path("name").asText()).isEqualTo("replica2");
    assertThat(body.path("capacity").asInt()).isEqualTo(5);
    assertThat(body.has("replicas")).isFalse();
    assertThat(ats(body.path("samples"))).containsExactly("2025-01-01T00:00:02Z");
  }

  @Test
  void historyOfPrimary_returns400NamingTheReplicas() {
    assertThat(f.error(f.get("/history/primary"), 400))
        .isEqualTo("primary has no lag history; ask for a replica: replica1, replica2");
  }

  @Test
  void historyOfUnknown_returns404() {
    assertThat(f.error(f.get("/history/nope"), 404))
        .isEqualTo("unknown server 'nope'; known: primary, replica1, replica2");
  }

  @Test
  void history_badSince_returns400() {
    assertThat(f.error(f.get("/history?since=yesterday"), 400)).isEqualTo("since must be an ISO-8601 "
        + "instant like 2025-01-01T00:00:05Z (the 'at' of the newest sample you hold), was 'yesterday'");
    assertThat(f.error(f.get("/history?since=1735689600000"), 400)).startsWith("since must be");
    assertThat(f.error(f.get("/history?replica=replica1"), 400))
        .isEqualTo("unknown query parameter 'replica' for /history; allowed: since");
  }

  @Test
  void start_samplesOnItsOwnTimer_untilClosed() {
    LagHistory h = LagHistory.start(f.registry, Duration.ofMillis(5), 1000);
    try {
      ApiFixture.eventually("two timed samples", () -> size(h) >= 2);
    } finally {
      h.close();
    }
    int after = size(h);
    // Ten intervals in which a timer that outlived close() would have sampled again.
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));

    assertThat(size(h)).isEqualTo(after);
  }

  private static int size(LagHistory h) {
    return h.samples("replica1", null).size();
  }

  @Test
  void new_zeroInterval_throwsNamingTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LagHistory(f.registry, Duration.ZERO, 5));

    assertThat(e.getMessage()).isEqualTo("history interval must be positive, was PT0S");
  }
}
