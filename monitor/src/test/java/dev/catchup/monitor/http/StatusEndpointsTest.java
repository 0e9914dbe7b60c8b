package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.OTHER_SOURCE;
import static dev.catchup.monitor.http.ApiFixture.RUNNING;
import static dev.catchup.monitor.http.ApiFixture.SOURCE;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /status}, {@code /health} and the rules every endpoint shares. */
class StatusEndpointsTest {
  private final ApiFixture f = new ApiFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void status_reportsEveryServer_withLagForReplicas() {
    f.publishUp("primary", upTo(10));
    f.publishUp("replica1", upTo(10));
    f.publishUp("replica2", upTo(7));
    f.clock.advance(Duration.ofMillis(1500));

    HttpResponse<String> r = f.get("/status");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = f.body(r);
    assertThat(body.path("flavor").asText()).isEqualTo("mysql");
    JsonNode primary = body.path("primary");
    assertThat(primary.path("name").asText()).isEqualTo("primary");
    assertThat(primary.path("role").asText()).isEqualTo("primary");
    assertThat(primary.path("state").asText()).isEqualTo("UP");
    assertThat(primary.path("confirmed").asText()).isEqualTo(SOURCE + ":1-10");
    assertThat(primary.path("confirmedAt").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(primary.path("confirmationAgeMillis").asLong()).isEqualTo(1500);
    assertThat(primary.path("feed").asText()).isEqualTo("CONNECTED");
    assertThat(primary.path("threads").isNull()).isTrue();
    assertThat(primary.has("lag")).isFalse();

    JsonNode replicas = body.path("replicas");
    assertThat(replicas).hasSize(2);
    JsonNode r2 = replicas.get(1);
    assertThat(r2.path("name").asText()).isEqualTo("replica2");
    assertThat(r2.path("threads").path("ioRunning").asText()).isEqualTo("Yes");
    assertThat(r2.path("lag").path("state").asText()).isEqualTo("UP");
    assertThat(r2.path("lag").path("missingTransactions").asLong()).isEqualTo(3);
    assertThat(r2.path("lag").path("secondsBehind").isNull()).isTrue();
    assertThat(r2.path("lag").path("errant").asText()).isEmpty();
    assertThat(replicas.get(0).path("lag").path("secondsBehind").asDouble()).isEqualTo(0.0);
  }

  @Test
  void status_multiSourceSet_keepsServerText() {
    MysqlGtidSet two = MysqlGtidSet.builder().add(SOURCE, "", 1, 5).add(OTHER_SOURCE, "", 1, 3).build();
    f.publishUp("primary", two);

    JsonNode primary = f.body(f.get("/status/primary"));

    assertThat(primary.path("confirmed").asText()).isEqualTo(two.toString()).contains(",\n");
  }

  @Test
  void status_named_returnsOneServerWithLag() {
    f.allUp();

    JsonNode r1 = f.body(f.get("/status/replica1"));

    assertThat(r1.path("name").asText()).isEqualTo("replica1");
    assertThat(r1.path("lag").path("missingTransactions").asLong()).isZero();
  }

  @Test
  void status_unknownServer_returns404() {
    assertThat(f.error(f.get("/status/x"), 404))
        .isEqualTo("unknown server 'x'; known: primary, replica1, replica2");
  }

  @Test
  void status_staleConfirmation_isUnknown() {
    f.allUp();
    f.clock.advance(ApiFixture.STALE_AFTER.plusMillis(1));

    JsonNode body = f.body(f.get("/status"));

    assertThat(body.path("primary").path("state").asText()).isEqualTo("UNKNOWN");
    assertThat(body.path("replicas").get(0).path("lag").path("state").asText()).isEqualTo("UNKNOWN");
  }

  @Test
  void status_unexpectedFailure_returns500WithoutDetails() {
    f.publishUp("primary", upTo(3));
    // A status of the wrong flavor makes lag computation throw: a bug, not bad input.
    f.registry.publish(f.status("replica1", MariaDbGtidSet.of(0, 1, 5), FeedState.CONNECTED,
        f.clock.instant(), RUNNING));

    HttpResponse<String> r = f.get("/status");

    assertThat(f.error(r, 500)).isEqualTo("internal error");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.catchup");
  }

  @Test
  void health_primaryUp_returns200() {
    f.allUp();

    HttpResponse<String> r = f.get("/health");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
  }

  @Test
  void health_primaryStale_returns503Degraded() {
    f.allUp();
    f.clock.advance(Duration.ofSeconds(12));

    HttpResponse<String> r = f.get("/health");

    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode body = f.body(r);
    assertThat(body.path("status").asText()).isEqualTo("DEGRADED");
    assertThat(body.path("reason").asText())
        .isEqualTo("primary 'primary' is UNKNOWN: last confirmed 12000 ms ago (staleAfter PT5S)");
  }

  @Test
  void health_primaryFeedDisconnected_returns503() {
    f.registry.publish(f.status("primary", upTo(1), FeedState.DISCONNECTED, f.clock.instant(), null));

    HttpResponse<String> r = f.get("/health");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(f.body(r).path("reason").asText()).contains("binlog feed DISCONNECTED");
  }

  @Test
  void unknownPath_returns404ListingEndpoints() {
    assertThat(f.error(f.get("/nope"), 404)).startsWith("unknown path '/nope'; endpoints: /status");
    assertThat(f.error(f.get("/index.html"), 404)).startsWith("unknown path '/index.html'");
    assertThat(f.error(f.get("/has/replica1"), 404)).startsWith("unknown path '/has/replica1'");
    assertThat(f.error(f.get("/status/replica1/more"), 404)).startsWith("unknown path");
  }

  @Test
  void trailingSlash_isTheSamePath() {
    f.allUp();

    assertThat(f.get("/status/").statusCode()).isEqualTo(200);
  }

  @Test
  void keepAliveRequests_areNotDelayedByNagle() {
    f.allUp();
    f.get("/health"); // connect and warm up

    long[] nanos = new long[21];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      assertThat(f.get("/health").statusCode()).isEqualTo(200);
      nanos[i] = System.nanoTime() - start;
    }

    // Without TCP_NODELAY every response waits ~40 ms for the client's delayed ACK. The median,
    // not the total: a few requests slowed by a loaded machine do not move it, a delay added to
    // each one does (a few ms each otherwise).
    Arrays.sort(nanos);
    assertThat(Duration.ofNanos(nanos[nanos.length / 2]))
        .as("the median request, of these (ns): %s", Arrays.toString(nanos))
        .isLessThan(Duration.ofMillis(25));
  }

