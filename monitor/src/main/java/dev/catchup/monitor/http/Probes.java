package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.Reply.object;

import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import java.util.List;
import java.util.Map;

/**
 * The probes for orchestrators and load balancers, open without the token:
 *
 * <ul>
 *   <li>{@code /livez}: the process serves HTTP. No server is involved, so a database outage never
 *       gets the monitor restarted (which would not help and would lose what it knows).
 *   <li>{@code /readyz}: it tracks its servers: the primary and at least one replica are UP
 *       (binlog feed connected, confirmed within {@code staleAfter}), so {@code /has},
 *       {@code /wait}, {@code /check} and the SDK's routing have something to answer with.
 *   <li>{@code /health}: the primary is UP (as before {@code /readyz} existed).
 * </ul>
 *
 * <p>Anyone who reaches the port may read these, so their reasons come from the monitor's own
 * words (states, ages, feed states, configured names) and never quote a server's last error, which
 * can carry the driver's text ("Access denied for user ..." names accounts and hosts). A caller
 * that sends the configured token also gets that text as {@code detail}; it is in {@code /status}
 * and the log as well.
 */
final class Probes {
  private final Registry registry;

  Probes(Registry registry) {
    this.registry = registry;
  }

  Reply livez() {
    return Reply.json(200, object("status", "UP"));
  }

  Reply health(boolean authenticated) {
    ServerStatus primary = registry.primary();
    if (registry.state(primary) == ServerState.UP) {
      return Reply.json(200, object("status", "UP"));
    }
    return notUp("DEGRADED", "primary " + withheld(primary, Views.stateReason(registry, primary)),
        authenticated ? "primary " + Views.whyUnknown(registry, primary) : null);
  }

  Reply readyz(boolean authenticated) {
    ServerStatus primary = registry.primary();
    List<ServerStatus> replicas = registry.replicas();
    long up = replicas.stream().filter(r -> registry.state(r) == ServerState.UP).count();
    boolean primaryUp = registry.state(primary) == ServerState.UP;
    if (primaryUp && up > 0) {
      return Reply.json(200, object("status", "READY", "replicasUp", up,
          "replicas", replicas.size()));
    }
    List<ServerStatus> down = primaryUp ? replicas : List.of(primary);
    String prefix = primaryUp ? "no replica is UP: " : "primary ";
    return notUp("NOT_READY", prefix + reasons(down, false),
        authenticated ? prefix + reasons(down, true) : null);
  }

  private String reasons(List<ServerStatus> servers, boolean withErrors) {
    return String.join("; ", servers.stream().map(s -> withErrors ? Views.whyUnknown(registry, s)
        : withheld(s, Views.stateReason(registry, s))).toList());
  }

  private String withheld(ServerStatus s, String reason) {
    return s.lastError() == null ? reason : reason + " (last error: in /status and the log)";
  }

  private static Reply notUp(String status, String reason, String detail) {
    Map<String, Object> body = object("status", status, "reason", reason);
    if (detail != null) {
      body.put("detail", detail);
    }
    return Reply.json(503, body);
  }
}
