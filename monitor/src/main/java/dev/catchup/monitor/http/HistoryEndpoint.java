package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.Reply.object;

import dev.catchup.monitor.lag.LagHistory;
import dev.catchup.monitor.lag.LagSample;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /history[/{name}]}: the samples of a {@link LagHistory} as JSON. */
final class HistoryEndpoint {
  private final Registry registry;
  private final LagHistory history;

  HistoryEndpoint(Registry registry, LagHistory history) {
    this.registry = registry;
    this.history = history;
  }

  /** Every replica's samples ({@code name} null) or one replica's, after {@code since} if given. */
  Reply render(String name, String since) {
    Instant after = since(since);
    Map<String, Object> head = object("intervalMillis", history.interval().toMillis(),
        "capacity", history.capacity(),
        "now", registry.clock().instant().truncatedTo(ChronoUnit.MILLIS).toString());
    if (name != null) {
      ServerStatus s = registry.status(name).orElseThrow(() -> Views.unknownServer(registry, name));
      if (s.name().equals(registry.primary().name())) {
        throw ApiError.badRequest("primary has no lag history; ask for a replica: "
            + Views.names(registry.replicas()));
      }
      Map<String, Object> one = object("name", name);
      one.putAll(head);
      one.put("samples", samples(name, after));
      return Reply.json(200, one);
    }
    List<Object> replicas = new ArrayList<>();
    for (String r : history.replicas()) {
      replicas.add(object("name", r, "samples", samples(r, after)));
    }
    head.put("replicas", replicas);
    return Reply.json(200, head);
  }

  private List<Object> samples(String replica, Instant after) {
    List<Object> out = new ArrayList<>();
    for (LagSample s : history.samples(replica, after)) {
      out.add(object("at", s.at().toString(), "state", s.state().name(),
          "secondsBehind", s.secondsBehind(), "missingTransactions", s.missingTransactions(),
          "heartbeatLagSeconds", s.heartbeatLagSeconds()));
    }
    return out;
  }

  private static Instant since(String param) {
    if (param == null) {
      return null;
    }
    try {
      return Instant.parse(param);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("since must be an ISO-8601 instant like 2025-01-01T00:00:05Z "
          + "(the 'at' of the newest sample you hold), was " + ApiError.quote(param));
    }
  }
}
