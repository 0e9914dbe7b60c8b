package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.lag.LagHistory;
import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A started {@link HttpApi} over a MySQL-flavored registry of "primary", "replica1" and
 * "replica2", fed by the test through {@link Registry#publish}, with a clock the test moves.
 */
final class ApiFixture implements AutoCloseable {
  static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
  static final UUID OTHER_SOURCE = UUID.fromString("b9b4712a-df64-11e3-b391-60672090eb04");
  static final ReplicationThreads RUNNING = new ReplicationThreads("Yes", "Yes", "", "", 0L, 0);
  static final Duration STALE_AFTER = Duration.ofSeconds(5);
  /** The version the fixture's API is told it serves (what the monitor reads once at start). */
  static final String VERSION = "9.8.7-fixture";

  final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
  final Registry registry = new Registry(Flavor.MYSQL, clock, STALE_AFTER, "primary",
      List.of("replica1", "replica2"));
  final HttpSettings settings;
  /** Samples only when a test calls {@link LagHistory#sample()}; keeps the last 5. */
  final LagHistory history = new LagHistory(registry, Duration.ofSeconds(1), 5);
  final HttpApi api;
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();
  private final AtomicLong version = new AtomicLong();

  ApiFixture() {
    this((String) null, Limits.DEFAULTS, null);
  }

  ApiFixture(Limits limits) {
    this((String) null, limits, null);
  }

  ApiFixture(String token, Limits limits, MetricsSource extra) {
    this(new HttpSettings("127.0.0.1", 0, token, Duration.ofSeconds(1), Duration.ofSeconds(5)),
        limits, extra);
  }

  ApiFixture(HttpSettings settings, Limits limits, MetricsSource extra) {
    this.settings = settings;
    api = HttpApi.start(registry, settings, VERSION, extra, limits, history);
  }

  /**
   * Started as the monitor starts it (the public {@link HttpApi#start}): every limit comes from
   * {@code settings}, and the lag history samples on its own timer.
   */
  ApiFixture(HttpSettings settings) {
    this.settings = settings;
    api = HttpApi.start(registry, settings, VERSION, null);
  }

  /** Settings on loopback with the given connection bounds, a 5 s maxWait and no token. */
  static HttpSettings connectionBounds(Duration headerTimeout, int maxConnections, int perClient) {
    return new HttpSettings("127.0.0.1", 0, null, Duration.ofSeconds(1), Duration.ofSeconds(5), false,
        headerTimeout, HttpSettings.DEFAULT_IDLE_TIMEOUT, maxConnections, perClient);
  }

  /** Limits with short timings, for stream tests. */
  static Limits fastLimits() {
    Limits d = Limits.DEFAULTS;
    return new Limits(d.dispatcherThreads(), d.dispatcherQueue(), d.maxConcurrentWaits(),
        d.maxSubscribers(), d.subscriberBacklog(), d.writeTimeout(), Duration.ofMillis(50),
        Duration.ofMillis(20), d.pace(), d.maxGtidLength());
  }

  /** {@code SOURCE:1-last}, or the empty set for 0. */
  static GtidSet upTo(long last) {
    return last == 0 ? MysqlGtidSet.empty() : MysqlGtidSet.of(SOURCE, "", 1, last);
  }

  ServerStatus status(String name, GtidSet confirmed, FeedState feed, Instant confirmedAt,
      ReplicationThreads threads) {
    Role role = name.equals("primary") ? Role.PRIMARY : Role.REPLICA;
    return new ServerStatus(name, role, new ServerStatus.Confirmation(confirmed, confirmed, confirmedAt),
        new ServerStatus.Binlog(feed, confirmedAt, 12.5, null, null, 0, 0, 42),
        new ServerStatus.Replication(role == Role.PRIMARY ? null : threads, null, null), null,
        version.incrementAndGet());
  }

  /** Publishes {@code name} as connected, confirmed now, replication threads running. */
  ServerStatus publishUp(String name, GtidSet confirmed) {
    ServerStatus s = status(name, confirmed, FeedState.CONNECTED, clock.instant(), RUNNING);
    registry.publish(s);
    return s;
  }

  /** Primary and both replicas UP, all holding {@code SOURCE:1-10}. */
  ApiFixture allUp() {
    publishUp("primary", upTo(10));
    publishUp("replica1", upTo(10));
    publishUp("replica2", upTo(10));
    return this;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) {
    return send(request(pathAndQuery, headers).GET().build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return http.sendAsync(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  /**
   * Sends {@code GET target} over a plain socket, for request targets {@link URI} refuses; returns
   * the status line and the body.
   */
  String[] rawGet(String target) {
    return raw(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends {@code request} as is over a plain socket and reads until the server closes; returns
   * the status line, the body (de-chunked when chunked) and the headers, lower-cased.
   */
  String[] raw(byte[] request) {
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int headEnd = response.indexOf("\r\n\r\n");
      String head = response.substring(0, headEnd);
      String body = response.substring(headEnd + 4);
      if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = dechunk(body);
      }
      return new String[] {head.substring(0, head.indexOf("\r\n")), body,
          head.substring(head.indexOf("\r\n") + 2).toLowerCase(java.util.Locale.ROOT)};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", i);
      int size = Integer.parseInt(chunked.substring(i, eol).strip(), 16);
      if (size == 0) {
        return out.toString();
      }
      // Sizes count bytes; the bodies here are ASCII (JSON escapes the rest).
      out.append(chunked, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
  }

  JsonNode body(HttpResponse<String> r) {
    try {
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
      return json.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The error message of a JSON error reply, after checking its status. */
  String error(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return body(r).path("error").asText();
  }

  static String enc(Object o) {
    return URLEncoder.encode(o.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Waits for a condition another thread makes true and that has no event to wait on (a waiter
   * registered inside the registry, a subscriber removed); fails after 10 s.
   */
  static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @Override
  public void close() {
    api.close();
  }
}
