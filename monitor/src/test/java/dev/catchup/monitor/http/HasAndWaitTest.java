package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.OTHER_SOURCE;
import static dev.catchup.monitor.http.ApiFixture.RUNNING;
import static dev.catchup.monitor.http.ApiFixture.SOURCE;
import static dev.catchup.monitor.http.ApiFixture.enc;
import static dev.catchup.monitor.http.ApiFixture.eventually;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /has} and the {@code /wait} long-poll. */
class HasAndWaitTest {
  private static final String G = SOURCE + ":10";
  private ApiFixture f = new ApiFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void has_reportsEachReplica() {
    f.allUp();
    f.publishUp("replica2", upTo(9));

    HttpResponse<String> r = f.get("/has?gtid=" + enc(G));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = f.body(r);
    assertThat(body.path("gtid").asText()).isEqualTo(G);
    assertThat(body.path("replicas").path("replica1").asBoolean()).isTrue();
    assertThat(body.path("replicas").path("replica2").asBoolean()).isFalse();
  }

  @Test
  void has_namedReplica_listsOnlyIt() {
    f.allUp();

    JsonNode body = f.body(f.get("/has?gtid=" + enc(G) + "&replica=replica2"));

    assertThat(body.path("replicas").size()).isEqualTo(1);
    assertThat(body.path("replicas").path("replica2").asBoolean()).isTrue();
  }

  @Test
  void has_urlEncodedMultiSourceSet_isDecoded() {
    MysqlGtidSet two = MysqlGtidSet.builder().add(SOURCE, "", 1, 10).add(OTHER_SOURCE, "", 1, 3).build();
    f.publishUp("primary", two);
    f.publishUp("replica1", two);
    f.publishUp("replica2", upTo(10));

    JsonNode body = f.body(f.get("/has?gtid=" + enc(SOURCE + ":1-5,\n" + OTHER_SOURCE + ":2")));

    assertThat(body.path("replicas").path("replica1").asBoolean()).isTrue();
    assertThat(body.path("replicas").path("replica2").asBoolean()).isFalse();
  }

  @Test
  void has_unknownReplicaState_isFalseEvenWhenConfirmed() {
    f.allUp();
    f.registry.publish(f.status("replica1", upTo(10), FeedState.DISCONNECTED, f.clock.instant(), RUNNING));

    JsonNode body = f.body(f.get("/has?gtid=" + enc(G)));

    assertThat(body.path("replicas").path("replica1").asBoolean()).isFalse();
    assertThat(body.path("replicas").path("replica2").asBoolean()).isTrue();
  }

  @Test
  void has_malformedGtid_returns400WithParseMessage() {
    String message = f.error(f.get("/has?gtid=" + enc(SOURCE + ":5-3")), 400);

    assertThat(message).startsWith("gtid: malformed MySQL GTID set at offset ");
  }

  @Test
  void has_missingGtid_returns400() {
    assertThat(f.error(f.get("/has?replica=replica1"), 400))
        .isEqualTo("missing query parameter 'gtid' (a GTID set, URL-encoded)");
  }

  @Test
  void has_gtidOver64KiB_returns400BeforeParsing() {
    String huge = "x".repeat(64 * 1024 + 1);

    assertThat(f.error(f.get("/has?gtid=" + huge), 400)).isEqualTo("gtid is longer than 65536 characters");
  }

  @Test
  void has_unknownReplica_returns404() {
    assertThat(f.error(f.get("/has?gtid=" + enc(G) + "&replica=replica9"), 404))
        .isEqualTo("unknown replica 'replica9'; replicas: replica1, replica2");
  }

  @Test
  void has_primaryAsReplica_returns400() {
    assertThat(f.error(f.get("/has?gtid=" + enc(G) + "&replica=primary"), 400))
        .isEqualTo("'primary' is the primary; name a replica: replica1, replica2");
  }

  @Test
  void wait_confirmedLater_completesWhenPublished() throws Exception {
    f.allUp();
    String g = SOURCE + ":11";
    CompletableFuture<HttpResponse<String>> pending = f.getAsync("/wait?gtid=" + enc(g) + "&timeout=5");
    eventually("the wait to register", () -> f.registry.pendingWaiters() == 1);
    assertThat(pending).isNotDone();

    CompletableFuture.runAsync(() -> f.publishUp("replica2", upTo(11))).get(5, TimeUnit.SECONDS);
    HttpResponse<String> r = pending.get(10, TimeUnit.SECONDS);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(f.body(r).path("replica").asText()).isEqualTo("replica2");
    assertThat(f.body(r).path("waitedMillis").asLong()).isBetween(0L, 5000L);
    assertThat(f.registry.pendingWaiters()).isZero();
  }

