package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.SOURCE;
import static dev.catchup.monitor.http.ApiFixture.enc;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.tracking.ServerStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /livez}, {@code /readyz}, {@code /health}; HEAD on every GET endpoint; Retry-After on
 * every 429 and 503; no driver error for callers without the token.
 */
class ProbesTest {
  private static final String TOKEN = "pr0be-token";
  private static final String DRIVER_ERROR =
      "Access denied for user 'catchup_monitor'@'10.0.0.5' (using password: YES)";

  private ApiFixture f = new ApiFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private ApiFixture withToken() {
    f.close();
    f = new ApiFixture(TOKEN, Limits.DEFAULTS, null);
    return f;
  }

  /** {@code name} with its binlog feed down and the driver's refusal as its last error. */
  private void publishRefused(String name) {
    ServerStatus s = f.status(name, upTo(10), FeedState.DISCONNECTED, f.clock.instant(),
        ApiFixture.RUNNING);
    f.registry.publish(new ServerStatus(s.name(), s.role(), s.confirmation(), s.binlog(),
        s.replication(), DRIVER_ERROR, s.version()));
  }

  @Test
  void livez_nothingEverConfirmed_returns200() {
    HttpResponse<String> r = f.get("/livez");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
  }

  @Test
  void readyz_primaryAndOneReplicaUp_returns200() {
    f.publishUp("primary", upTo(10));
    f.publishUp("replica2", upTo(10));

    HttpResponse<String> r = f.get("/readyz");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"READY\",\"replicasUp\":1,\"replicas\":2}");
  }

  @Test
  void readyz_noReplicaUp_returns503NamingEach() {
    f.publishUp("primary", upTo(10));

    HttpResponse<String> r = f.get("/readyz");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).hasValue("1");
    JsonNode body = f.body(r);
    assertThat(body.path("status").asText()).isEqualTo("NOT_READY");
    assertThat(body.path("reason").asText()).startsWith("no replica is UP: 'replica1' is UNKNOWN: ")
        .contains("; 'replica2' is UNKNOWN: ");
  }

  @Test
  void readyz_primaryStale_returns503() {
    f.allUp();
    f.clock.advance(Duration.ofSeconds(12));

    HttpResponse<String> r = f.get("/readyz");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(f.body(r).path("reason").asText())
        .isEqualTo("primary 'primary' is UNKNOWN: last confirmed 12000 ms ago (staleAfter PT5S)");
  }

  @Test
  void probes_withoutTheToken_withholdTheDriversError() {
    withToken();
    publishRefused("primary");
    f.publishUp("replica1", upTo(10));

    for (String probe : List.of("/health", "/readyz")) {
      HttpResponse<String> r = f.get(probe);

      assertThat(r.statusCode()).as(probe).isEqualTo(503);
      assertThat(r.body()).as(probe).doesNotContain("Access denied").doesNotContain("10.0.0.5");
      JsonNode body = f.body(r);
      assertThat(body.path("reason").asText()).as(probe).isEqualTo("primary 'primary' is UNKNOWN: "
          + "binlog feed DISCONNECTED (last error: in /status and the log)");
      assertThat(body.has("detail")).as(probe).isFalse();
    }
  }

  @Test
  void probes_withTheToken_giveTheDriversErrorAsDetail() {
    withToken();
    publishRefused("primary");

    for (String probe : List.of("/health", "/readyz")) {
      JsonNode body = f.body(f.get(probe, "Authorization", "Bearer " + TOKEN));

      assertThat(body.path("detail").asText()).as(probe).isEqualTo("primary 'primary' is UNKNOWN: "
          + "binlog feed DISCONNECTED; last error: " + DRIVER_ERROR);
    }
  }

  @Test
  void probes_noTokenConfigured_neverCarryTheDriversError() {
    f.publishUp("primary", upTo(10));
    publishRefused("replica1");
    publishRefused("replica2");

    HttpResponse<String> r = f.get("/readyz");

    assertThat(r.body()).doesNotContain("Access denied");
    assertThat(f.body(r).path("reason").asText()).isEqualTo("no replica is UP: 'replica1' is "
        + "UNKNOWN: binlog feed DISCONNECTED (last error: in /status and the log); 'replica2' is "
        + "UNKNOWN: binlog feed DISCONNECTED (last error: in /status and the log)");
  }

  @Test
  void head_everyGetEndpoint_sameStatusAndHeaders_noBody() {
    f.allUp();
    String gtid = enc(SOURCE + ":1-3");
    for (String path : List.of("/", "/status", "/status/replica1", "/status/nope", "/history",
        "/history/replica1", "/check", "/check/replica1", "/has?gtid=" + gtid,
        "/wait?gtid=" + gtid + "&timeout=1s", "/metrics", "/livez", "/readyz", "/health",
        "/nope")) {
      HttpResponse<String> get = f.get(path);
      HttpResponse<String> head = f.send(f.request(path)
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

      assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
      assertThat(head.body()).as(path).isEmpty();
      assertThat(head.headers().firstValue("content-type")).as(path)
          .isEqualTo(get.headers().firstValue("content-type"));
      if (!path.equals("/metrics")) { // its figures (requests served) move between the two
        assertThat(head.headers().firstValueAsLong("content-length")).as(path)
            .hasValue(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      }
    }
  }

  @Test
  void head_stream_answersWithTheStreamsHeaders_withoutSubscribing() {
    f.allUp();

    HttpResponse<String> head = f.send(f.request("/stream")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
    assertThat(head.body()).isEmpty();
    assertThat(f.get("/metrics").body()).contains("catchup_stream_subscribers 0");
  }

  @Test
  void retryAfter_onEvery429And503() {
    f.allUp();
    f.publishUp("replica2", upTo(4));

    HttpResponse<String> lagging = f.get("/check/replica2");
    assertThat(lagging.statusCode()).isEqualTo(429);
    assertThat(lagging.headers().firstValue("retry-after")).hasValue("1");

    f.clock.advance(Duration.ofSeconds(12));
    for (String path : List.of("/check/replica1", "/check", "/health", "/readyz")) {
      HttpResponse<String> r = f.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(r.headers().allValues("retry-after")).as(path).containsExactly("1");
    }
  }

  @Test
  void retryAfter_notOnSuccess() {
    f.allUp();

    assertThat(f.get("/check/replica1").headers().firstValue("retry-after")).isEmpty();
  }
}
