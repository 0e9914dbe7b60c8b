package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every endpoint over real HTTP, backed by a monitor tracking a real topology. */
class HttpApiIT {
  private static final Pattern PRIMARY_TRANSACTIONS = Pattern.compile(
      "\ncatchup_server_transactions_total\\{server=\"primary\",role=\"primary\"\\} ([0-9]+)\n");
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private HttpResponse<String> get(Monitor m, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(Object o) {
    return URLEncoder.encode(o.toString(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void endpoints_reportRealTopology(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    Server replica = t.replica(1);
    try (Monitor m = MonitorFixtures.start(t); Connection p = t.connect(t.primary());
         Statement s = p.createStatement()) {
      await("replicas up", () -> m.registry().replicas().stream()
          .allMatch(r -> m.registry().state(r) == ServerState.UP));

      HttpResponse<String> status = get(m, "/status");
      assertThat(status.statusCode()).isEqualTo(200);
      JsonNode body = json.readTree(status.body());
      assertThat(body.path("primary").path("name").asText()).isEqualTo("primary");
      assertThat(body.path("replicas")).hasSize(t.replicas().size());
      assertThat(body.path("replicas").get(0).path("state").asText()).isEqualTo("UP");

      assertThat(get(m, "/status/" + replica.name()).statusCode()).isEqualTo(200);
      assertThat(get(m, "/status/nope").statusCode()).isEqualTo(404);
      assertThat(get(m, "/health").statusCode()).isEqualTo(200);
      assertThat(get(m, "/check/" + replica.name()).statusCode()).isEqualTo(200);
      assertThat(get(m, "/has?gtid=garbage").statusCode()).isEqualTo(400);

      // A write the replica holds back: /has says no, /check says lagging, /wait returns once applied.
      s.execute("CREATE TABLE IF NOT EXISTS mon_http (id INT PRIMARY KEY AUTO_INCREMENT)");
      assertThat(t.awaitCaughtUp(replica, Duration.ofSeconds(30))).isTrue();
      t.setDelay(replica, Duration.ofSeconds(2));
      try {
        s.execute("INSERT INTO mon_http VALUES ()");
        GtidSet written = MonitorFixtures.executed(t, p, true);
        String g = enc(written);
        JsonNode has = json.readTree(get(m, "/has?gtid=" + g + "&replica=" + replica.name()).body());
        assertThat(has.path("replicas").path(replica.name()).asBoolean()).isFalse();
        CompletableFuture<HttpResponse<String>> wait = http.sendAsync(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + m.httpPort() + "/wait?gtid=" + g + "&replica="
                + replica.name() + "&timeout=20")).build(), HttpResponse.BodyHandlers.ofString());
        await("lag reported", () -> {
          try {
            return get(m, "/check/" + replica.name() + "?maxLag=0.2").statusCode() == 429;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        HttpResponse<String> waited = wait.get();
        assertThat(waited.statusCode()).isEqualTo(200);
        assertThat(json.readTree(waited.body()).path("replica").asText()).isEqualTo(replica.name());
        has = json.readTree(get(m, "/has?gtid=" + g + "&replica=" + replica.name()).body());
        assertThat(has.path("replicas").path(replica.name()).asBoolean()).isTrue();
      } finally {
        t.setDelay(replica, Duration.ZERO);
      }

      String metrics = get(m, "/metrics").body();
      assertThat(metrics).contains("catchup_replica_lag_transactions{server=\"" + replica.name() + "\"}")
          .contains("catchup_server_up{server=\"primary\",role=\"primary\"} 1\n")
          // The build's version, as --version prints it (Version, read once by the monitor).
          .contains("catchup_build_info{version=\"" + System.getProperty("catchup.version") + "\"} 1\n")
          .doesNotContain(t.password() + "\"");
      // The INSERT above went through the primary's binlog stream: its counter (not a rate) moved.
      await("the primary's transactions counted", () -> {
        try {
          Matcher c = PRIMARY_TRANSACTIONS.matcher(get(m, "/metrics").body());
          return c.find() && Long.parseLong(c.group(1)) >= 1;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      // The stream starts with a snapshot of every server.
      HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + m.httpPort() + "/stream")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        int events = 0;
        String line;
        while (events < 1 + t.replicas().size() && (line = r.readLine()) != null) {
          if (line.startsWith("data:")) {
            assertThat(json.readTree(line.substring(5)).path("name").asText()).isNotEmpty();
            events++;
          }
        }
        assertThat(events).isEqualTo(1 + t.replicas().size());
      }
    }
  }

  private HttpResponse<String> send(Monitor m, String method, String path, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort()
        + path)).timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void probes_trackingTopology_liveAndReady_headWithoutBody(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    try (Monitor m = MonitorFixtures.start(t)) {
      await("ready", () -> {
        try {
          return get(m, "/readyz").statusCode() == 200;
        } catch (Exception e) {
          return false;
        }
      });
      JsonNode ready = json.readTree(get(m, "/readyz").body());
      assertThat(ready.path("status").asText()).isEqualTo("READY");
      assertThat(ready.path("replicas").asInt()).isEqualTo(t.replicas().size());
      assertThat(get(m, "/livez").statusCode()).isEqualTo(200);

      HttpResponse<String> head = send(m, "HEAD", "/status", null);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
      assertThat(send(m, "HEAD", "/readyz", null).statusCode()).isEqualTo(200);
    }
  }

  /**
   * A monitor whose password the servers refuse: the probes say the primary is UNKNOWN but never
   * quote the server's refusal to a caller without the token; one with the token gets it.
   */
  @ParameterizedTest
  @EnumSource(Flavor.class)
  void probes_refusedLogin_withholdTheServersErrorWithoutToken(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    String token = "it-probe-token";
    MonitorConfig c = MonitorFixtures.config(t, Duration.ofSeconds(2));
    MonitorConfig refused = new MonitorConfig(c.flavor(), c.user(), "not-the-password", c.primary(),
        c.replicas(), c.staleAfter(), c.tracker(), new dev.catchup.monitor.http.HttpSettings(
            "127.0.0.1", 0, token, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    try (Monitor m = Monitor.start(refused)) {
      await("the refusal recorded", () -> {
        try {
          return json.readTree(send(m, "GET", "/status/primary", token).body())
              .path("lastError").asText().contains("denied");
        } catch (Exception e) {
          return false;
        }
      });
      assertThat(get(m, "/livez").statusCode()).isEqualTo(200);
      for (String probe : java.util.List.of("/health", "/readyz")) {
        HttpResponse<String> open = get(m, probe);
        assertThat(open.statusCode()).as(probe).isEqualTo(503);
        assertThat(open.headers().firstValue("retry-after")).as(probe).hasValue("1");
        assertThat(open.body()).as(probe).doesNotContainIgnoringCase("denied")
            .doesNotContain(c.user() + "'@");
        assertThat(json.readTree(open.body()).path("reason").asText()).as(probe)
            .startsWith("primary 'primary' is UNKNOWN").contains("(last error: in /status and the log)");

        JsonNode withToken = json.readTree(send(m, "GET", probe, token).body());
        assertThat(withToken.path("detail").asText()).as(probe).containsIgnoringCase("denied");
      }
    }
  }
}
