package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.Reply.object;

import dev.catchup.monitor.topology.ReplicationThreads;
import dev.catchup.monitor.tracking.LagReport;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /check[/{name}]}: a freno-style verdict for throttlers and load balancers. 200 serve from
 * it, 429 it lags, 503 nothing about it can be trusted (UNKNOWN, or replication stopped).
 */
final class Checks {
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?|\\.\\d{1,9}");

  private final Registry registry;
  private final double defaultMaxLag;

  Checks(Registry registry, HttpSettings settings) {
    this.registry = registry;
    this.defaultMaxLag = Views.seconds(settings.defaultMaxLag());
  }

  /** The verdict on one replica, and the figures behind it. */
  record Verdict(int status, String reason, LagReport lag, ReplicationThreads threads) {
    Map<String, Object> toJson(double maxLag) {
      return object("replica", lag.replica(), "ok", status == 200, "status", status,
          "reason", reason, "state", lag.state().name(),
          "missingTransactions", lag.missingTransactions(), "secondsBehind", lag.secondsBehind(),
          "maxLag", maxLag, "threadsRunning", threads == null ? null : threads.running());
    }
  }

  Reply one(String name, String maxLagParam) {
    double maxLag = maxLag(maxLagParam);
    ServerStatus s = registry.status(name).orElseThrow(() -> Views.unknownServer(registry, name));
    if (s.name().equals(registry.primary().name())) {
      throw ApiError.badRequest("primary has no lag; check a replica: "
          + Views.names(registry.replicas()));
    }
    Verdict v = verdict(s, maxLag);
    return Reply.json(v.status(), v.toJson(maxLag));
  }

  /** 200 when any replica passes; otherwise 429 when any only lags, else 503. */
  Reply any(String maxLagParam) {
    double maxLag = maxLag(maxLagParam);
    List<Object> results = new ArrayList<>();
    int best = 503;
    for (ServerStatus r : registry.replicas()) {
      Verdict v = verdict(r, maxLag);
      best = Math.min(best, v.status());
      results.add(v.toJson(maxLag));
    }
    return Reply.json(best, object("ok", best == 200, "status", best, "maxLag", maxLag,
        "replicas", results));
  }

  Verdict verdict(ServerStatus replica, double maxLag) {
    LagReport lag = registry.lag(replica);
    String unknown = null;
    if (registry.state(replica) != ServerState.UP) {
      unknown = Views.whyUnknown(registry, replica);
    } else if (lag.state() != ServerState.UP) {
      // Lag is measured against the primary: with the primary stale it is not known either.
      unknown = "lag unknown: primary " + Views.whyUnknown(registry, registry.primary());
    }
    return verdict(unknown, replica.replication().threads(), replica.replication().threadsError(),
        lag, maxLag);
  }

  static Verdict verdict(String unknown, ReplicationThreads t, LagReport lag, double maxLag) {
    return verdict(unknown, t, null, lag, maxLag);
  }

  /**
   * The rules, apart from the registry: {@code unknown} is why the state is not UP, or null;
   * {@code threadsError} why {@code t} is null, or null when they were not read yet.
   */
  static Verdict verdict(String unknown, ReplicationThreads t, String threadsError, LagReport lag,
      double maxLag) {
    if (unknown != null) {
      return new Verdict(503, unknown, lag, t);
    }
    if (t == null) {
      return new Verdict(503, threadsError != null ? threadsError
          : "replication threads not read yet", lag, t);
    }
    if (!t.running()) {
      return new Verdict(503, "replication not running: IO thread " + t.ioRunning() + ", SQL thread "
          + t.sqlRunning() + error("IO", t.lastIoError()) + error("SQL", t.lastSqlError()), lag, t);
    }
    Double behind = lag.secondsBehind();
    if (behind == null) {
      return new Verdict(429, "lagging: " + lag.missingTransactions()
          + " transactions missing, age unknown", lag, t);
    }
    if (behind > maxLag) {
      return new Verdict(429, "lagging: " + behind + " s behind, over maxLag " + maxLag + " s", lag, t);
    }
    return new Verdict(200, lag.missingTransactions() == 0 ? "caught up"
        : behind + " s behind, within maxLag " + maxLag + " s", lag, t);
  }

  private static String error(String thread, String message) {
    return message == null || message.isEmpty() ? "" : "; last " + thread + " error: " + message;
  }

  private double maxLag(String param) {
    if (param == null) {
      return defaultMaxLag;
    }
    if (!SECONDS.matcher(param).matches()) {
      throw ApiError.badRequest("maxLag must be a number of seconds like 1.5, was "
          + ApiError.quote(param));
    }
    return Double.parseDouble(param);
  }
}
