package dev.catchup.monitor.http;

import dev.catchup.monitor.stream.StreamBroadcaster;
import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.LagReport;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} in Prometheus text format 0.0.4, named like mysqld_exporter's: snake_case, unit
 * suffixes, {@code _total} for counters and no pre-computed rates (Prometheus' {@code rate()} does
 * that), one label name for a server in every family ({@code server}), {@code role} beside it
 * where a family covers every role. A sample whose value is unknown is left out rather than
 * reported as 0, which would read as "no lag". Every family is documented in README-http.md;
 * {@code MetricsConventionsTest} holds the two together.
 */
final class Metrics {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(Metrics.class);

  private final Registry registry;
  private final StreamBroadcaster stream;
  private final ConnectionGuard guard;
  private final MetricsSource extra;
  private final Limits limits;
  private final String version;
  private final JvmMetrics jvm = new JvmMetrics();
  private final Refusals refusedSubscribers;
  private final Refusals refusedWaits;

  Metrics(Registry registry, StreamBroadcaster stream, ConnectionGuard guard, MetricsSource extra,
      Limits limits, String version, Refusals refusedSubscribers, Refusals refusedWaits) {
    this.refusedSubscribers = refusedSubscribers;
    this.refusedWaits = refusedWaits;
    this.registry = registry;
    this.stream = stream;
    this.guard = guard;
    this.extra = extra;
    this.limits = limits;
    this.version = version;
  }

  /** One consistent read of a server for a scrape. */
  private record Row(ServerStatus s, String labels, ServerState state, LagReport lag) {}

  Reply render() {
    Instant now = registry.clock().instant();
    List<Row> servers = new ArrayList<>();
    List<Row> replicas = new ArrayList<>();
    for (ServerStatus s : registry.all()) {
      boolean replica = s.role() == Role.REPLICA;
      Row row = new Row(s, labels("server", s.name(), "role", Views.role(s.role())),
          registry.state(s), replica ? registry.lag(s) : null);
      servers.add(row);
      if (replica) {
        // The replica families leave role out: it is always "replica" there.
        replicas.add(new Row(s, labels("server", s.name()), row.state(), row.lag()));
      }
    }
    StringBuilder out = new StringBuilder(8192);
    header(out, "catchup_build_info", "gauge", "Always 1; the monitor's version as a label.");
    sample(out, "catchup_build_info", labels("version", version), 1);
    family(out, "catchup_server_up", "gauge",
        "1 when the server was confirmed recently and its binlog feed is connected, else 0.",
        servers, r -> r.state() == ServerState.UP ? 1 : 0);
    family(out, "catchup_server_confirmation_age_seconds", "gauge",
        "Age of the last read of the server's executed GTID set.",
        servers, r -> Views.seconds(r.s().confirmationAge(now)));
    family(out, "catchup_server_transactions_total", "counter",
        "Transactions seen in the server's binlog stream since the monitor started.",
        servers, r -> r.s().binlog().transactions());
    family(out, "catchup_server_drift_corrections_total", "counter",
        "Times the executed set held GTIDs the binlog stream had not shown.",
        servers, r -> r.s().binlog().driftCorrections());
    family(out, "catchup_binlog_reconnects_total", "counter",
        "Binlog connections re-established.", servers, r -> r.s().binlog().reconnects());
    family(out, "catchup_replica_lag_transactions", "gauge",
        "Transactions confirmed on the primary and not yet on the replica.",
        replicas, r -> r.lag().missingTransactions());
    family(out, "catchup_replica_lag_seconds", "gauge",
        "Age of the oldest transaction the replica lacks (0 when caught up).",
        replicas, r -> r.lag().secondsBehind());
    family(out, "catchup_replica_apply_delay_seconds", "gauge",
        "Commit on the replica minus original commit on the primary, for its last transaction.",
        replicas, r -> r.lag().lastApplyDelaySeconds());
    family(out, "catchup_replica_heartbeat_lag_seconds", "gauge",
        "Replica clock minus the newest heartbeat row it applied (heartbeat mode only).",
        replicas, r -> r.lag().heartbeatLagSeconds());
    family(out, "catchup_replica_errant_transactions", "gauge",
        "Transactions on the replica that the primary does not have.",
        replicas, r -> r.lag().errant().count());
    family(out, "catchup_replica_io_thread_running", "gauge",
        "1 when the replication IO (receiver) thread runs.",
        replicas, r -> running(r.s().replication().threads(), true));
    family(out, "catchup_replica_sql_thread_running", "gauge",
        "1 when the replication SQL (applier) thread runs.",
        replicas, r -> running(r.s().replication().threads(), false));
    family(out, "catchup_replica_seconds_behind_source", "gauge",
        "The server's own Seconds_Behind_Source estimate.",
        replicas, r -> secondsBehindSource(r.s().replication().threads()));
    single(out, "catchup_stream_subscribers", "gauge", "Open /stream connections.",
        stream.subscribers());
    single(out, "catchup_stream_subscribers_max", "gauge",
        "Open /stream connections allowed at once; more get 503.",
        limits.maxSubscribers());
    single(out, "catchup_stream_refused_subscribers_total", "counter",
        "/stream connections refused with 503: http.maxSubscribers were open.",
        refusedSubscribers.total());
    single(out, "catchup_stream_events_total", "counter", "Status events broadcast on /stream.",
        stream.events());
    single(out, "catchup_stream_dropped_subscribers_total", "counter",
        "Stream subscribers dropped for a failed or too slow write.", stream.dropped());
    single(out, "catchup_http_connections_refused_total", "counter",
        "HTTP connections closed at once: their client held http.maxConnectionsPerClient.",
        guard.refused());
    single(out, "catchup_http_header_timeouts_total", "counter",
        "HTTP connections closed for not sending a request head within http.headerTimeout.",
        guard.timedOut());
    single(out, "catchup_topology_generation", "gauge",
        "Generation of the topology: grows by one with every change of primary, roles or sources.",
        registry.topology().generation());
    single(out, "catchup_topology_changes_total", "counter",
        "Topology changes (promotions, demotions, re-pointed replicas, servers added or removed).",
        registry.topologyChanges());
    single(out, "catchup_topology_has_primary", "gauge",
        "1 when the topology has a primary, 0 when none qualifies (down or in conflict).",
        registry.topology().primary() == null ? 0 : 1);
    single(out, "catchup_wait_requests_pending", "gauge", "/wait requests currently waiting.",
        registry.pendingWaiters());
    single(out, "catchup_wait_requests_max", "gauge",
        "/wait requests allowed to wait at once; more get 503.", limits.maxConcurrentWaits());
    single(out, "catchup_wait_requests_refused_total", "counter",
        "/wait requests refused with 503: http.maxWaits were waiting.", refusedWaits.total());
    jvm.appendTo(out);
    appendExtra(out);
    return Reply.text(CONTENT_TYPE, out.toString());
  }

