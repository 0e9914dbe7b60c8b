package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.Reply.object;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.catchup.monitor.stream.StatusEncoder;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.Role;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import java.util.Map;

/**
 * The {@code status} event of {@code /stream} (its JSON shape is documented in README-http.md),
 * in the same JSON as the rest of the API.
 */
final class StatusEvents implements StatusEncoder {
  private final Registry registry;

  StatusEvents(Registry registry) {
    this.registry = registry;
  }

  @Override
  public byte[] event(ServerStatus s, ServerState state, Double behind) {
    Map<String, Object> data = object("name", s.name(), "role", Views.role(s.role()),
        "state", state.name(), "confirmed", s.confirmed().toString().replace("\n", ""),
        "feed", s.feed().name(),
        "confirmationAgeMillis", Views.millis(s.confirmationAge(registry.clock().instant())));
    if (s.role() == Role.REPLICA) {
      data.put("secondsBehind", behind);
    }
    data.put("version", s.version());
    try {
      // Jackson escapes control characters, so the JSON is one line, as a data: field must be.
      return ("event: status\ndata: " + Reply.JSON.writeValueAsString(data) + "\n\n").getBytes(UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise status of " + s.name(), e);
    }
  }
}