  @Test
  void post_returns405() {
    HttpResponse<String> r = f.send(f.request("/status").POST(HttpRequest.BodyPublishers.ofString("x")).build());

    assertThat(f.error(r, 405)).isEqualTo("method 'POST' not allowed; /status supports GET and HEAD only");
    assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void delete_onStream_returns405() {
    HttpResponse<String> r = f.send(f.request("/stream").DELETE().build());

    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void unknownParameter_returns400NamingIt() {
    assertThat(f.error(f.get("/status?verbose=1"), 400))
        .isEqualTo("unknown query parameter 'verbose' for /status; allowed: none");
    assertThat(f.error(f.get("/has?gtid=&replcia=replica1"), 400))
        .isEqualTo("unknown query parameter 'replcia' for /has; allowed: gtid, replica");
  }

  @Test
  void duplicateParameter_returns400NamingIt() {
    assertThat(f.error(f.get("/check/replica1?maxLag=1&maxLag=2"), 400))
        .isEqualTo("duplicate query parameter 'maxLag'");
  }

  @Test
  void malformedPercentEncoding_returns400() {
    // Our decoder rejects it (QueryTest); HostileClientsTest checks such replies are JSON.
    assertThat(f.rawGet("/has?gtid=%zz")[0]).isEqualTo("HTTP/1.1 400 Bad Request");
  }
}
