package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.enc;
import static dev.catchup.monitor.http.ApiFixture.eventually;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.tracking.Registry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: Prometheus text format 0.0.4. */
class MetricsTest {
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})?"
          + " (-?[0-9]+(?:\\.[0-9]+)?(?:E-?[0-9]+)?|NaN|[+-]Inf)");
  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)");

  private ApiFixture f = new ApiFixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** Every sample, keyed {@code name{labels}}, after checking every line of {@code text}. */
  static Map<String, String> parse(String text) {
    Map<String, String> samples = new LinkedHashMap<>();
    Set<String> typed = new HashSet<>();
    Set<String> helped = new HashSet<>();
    for (String line : text.split("\n")) {
      Matcher c = COMMENT.matcher(line);
      if (c.matches()) {
        (c.group(1).equals("HELP") ? helped : typed).add(c.group(2));
        if (c.group(1).equals("TYPE")) {
          assertThat(c.group(3)).isIn("gauge", "counter");
          assertThat(helped).as("HELP before TYPE of " + c.group(2)).contains(c.group(2));
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("sample line: " + line).isTrue();
      assertThat(typed).as("TYPE before " + line).contains(m.group(1));
      assertThat(samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), m.group(3)))
          .as("duplicate series " + line).isNull();
    }
    assertThat(text).endsWith("\n");
    return samples;
  }

  private Map<String, String> scrape() {
    HttpResponse<String> r = f.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    return parse(r.body());
  }

  @Test
  void metrics_everyLineParses_withValuesOfEachServer() {
    f.allUp();
    f.publishUp("replica2", upTo(7));
    ReplicationThreads sqlStopped = new ReplicationThreads("Yes", "No", "", "boom", null, 0);
    f.registry.publish(f.status("replica1", upTo(10), FeedState.CONNECTED, f.clock.instant(), sqlStopped));
    f.clock.advance(Duration.ofMillis(1500));

    Map<String, String> m = scrape();

    assertThat(m).containsEntry("catchup_server_up{server=\"primary\",role=\"primary\"}", "1")
        .containsEntry("catchup_server_up{server=\"replica2\",role=\"replica\"}", "1")
        .containsEntry("catchup_server_confirmation_age_seconds{server=\"primary\",role=\"primary\"}", "1.5")
        .containsEntry("catchup_server_transactions_total{server=\"replica1\",role=\"replica\"}", "42")
        .containsEntry("catchup_server_drift_corrections_total{server=\"primary\",role=\"primary\"}", "0")
        .containsEntry("catchup_binlog_reconnects_total{server=\"replica1\",role=\"replica\"}", "0")
        .containsEntry("catchup_replica_lag_transactions{server=\"replica1\"}", "0")
        .containsEntry("catchup_replica_lag_transactions{server=\"replica2\"}", "3")
        .containsEntry("catchup_replica_lag_seconds{server=\"replica1\"}", "0.0")
        .containsEntry("catchup_replica_io_thread_running{server=\"replica1\"}", "1")
        .containsEntry("catchup_replica_sql_thread_running{server=\"replica1\"}", "0")
        .containsEntry("catchup_replica_sql_thread_running{server=\"replica2\"}", "1")
        .containsEntry("catchup_replica_seconds_behind_source{server=\"replica2\"}", "0")
        .containsEntry("catchup_replica_errant_transactions{server=\"replica2\"}", "0")
        .containsEntry("catchup_stream_subscribers", "0")
        .containsEntry("catchup_wait_requests_pending", "0");
    // Unknown values are left out, never reported as 0.
    assertThat(m).doesNotContainKey("catchup_replica_lag_seconds{server=\"replica2\"}")
        .doesNotContainKey("catchup_replica_apply_delay_seconds{server=\"replica1\"}")
        .doesNotContainKey("catchup_replica_seconds_behind_source{server=\"replica1\"}");
  }

  @Test
  void metrics_beforeAnyStatus_omitsUnknownSamples() {
    Map<String, String> m = scrape();

    assertThat(m).containsEntry("catchup_server_up{server=\"primary\",role=\"primary\"}", "0")
        .doesNotContainKey("catchup_server_confirmation_age_seconds{server=\"primary\",role=\"primary\"}")
        .doesNotContainKey("catchup_replica_io_thread_running{server=\"replica1\"}");
  }

  @Test
  void metrics_errantTransactions_counted() {
    f.allUp();
    UUID stray = UUID.fromString("00000000-0000-0000-0000-000000000001");
    f.publishUp("replica1", upTo(10).union(MysqlGtidSet.of(stray, "", 1, 4)));

    assertThat(scrape()).containsEntry("catchup_replica_errant_transactions{server=\"replica1\"}", "4");
  }

  @Test
  void metrics_pendingWaitsAndSubscribers_counted() throws Exception {
    f.allUp();
    CompletableFuture<HttpResponse<String>> wait =
        f.getAsync("/wait?gtid=" + enc(ApiFixture.SOURCE + ":11") + "&timeout=5");
    eventually("the wait to register", () -> f.registry.pendingWaiters() == 1);
    HttpResponse<InputStream> stream = f.http.send(f.request("/stream").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());

    try (SseClient c = new SseClient(stream.body())) {
      c.nextEvent();
      assertThat(scrape()).containsEntry("catchup_wait_requests_pending", "1")
          .containsEntry("catchup_stream_subscribers", "1");
    }
    f.publishUp("replica1", upTo(11));
    assertThat(wait.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void metrics_labelValues_areEscaped() {
    f.close();
    Registry odd = new Registry(Flavor.MYSQL, f.clock, Duration.ofSeconds(5), "p\"q",
        List.of("back\\slash", "new\nline"));
    HttpApi api = HttpApi.start(odd, f.settings, ApiFixture.VERSION, null, Limits.DEFAULTS);
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + api.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());

      Map<String, String> m = parse(r.body());

      // Never-read replicas have no lag gauges (their lag is unknown): the errant gauge has labels.
      assertThat(m).containsKeys("catchup_server_up{server=\"p\\\"q\",role=\"primary\"}",
          "catchup_replica_errant_transactions{server=\"back\\\\slash\"}",
          "catchup_replica_errant_transactions{server=\"new\\nline\"}");
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      api.close();
    }
  }

  @Test
  void metrics_extraSource_isAppended() {
    f.close();
    f = new ApiFixture((String) null, Limits.DEFAULTS, out -> out.append("# HELP app_things Things.\n")
        .append("# TYPE app_things gauge\napp_things 7"));

    assertThat(scrape()).containsEntry("app_things", "7");
  }

  @Test
  void metrics_failingExtraSource_isLeftOut() {
    f.close();
    f = new ApiFixture((String) null, Limits.DEFAULTS, out -> {
      out.append("app_half_written ");
      throw new IllegalStateException("source broke");
    });

    Map<String, String> m = scrape();

    assertThat(m).containsKey("catchup_stream_subscribers").doesNotContainKey("app_half_written");
  }

  @Test
  void metrics_buildInfoAndLimits_reported() {
    Map<String, String> m = scrape();

    // The version the API was given (the monitor reads its own once: Version, checked by VersionTest).
    assertThat(m).containsEntry("catchup_build_info{version=\"" + ApiFixture.VERSION + "\"}", "1")
        .containsEntry("catchup_stream_subscribers_max", String.valueOf(Limits.DEFAULTS.maxSubscribers()))
        .containsEntry("catchup_wait_requests_max", String.valueOf(Limits.DEFAULTS.maxConcurrentWaits()));
  }

  @Test
  void metrics_processAndJvm_readFromThisJvm() {
    Map<String, String> m = scrape();

    assertThat(Double.parseDouble(m.get("process_start_time_seconds")))
        .isBetween(1.0e9, System.currentTimeMillis() / 1000.0);
    assertThat(Double.parseDouble(m.get("process_cpu_seconds_total"))).isPositive();
    assertThat(Long.parseLong(m.get("jvm_threads_current"))).isPositive();
    assertThat(Long.parseLong(m.get("jvm_memory_used_bytes{area=\"heap\"}"))).isPositive();
    assertThat(Long.parseLong(m.get("jvm_memory_used_bytes{area=\"nonheap\"}"))).isPositive();
    assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_gc_collections_total{gc=\""));
    if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status"))) {
      assertThat(Long.parseLong(m.get("process_resident_memory_bytes"))).isPositive();
      assertThat(Long.parseLong(m.get("process_open_fds"))).isPositive();
    }
  }

  @Test
  void format_specialValues() {
    assertThat(Metrics.format(Double.NaN)).isEqualTo("NaN");
    assertThat(Metrics.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(Metrics.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(Metrics.format(1e-4)).isEqualTo("1.0E-4");
    assertThat(Metrics.format(42L)).isEqualTo("42");
  }
}
