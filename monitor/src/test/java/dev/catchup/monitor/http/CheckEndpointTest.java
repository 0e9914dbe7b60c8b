package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.RUNNING;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.tracking.LagReport;
import dev.catchup.monitor.tracking.ServerState;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /check[/{name}]}: 200 serve, 429 lagging, 503 unknown or stopped. */
class CheckEndpointTest {
  private final ApiFixture f = new ApiFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void check_caughtUpReplica_returns200() {
    f.allUp();

    HttpResponse<String> r = f.get("/check/replica1");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = f.body(r);
    assertThat(body.path("replica").asText()).isEqualTo("replica1");
    assertThat(body.path("ok").asBoolean()).isTrue();
    assertThat(body.path("reason").asText()).isEqualTo("caught up");
    assertThat(body.path("secondsBehind").asDouble()).isZero();
    assertThat(body.path("maxLag").asDouble()).isEqualTo(1.0);
    assertThat(body.path("threadsRunning").asBoolean()).isTrue();
  }

  @Test
  void check_maxLagZero_caughtUp_returns200() {
    f.allUp();

    assertThat(f.get("/check/replica1?maxLag=0").statusCode()).isEqualTo(200);
  }

  @Test
  void check_missingTransactionsOfUnknownAge_returns429() {
    f.allUp();
    f.publishUp("replica2", upTo(4));

    HttpResponse<String> r = f.get("/check/replica2?maxLag=1.5");

    assertThat(r.statusCode()).isEqualTo(429);
    JsonNode body = f.body(r);
    assertThat(body.path("reason").asText()).isEqualTo("lagging: 6 transactions missing, age unknown");
    assertThat(body.path("missingTransactions").asLong()).isEqualTo(6);
    assertThat(body.path("maxLag").asDouble()).isEqualTo(1.5);
  }

  @Test
  void check_replicaStale_returns503() {
    f.allUp();
    f.registry.publish(f.status("replica1", upTo(10), FeedState.CONNECTED,
        f.clock.instant().minusSeconds(9), RUNNING));

    HttpResponse<String> r = f.get("/check/replica1");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(f.body(r).path("reason").asText())
        .isEqualTo("'replica1' is UNKNOWN: last confirmed 9000 ms ago (staleAfter PT5S)");
  }

  @Test
  void check_feedDisconnected_returns503() {
    f.allUp();
    f.registry.publish(f.status("replica1", upTo(10), FeedState.DISCONNECTED, f.clock.instant(), RUNNING));

    HttpResponse<String> r = f.get("/check/replica1");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(f.body(r).path("state").asText()).isEqualTo("UNKNOWN");
  }

  @Test
  void check_primaryStale_returns503LagUnknown() {
    f.allUp();
    f.registry.publish(f.status("primary", upTo(10), FeedState.CONNECTED,
        f.clock.instant().minusSeconds(6), null));

    HttpResponse<String> r = f.get("/check/replica1");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(f.body(r).path("reason").asText()).startsWith("lag unknown: primary 'primary' is UNKNOWN");
  }

  @Test
  void check_sqlThreadStopped_returns503WithTheError() {
    f.allUp();
    ReplicationThreads stopped = new ReplicationThreads("Yes", "No", "",
        "Error 'Duplicate entry' on query", 3L, 0);
    f.registry.publish(f.status("replica1", upTo(10), FeedState.CONNECTED, f.clock.instant(), stopped));

    HttpResponse<String> r = f.get("/check/replica1");

    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode body = f.body(r);
    assertThat(body.path("reason").asText()).isEqualTo("replication not running: IO thread Yes, "
        + "SQL thread No; last SQL error: Error 'Duplicate entry' on query");
    assertThat(body.path("threadsRunning").asBoolean()).isFalse();
  }

  @Test
  void check_threadsNotReadYet_returns503() {
    f.allUp();
    f.registry.publish(f.status("replica1", upTo(10), FeedState.CONNECTED, f.clock.instant(), null));

    HttpResponse<String> r = f.get("/check/replica1");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(f.body(r).path("reason").asText()).isEqualTo("replication threads not read yet");
  }

  @Test
  void check_primary_returns400() {
    assertThat(f.error(f.get("/check/primary"), 400))
        .isEqualTo("primary has no lag; check a replica: replica1, replica2");
  }

  @Test
  void check_unknownName_returns404() {
    assertThat(f.error(f.get("/check/replica9"), 404))
        .isEqualTo("unknown server 'replica9'; known: primary, replica1, replica2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1e3", "NaN", "Infinity", "1.5d", "0x10", "", "1."})
  void check_malformedMaxLag_returns400(String maxLag) {
    assertThat(f.error(f.get("/check/replica1?maxLag=" + ApiFixture.enc(maxLag)), 400))
        .isEqualTo("maxLag must be a number of seconds like 1.5, was '" + maxLag + "'");
  }

  @Test
  void checkAll_oneReplicaPasses_returns200ListingEach() {
    f.allUp();
    f.publishUp("replica2", upTo(4));

    HttpResponse<String> r = f.get("/check");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = f.body(r);
    assertThat(body.path("ok").asBoolean()).isTrue();
    assertThat(body.path("replicas")).hasSize(2);
    assertThat(body.path("replicas").get(0).path("status").asInt()).isEqualTo(200);
    assertThat(body.path("replicas").get(1).path("status").asInt()).isEqualTo(429);
  }

  @Test
  void checkAll_noneCaughtUp_returns429() {
    f.publishUp("primary", upTo(10));
    f.publishUp("replica1", upTo(9));
    f.publishUp("replica2", upTo(8));

    assertThat(f.get("/check").statusCode()).isEqualTo(429);
  }

  @Test
  void checkAll_allUnknown_returns503() {
    f.allUp();
    f.clock.advance(Duration.ofMinutes(1));

    HttpResponse<String> r = f.get("/check");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(f.body(r).path("ok").asBoolean()).isFalse();
  }

  private static LagReport lag(long missing, Double behind) {
    return new LagReport("replica1", ServerState.UP, missing, behind, null, MysqlGtidSet.empty(), Duration.ZERO,
        null);
  }

  @Test
  void verdict_lagOverLimit_is429() {
    Checks.Verdict v = Checks.verdict(null, RUNNING, lag(40, 3.25), 1.5);

    assertThat(v.status()).isEqualTo(429);
    assertThat(v.reason()).isEqualTo("lagging: 3.25 s behind, over maxLag 1.5 s");
  }

  @Test
  void verdict_lagWithinLimit_is200() {
    Checks.Verdict v = Checks.verdict(null, RUNNING, lag(2, 0.25), 1.5);

    assertThat(v.status()).isEqualTo(200);
    assertThat(v.reason()).isEqualTo("0.25 s behind, within maxLag 1.5 s");
  }

  @Test
  void verdict_lagExactlyAtLimit_is200() {
    assertThat(Checks.verdict(null, RUNNING, lag(2, 1.5), 1.5).status()).isEqualTo(200);
  }

  @Test
  void verdict_unknownWinsOverStoppedThreadsAndLag() {
    ReplicationThreads stopped = new ReplicationThreads("No", "No", "", "", null, 0);

    assertThat(Checks.verdict("stale", stopped, lag(9, 99.0), 1.0).status()).isEqualTo(503);
    assertThat(Checks.verdict(null, stopped, lag(9, 99.0), 1.0).status()).isEqualTo(503);
  }
}
