package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.enc;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer-token auth: every endpoint but the probes ({@code /livez}, {@code /readyz},
 * {@code /health}) and the status page; the token is never echoed.
 */
class AuthTest {
  private static final String TOKEN = "s3cr3t-T0ken_value";
  private static final List<String> PATHS = List.of("/status", "/status/replica1", "/status/nope",
      "/check", "/check/replica1", "/check/primary", "/has?gtid=" + enc(ApiFixture.SOURCE + ":1"),
      "/has?gtid=bad", "/wait?gtid=" + enc(ApiFixture.SOURCE + ":1") + "&timeout=0",
      "/metrics", "/livez", "/readyz", "/health", "/nope", "/status?x=1", "/history",
      "/history/replica1", "/");

  private final ApiFixture f = new ApiFixture(TOKEN, Limits.DEFAULTS, null).allUp();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void auth_missingToken_returns401WithChallenge() {
    HttpResponse<String> r = f.get("/status");

    assertThat(f.error(r, 401)).isEqualTo("missing or invalid bearer token (send Authorization: Bearer <token>)");
    assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"catchup\"");
  }

  @Test
  void auth_wrongToken_returns401() {
    for (String header : List.of("Bearer nope", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
        "Basic " + TOKEN, TOKEN, "Bearer")) {
      assertThat(f.get("/status", "Authorization", header).statusCode()).as(header).isEqualTo(401);
    }
  }

  @Test
  void auth_rightToken_isAccepted_schemeCaseInsensitive() {
    assertThat(f.get("/status", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(f.get("/check/replica1", "Authorization", "bearer " + TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void auth_probes_needNoToken() {
    assertThat(f.get("/health").statusCode()).isEqualTo(200);
    assertThat(f.get("/livez").statusCode()).isEqualTo(200);
    assertThat(f.get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void auth_statusPage_needsNoToken_butHistoryDoes() {
    assertThat(f.get("/").statusCode()).isEqualTo(200);
    assertThat(f.get("/history").statusCode()).isEqualTo(401);
    assertThat(f.get("/history", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void auth_unknownPathWithoutToken_returns401Not404() {
    assertThat(f.get("/nope").statusCode()).isEqualTo(401);
  }

  @Test
  void auth_stream_needsToken() throws Exception {
    assertThat(f.get("/stream").statusCode()).isEqualTo(401);

    HttpResponse<InputStream> r = f.http.send(f.request("/stream", "Authorization", "Bearer " + TOKEN)
        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (SseClient c = new SseClient(r.body())) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(c.nextEvent().data().toString()).doesNotContain(TOKEN);
    }
  }

  @Test
  void auth_tokenNeverAppearsInAnyResponse() {
    for (String path : PATHS) {
      for (String header : List.of("Bearer " + TOKEN, "Bearer wrong", "Basic " + TOKEN)) {
        HttpResponse<String> r = f.get(path, "Authorization", header);
        assertThat(r.body()).as(path).doesNotContain(TOKEN);
        for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
          assertThat(h.getValue().toString()).as(path + " header " + h.getKey()).doesNotContain(TOKEN);
        }
      }
    }
  }
}
