package dev.catchup.samples.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.samples.trace.ReadTrace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One browser-like client of the orders service: it keeps the {@code Catchup-Token} it is given
 * (as a cookie would) and sends it back with every request, when the strategy uses tokens.
 */
final class ShopClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A reply: status, body, the read headers, and the round trip in milliseconds. */
  record Reply(int status, JsonNode body, String readTarget, double waitedMillis, double millis) {}

  private final HttpClient http;
  private final URI base;
  private final Strategy strategy;
  private String token;

  ShopClient(HttpClient http, URI base, Strategy strategy) {
    this.http = http;
    this.base = base;
    this.strategy = strategy;
  }

  HttpClient http() {
    return http;
  }

  URI base() {
    return base;
  }

  Strategy strategy() {
    return strategy;
  }

  Reply post(String path, Object body) throws IOException, InterruptedException {
    return send(builder(path).POST(HttpRequest.BodyPublishers.ofByteArray(
        JSON.writeValueAsBytes(body))));
  }

  Reply put(String path, Object body) throws IOException, InterruptedException {
    return send(builder(path).PUT(HttpRequest.BodyPublishers.ofByteArray(
        JSON.writeValueAsBytes(body))));
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(builder(path).GET());
  }

  private HttpRequest.Builder builder(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + strategy.prefix() + path))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
    if (strategy.usesToken() && token != null) {
      b.header("Catchup-Token", token);
    }
    if (strategy.policy() != null) {
      b.header("Catchup-Read-Policy", strategy.policy());
    }
    return b;
  }

  private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    double millis = (System.nanoTime() - start) / 1e6;
    r.headers().firstValue("Catchup-Token").ifPresent(t -> token = t);
    JsonNode body = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
    return new Reply(r.statusCode(), body, r.headers().firstValue(ReadTrace.TARGET).orElse(null),
        r.headers().firstValue(ReadTrace.WAITED_MS).map(Double::parseDouble).orElse(0.0),
        millis);
  }
}
