package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting and stopping the server. */
class HttpApiTest {

  @Test
  void start_portInUse_throwsNamingTheAddress() {
    try (ApiFixture f = new ApiFixture()) {
      HttpSettings same = new HttpSettings("127.0.0.1", f.api.port(), null, Duration.ofSeconds(1),
          Duration.ofSeconds(1));

      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> HttpApi.start(f.registry, same, ApiFixture.VERSION, null));

      assertThat(e.getMessage()).startsWith("cannot listen on 127.0.0.1:" + f.api.port() + ": ");
    }
  }

  @Test
  void start_ephemeralPort_reportsTheBoundOne() {
    try (ApiFixture f = new ApiFixture()) {
      assertThat(f.api.port()).isPositive();
      assertThat(f.get("/health").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void close_stopsServing_andIsIdempotent() {
    ApiFixture f = new ApiFixture().allUp();
    assertThat(f.get("/health").statusCode()).isEqualTo(200);

    long start = System.nanoTime();
    f.api.close();
    f.api.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    Exception e = assertThrows(Exception.class, () -> f.http.send(
        HttpRequest.newBuilder(f.uri("/health")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()));
    assertThat(e).isInstanceOf(IOException.class);
  }

  @Test
  void health_http10WithoutHost_answers200() {
    // The container image's HEALTHCHECK sends exactly this and looks for " 200 ".
    try (ApiFixture f = new ApiFixture().allUp()) {
      String[] reply = f.raw("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      assertThat(reply[0]).startsWith("HTTP/1.1 200 ");
      assertThat(reply[1]).isEqualTo("{\"status\":\"UP\"}");
    }
  }

  @Test
  void start_configuredFanOutLimits_areTheOnesEnforced() throws Exception {
    // Both far below Limits.DEFAULTS (64 subscribers, 8 waits): an API that ignored the settings
    // would admit the second stream and the second wait.
    HttpSettings low = new HttpSettings("127.0.0.1", 0, null, Duration.ofSeconds(1),
        Duration.ofSeconds(5), false, HttpSettings.DEFAULT_HEADER_TIMEOUT,
        HttpSettings.DEFAULT_IDLE_TIMEOUT, HttpSettings.DEFAULT_MAX_CONNECTIONS,
        HttpSettings.DEFAULT_MAX_CONNECTIONS_PER_CLIENT, 1, 1);
    try (ApiFixture f = new ApiFixture(low).allUp()) {
      assertThat(f.get("/metrics").body()).contains("catchup_stream_subscribers_max 1\n")
          .contains("catchup_wait_requests_max 1\n");

      HttpResponse<InputStream> stream = f.http.send(f.request("/stream").GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream open = stream.body()) {
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(f.error(f.get("/stream"), 503))
            .isEqualTo("too many stream subscribers (limit 1, monitor setting http.maxSubscribers)");
      }

      String gtid = ApiFixture.enc(ApiFixture.SOURCE + ":11");
      CompletableFuture<HttpResponse<String>> first = f.getAsync("/wait?gtid=" + gtid + "&timeout=5");
      ApiFixture.eventually("the first wait to register", () -> f.registry.pendingWaiters() == 1);
      assertThat(f.error(f.get("/wait?gtid=" + gtid), 503))
          .isEqualTo("too many waiting requests (limit 1, monitor setting http.maxWaits)");

      f.publishUp("replica1", ApiFixture.upTo(11));
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void limits_waitCapMustLeaveDispatcherThreads() {
    Limits d = Limits.DEFAULTS;

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Limits(4,
        d.dispatcherQueue(), 4, d.maxSubscribers(), d.subscriberBacklog(), d.writeTimeout(),
        d.keepAlive(), d.recheck(), d.pace(), d.maxGtidLength()));

    assertThat(e.getMessage()).isEqualTo("maxConcurrentWaits must be between 0 and dispatcherThreads - 1 (3), was 4");
  }
}
