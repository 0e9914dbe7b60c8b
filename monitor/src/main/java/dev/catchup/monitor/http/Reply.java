package dev.catchup.monitor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete response: status, content type, body and extra headers. */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  /** Returned by a handler that took the exchange over (the stream) and will close it itself. */
  static final Reply TAKEN = new Reply(0, "", new byte[0], Map.of());

  static Reply json(int status, Object body) {
    try {
      return new Reply(status, JSON_TYPE, JSON.writeValueAsBytes(body), Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise response: " + e.getMessage(), e);
    }
  }

  static Reply error(int status, String message, Map<String, String> headers) {
    Map<String, Object> body = new LinkedHashMap<>();
    // Escaped here as well as where input is quoted: a message built elsewhere (a GTID parse
    // error's excerpt) must not carry a caller's bidi or control characters either.
    body.put("error", ApiError.escape(message));
    Reply r = json(status, body);
    return new Reply(status, r.contentType, r.body, headers);
  }

  static Reply text(String contentType, String text) {
    return new Reply(200, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** An ordered JSON object from alternating keys and values (values may be null). */
  static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
