package dev.catchup.monitor.http;

import dev.catchup.monitor.stream.StatusEncoder;
import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.wire.StatusEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
  public byte[] event(ServerStatus s, ServerState state, Double behind,
      ReplicationTopology topology) {
    return statusEvent(s, state, behind, registry.clock().instant(), topology).toSse();
  }

  /** The wire form of {@code s}: see {@link StatusEvent} for the JSON it becomes. */
  static StatusEvent statusEvent(ServerStatus s, ServerState state, Double behind, Instant now,
      ReplicationTopology topology) {
    boolean replica = s.role() == Role.REPLICA;
    return new StatusEvent(s.name(), Views.role(s.role()), state.name(), s.confirmed(),
        s.feed().name(), s.confirmationAge(now), replica ? behind : null, s.version(),
        wire(topology));
  }

  /** The topology as the wire record carries it. */
  static StatusEvent.Topology wire(ReplicationTopology t) {
    List<StatusEvent.Member> members = new ArrayList<>();
    for (ReplicationTopology.Member m : t.members()) {
      members.add(new StatusEvent.Member(m.name(), Views.role(m.role()), m.source(), m.readOnly()));
    }
    return new StatusEvent.Topology(t.generation(), t.primary(), t.conflict(), members);
  }
}