  private void appendExtra(StringBuilder out) {
    if (extra == null) {
      return;
    }
    StringBuilder more = new StringBuilder();
    try {
      extra.appendTo(more);
    } catch (RuntimeException e) {
      log.warn("extra metrics source failed, its metrics are left out: {}", e.toString());
      return;
    }
    out.append(more);
    if (more.length() > 0 && more.charAt(more.length() - 1) != '\n') {
      out.append('\n');
    }
  }

  private static Long secondsBehindSource(ReplicationThreads t) {
    return t == null ? null : t.secondsBehindSource();
  }

  private static Integer running(ReplicationThreads t, boolean io) {
    return t == null ? null : "Yes".equalsIgnoreCase(io ? t.ioRunning() : t.sqlRunning()) ? 1 : 0;
  }

  private static void family(StringBuilder out, String name, String type, String help,
      List<Row> rows, Function<Row, Number> value) {
    header(out, name, type, help);
    for (Row r : rows) {
      sample(out, name, r.labels(), value.apply(r));
    }
  }

  private static void single(StringBuilder out, String name, String type, String help, Number v) {
    header(out, name, type, help);
    sample(out, name, "", v);
  }

  static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  static void sample(StringBuilder out, String name, String labels, Number v) {
    if (v == null) {
      return;
    }
    out.append(name).append(labels).append(' ').append(format(v)).append('\n');
  }

  static String format(Number v) {
    if (v instanceof Double || v instanceof Float) {
      double d = v.doubleValue();
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "+Inf" : "-Inf";
      }
      return Double.toString(d);
    }
    return Long.toString(v.longValue());
  }

  /** {@code {k="v",...}} with values escaped as the format requires: \\, \" and \n. */
  static String labels(String... keysAndValues) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(keysAndValues[i]).append("=\"");
      String v = keysAndValues[i + 1];
      for (int k = 0; k < v.length(); k++) {
        char c = v.charAt(k);
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '"' -> sb.append("\\\"");
          case '\n' -> sb.append("\\n");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    }
    return sb.append('}').toString();
  }
}
