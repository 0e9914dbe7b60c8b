package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.Reply.object;

import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.LagReport;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** JSON shapes of servers and lag, shared by {@code /status}, {@code /check} and the stream. */
final class Views {
  private Views() {}

  /**
   * {@code /status}: the primary (null while the topology has none), every other server (replicas
   * with their lag, and servers of unknown role), and the topology.
   */
  static Map<String, Object> status(Registry registry) {
    ReplicationTopology t = registry.topology();
    List<Object> replicas = new ArrayList<>();
    for (ServerStatus r : registry.others()) {
      replicas.add(server(registry, r));
    }
    return object("flavor", registry.flavor().name().toLowerCase(Locale.ROOT),
        "primary", t.primary() == null ? null : server(registry, registry.primary()),
        "replicas", replicas, "topology", topology(t));
  }

  /** The topology, in the shape of {@link dev.catchup.wire.StatusEvent}'s {@code topology}. */
  static Map<String, Object> topology(ReplicationTopology t) {
    List<Object> servers = new ArrayList<>();
    for (ReplicationTopology.Member m : t.members()) {
      servers.add(object("name", m.name(), "role", role(m.role()), "source", m.source(),
          "readOnly", m.readOnly()));
    }
    return object("generation", t.generation(), "primary", t.primary(), "conflict", t.conflict(),
        "servers", servers);
  }

  /**
   * One server; a replica also gets its {@code lag}. Its replication threads are shown only while
   * they are current (read with a confirmation younger than staleAfter): otherwise {@code threads}
   * is null and {@code threadsUnknown} says why, rather than showing the last values read from a
   * server that may be down.
   */
  static Map<String, Object> server(Registry registry, ServerStatus s) {
    Instant now = registry.clock().instant();
    Duration age = s.confirmationAge(now);
    boolean current = age != null && age.compareTo(registry.staleAfter()) <= 0;
    ReplicationThreads shown = current ? s.replication().threads() : null;
    Map<String, Object> m = object(
        "name", s.name(),
        "role", role(s.role()),
        "state", registry.state(s).name(),
        "confirmed", s.confirmed().toString(),
        "seen", s.confirmation().seen().toString(),
        "confirmedAt", iso(s.confirmedAt()),
        "confirmationAgeMillis", millis(s.confirmationAge(now)),
        "lastEventAt", iso(s.binlog().lastEventAt()),
        "feed", s.feed().name(),
        "transactionsPerSecond", s.binlog().transactionsPerSecond(),
        "lastApplyDelaySeconds", seconds(s.binlog().lastApplyDelay()),
        "lastOriginalCommit", iso(s.binlog().lastOriginalCommit()),
        "threads", threads(shown),
        "driftCorrections", s.binlog().driftCorrections(),
        "reconnects", s.binlog().reconnects(),
        "lastError", s.lastError(),
        "version", s.version());
    if (s.role() == Role.REPLICA) {
      if (shown == null) {
        m.put("threadsUnknown", s.replication().threadsError() != null ? s.replication().threadsError()
            : current ? "not read yet" : whyUnknown(registry, s));
      }
      m.put("lag", lag(registry.lag(s)));
    }
    return m;
  }

  static Map<String, Object> lag(LagReport l) {
    return object("state", l.state().name(), "missingTransactions", l.missingTransactions(),
        "secondsBehind", l.secondsBehind(), "lastApplyDelaySeconds", l.lastApplyDelaySeconds(),
        "errant", l.errant().toString(), "confirmationAgeMillis", millis(l.confirmationAge()),
        "heartbeatLagSeconds", l.heartbeatLagSeconds());
  }

  private static Map<String, Object> threads(ReplicationThreads t) {
    return t == null ? null : object("ioRunning", t.ioRunning(), "sqlRunning", t.sqlRunning(),
        "lastIoError", t.lastIoError(), "lastSqlError", t.lastSqlError(),
        "secondsBehindSource", t.secondsBehindSource(), "sqlDelay", t.sqlDelay());
  }

  /** Why {@code s} is UNKNOWN, for humans: the feed, or the age of its last confirmation. */
  static String whyUnknown(Registry registry, ServerStatus s) {
    if (registry.state(s) == ServerState.UP) {
      return "'" + s.name() + "' is UP";
    }
    return stateReason(registry, s) + (s.lastError() == null ? "" : "; last error: " + s.lastError());
  }

  /**
   * {@link #whyUnknown} without the server's last error, which can quote the driver ("Access
   * denied for user ..."): for what callers without the token may read.
   */
  static String stateReason(Registry registry, ServerStatus s) {
    if (registry.state(s) == ServerState.UP) {
      return "'" + s.name() + "' is UP";
    }
    String why;
    Duration age = s.confirmationAge(registry.clock().instant());
    if (s.feed() != FeedState.CONNECTED) {
      why = "binlog feed " + s.feed();
    } else if (age == null) {
      why = "never confirmed";
    } else {
      why = "last confirmed " + age.toMillis() + " ms ago (staleAfter " + registry.staleAfter() + ")";
    }
    return "'" + s.name() + "' is UNKNOWN: " + why;
  }

  /** Comma-separated names, in configuration order. */
  static String names(List<ServerStatus> servers) {
    return String.join(", ", servers.stream().map(ServerStatus::name).toList());
  }

  static ApiError unknownServer(Registry registry, String name) {
    return ApiError.notFound("unknown server " + ApiError.quote(name) + "; known: "
        + names(registry.all()));
  }

  static String role(Role r) {
    return r.name().toLowerCase(Locale.ROOT);
  }

  static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }

  static Double seconds(Duration d) {
    return d == null ? null : d.toNanos() / 1e9;
  }

  private static String iso(Instant i) {
    return i == null ? null : i.toString();
  }
}
