package dev.catchup.samples.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP request and its JSON reply: the little plumbing the JDK server leaves to us. */
final class Exchange {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "Catchup-Token";
  static final String POLICY = "Catchup-Read-Policy";
  private static final int MAX_BODY = 64 * 1024;

  private final HttpExchange http;
  private final Map<String, String> replyHeaders = new LinkedHashMap<>();

  Exchange(HttpExchange http) {
    this.http = http;
  }

  String method() {
    return http.getRequestMethod();
  }

  String path() {
    return http.getRequestURI().getPath();
  }

  String header(String name) {
    return http.getRequestHeaders().getFirst(name);
  }

  JsonNode body() throws IOException {
    try (InputStream in = http.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new IllegalArgumentException("request body must be at most " + MAX_BODY + " bytes");
      }
      if (bytes.length == 0) {
        throw new IllegalArgumentException("request body must be a JSON object");
      }
      try {
        JsonNode node = JSON.readTree(bytes);
        if (node == null || !node.isObject()) {
          throw new IllegalArgumentException("request body must be a JSON object");
        }
        return node;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("request body is not JSON: " + e.getOriginalMessage());
      }
    }
  }

  void header(String name, String value) {
    if (value != null) {
      replyHeaders.put(name, value);
    }
  }

  void reply(int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    replyHeaders.forEach((k, v) -> http.getResponseHeaders().set(k, v));
    http.getResponseHeaders().set("Content-Type", "application/json");
    http.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = http.getResponseBody()) {
      out.write(bytes);
    }
  }

  void error(int status, String message) throws IOException {
    reply(status, Map.of("error", message));
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank() || n.asText().length() > 64) {
      throw new IllegalArgumentException(field + " must be a non-empty string of at most 64 "
          + "characters");
    }
    return n.asText();
  }

  static int positive(JsonNode body, String field, int max) {
    JsonNode n = body.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1
        || n.asInt() > max) {
      throw new IllegalArgumentException(field + " must be an integer from 1 to " + max);
    }
    return n.asInt();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