  @Test
  void wait_namedReplica_ignoresOthers() throws Exception {
    f.allUp();
    String g = SOURCE + ":11";
    CompletableFuture<HttpResponse<String>> pending =
        f.getAsync("/wait?gtid=" + enc(g) + "&replica=replica1&timeout=5");
    eventually("the wait to register", () -> f.registry.pendingWaiters() == 1);

    f.publishUp("replica2", upTo(11));
    assertThat(pending).isNotDone();
    f.publishUp("replica1", upTo(11));

    assertThat(f.body(pending.get(10, TimeUnit.SECONDS)).path("replica").asText()).isEqualTo("replica1");
  }

  @Test
  void wait_alreadyConfirmed_returns200AtOnce() {
    f.allUp();

    HttpResponse<String> r = f.get("/wait?gtid=" + enc(G));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(f.body(r).path("replica").asText()).isEqualTo("replica1");
  }

  @Test
  void wait_notConfirmedInTime_returns504AndCancels() {
    f.allUp();

    HttpResponse<String> r = f.get("/wait?gtid=" + enc(SOURCE + ":99") + "&timeout=0.05");

    assertThat(r.statusCode()).isEqualTo(504);
    JsonNode body = f.body(r);
    assertThat(body.path("timedOut").asBoolean()).isTrue();
    assertThat(body.path("waitedMillis").asLong()).isGreaterThanOrEqualTo(50);
    assertThat(body.path("error").asText()).isEqualTo("no replica confirmed the GTID set within 50 ms");
    // The registry's timeout may fire first, on the JDK's timer thread, which wakes the handler
    // (who answers) before it runs the cleanup that unregisters the waiter.
    eventually("the timed-out wait to unregister", () -> f.registry.pendingWaiters() == 0);
  }

  @Test
  void wait_timeoutOverMaxWait_returns400() {
    assertThat(f.error(f.get("/wait?gtid=" + enc(G) + "&timeout=5.5"), 400))
        .isEqualTo("timeout must be at most 5.0 seconds (http.maxWait), was 5.5");
  }

  @Test
  void wait_malformedTimeout_returns400() {
    assertThat(f.error(f.get("/wait?gtid=" + enc(G) + "&timeout=-1"), 400))
        .isEqualTo("timeout must be a number of seconds like 2.5, was '-1'");
  }

  @Test
  void wait_malformedGtidOrUnknownReplica_sameRulesAsHas() {
    assertThat(f.get("/wait?gtid=garbage").statusCode()).isEqualTo(400);
    assertThat(f.get("/wait?gtid=" + enc(G) + "&replica=nope").statusCode()).isEqualTo(404);
    assertThat(f.get("/wait?gtid=" + enc(G) + "&replica=primary").statusCode()).isEqualTo(400);
  }

  @Test
  void wait_overConcurrencyCap_returns503() throws Exception {
    f.close();
    Limits d = Limits.DEFAULTS;
    f = new ApiFixture(new Limits(d.dispatcherThreads(), d.dispatcherQueue(), 1, d.maxSubscribers(),
        d.subscriberBacklog(), d.writeTimeout(), d.keepAlive(), d.recheck(), d.pace(), d.maxGtidLength()));
    f.allUp();
    CompletableFuture<HttpResponse<String>> first = f.getAsync("/wait?gtid=" + enc(SOURCE + ":11") + "&timeout=5");
    eventually("the first wait to register", () -> f.registry.pendingWaiters() == 1);

    assertThat(f.error(f.get("/wait?gtid=" + enc(SOURCE + ":11")), 503))
        .isEqualTo("too many waiting requests (limit 1, monitor setting http.maxWaits)");
    assertThat(f.get("/metrics").body()).contains("catchup_wait_requests_refused_total 1\n");

    f.publishUp("replica1", upTo(11));
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(f.get("/wait?gtid=" + enc(SOURCE + ":11")).statusCode()).isEqualTo(200);
  }

  @Test
  void close_endsPendingWaitWith503_quickly() throws Exception {
    f.allUp();
    CompletableFuture<HttpResponse<String>> pending = f.getAsync("/wait?gtid=" + enc(SOURCE + ":11") + "&timeout=5");
    eventually("the wait to register", () -> f.registry.pendingWaiters() == 1);

    long start = System.nanoTime();
    f.api.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    HttpResponse<String> r = pending.get(10, TimeUnit.SECONDS);
    assertThat(f.error(r, 503)).isEqualTo("shutting down");
  }
}
