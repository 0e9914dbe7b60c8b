package dev.catchup.monitor.http;

import dev.catchup.monitor.stream.StatusEncoder;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.Role;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.wire.StatusEvent;
import java.time.Instant;

/**
 * The {@code status} event of {@code /stream}: the shared wire record {@link StatusEvent}, whose
 * JSON shape is documented there and in README-http.md, and which the SDK reads back.
 */
final class StatusEvents implements StatusEncoder {
  private final Registry registry;

  StatusEvents(Registry registry) {
    this.registry = registry;
  }

  @Override
  public byte[] event(ServerStatus s, ServerState state, Double behind) {
    return statusEvent(s, state, behind, registry.clock().instant()).toSse();
  }

  /** The wire form of {@code s}: see {@link StatusEvent} for the JSON it becomes. */
  static StatusEvent statusEvent(ServerStatus s, ServerState state, Double behind, Instant now) {
    boolean replica = s.role() == Role.REPLICA;
    return new StatusEvent(s.name(), Views.role(s.role()), state.name(), s.confirmed(),
        s.feed().name(), s.confirmationAge(now), replica ? behind : null, s.version());
  }
}
