package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
  void limits_waitCapMustLeaveDispatcherThreads() {
    Limits d = Limits.DEFAULTS;

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Limits(4,
        d.dispatcherQueue(), 4, d.maxSubscribers(), d.subscriberBacklog(), d.writeTimeout(),
        d.keepAlive(), d.recheck(), d.pace(), d.maxGtidLength()));

    assertThat(e.getMessage()).isEqualTo("maxConcurrentWaits must be between 0 and dispatcherThreads - 1 (3), was 4");
  }
}
