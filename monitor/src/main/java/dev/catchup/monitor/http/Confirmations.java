package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.Reply.object;

import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code /has} and {@code /wait}: has a replica confirmed a GTID set, and waiting until one has. A
 * wait holds its dispatcher thread, so at most {@link Limits#maxConcurrentWaits()} run at once.
 */
final class Confirmations {
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?|\\.\\d{1,9}");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  private final Registry registry;
  private final Duration maxWait;
  private final Limits limits;
  private final Refusals refused;
  private final Semaphore waitSlots;
  private final Set<CompletableFuture<String>> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  Confirmations(Registry registry, HttpSettings settings, Limits limits, Refusals refused) {
    this.refused = refused;
    this.registry = registry;
    this.maxWait = settings.maxWait();
    this.limits = limits;
    this.waitSlots = new Semaphore(limits.maxConcurrentWaits());
  }

  /** {@code /has?gtid=G[&replica=R]}. */
  Reply has(Query q) {
    GtidSet gtid = gtid(q);
    List<ServerStatus> candidates = replicas(q.get("replica"));
    Map<String, Object> result = new LinkedHashMap<>();
    for (ServerStatus r : candidates) {
      result.put(r.name(), registry.state(r) == ServerState.UP && r.confirmed().contains(gtid));
    }
    return Reply.json(200, object("gtid", gtid.toString(), "replicas", result));
  }

  /** {@code /wait?gtid=G[&replica=R][&timeout=S]}: long-poll until a replica confirms G. */
  Reply await(Query q) {
    GtidSet gtid = gtid(q);
    String replica = q.get("replica");
    if (replica != null) {
      replicas(replica);
    }
    Duration timeout = timeout(q.get("timeout"));
    if (closing) {
      throw new ApiError(503, "shutting down");
    }
    if (!waitSlots.tryAcquire()) {
      refused.refused();
      // Busy, not broken: a caller may retry in a second (the SDK reads on without waiting).
      throw new ApiError(503, "too many waiting requests (limit " + limits.maxConcurrentWaits()
          + ", monitor setting http.maxWaits)", Map.of("Retry-After", "1"));
    }
    refused.accepted();
    // Elapsed real time of this request; the registry's clock is for server state, not for this.
    long start = System.nanoTime();
    CompletableFuture<String> f = registry.awaitConfirmed(gtid, replica, timeout);
    try {
      waiting.add(f);
      if (closing) {
        f.cancel(false);
      }
      String name = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return Reply.json(200, object("replica", name, "waitedMillis", millisSince(start)));
    } catch (TimeoutException e) {
      return timedOut(replica, timeout, start);
    } catch (CancellationException e) {
      throw new ApiError(503, "shutting down");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "shutting down");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException) {
        return timedOut(replica, timeout, start); // the registry's own timeout fired first
      }
      throw new IllegalStateException("waiter failed", e.getCause());
    } finally {
      f.cancel(false);
      waiting.remove(f);
      waitSlots.release();
    }
  }

  private static Reply timedOut(String replica, Duration timeout, long start) {
    return Reply.json(504, object("error", "no " + (replica == null ? "replica" : "'" + replica + "'")
            + " confirmed the GTID set within " + timeout.toMillis() + " ms",
        "timedOut", true, "waitedMillis", millisSince(start)));
  }

  /** Ends every pending wait with 503 and refuses new ones. */
  void close() {
    closing = true;
    for (CompletableFuture<String> f : waiting) {
      f.cancel(false);
    }
  }

  private GtidSet gtid(Query q) {
    String text = q.get("gtid");
    if (text == null) {
      throw ApiError.badRequest("missing query parameter 'gtid' (a GTID set, URL-encoded)");
    }
    if (text.length() > limits.maxGtidLength()) {
      throw ApiError.badRequest("gtid is longer than " + limits.maxGtidLength() + " characters");
    }
    try {
      return GtidSet.parse(registry.flavor(), text, limits.maxGtidLength());
    } catch (IllegalArgumentException e) {
      // GtidParseException: offset-precise and quotes only a short, sanitised excerpt.
      throw ApiError.badRequest("gtid: " + e.getMessage());
    }
  }

  /** The named replica (404 unknown, 400 the primary), or every replica when null. */
  private List<ServerStatus> replicas(String name) {
    if (name == null) {
      return registry.replicas();
    }
    ServerStatus s = registry.status(name).orElseThrow(() -> ApiError.notFound("unknown replica "
        + ApiError.quote(name) + "; replicas: " + Views.names(registry.replicas())));
    if (s.name().equals(registry.primary().name())) {
      throw ApiError.badRequest("'" + name + "' is the primary; name a replica: "
          + Views.names(registry.replicas()));
    }
    return List.of(s);
  }

  private Duration timeout(String param) {
    if (param == null) {
      return DEFAULT_TIMEOUT.compareTo(maxWait) > 0 ? maxWait : DEFAULT_TIMEOUT;
    }
    if (!SECONDS.matcher(param).matches()) {
      throw ApiError.badRequest("timeout must be a number of seconds like 2.5, was " + ApiError.quote(param));
    }
    Duration d = Duration.ofNanos(new BigDecimal(param).movePointRight(9).longValueExact());
    if (d.compareTo(maxWait) > 0) {
      throw ApiError.badRequest("timeout must be at most " + Views.seconds(maxWait)
          + " seconds (http.maxWait), was " + param);
    }
    return d;
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
