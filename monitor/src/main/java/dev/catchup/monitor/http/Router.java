package dev.catchup.monitor.http;

import dev.catchup.monitor.stream.StreamBroadcaster;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.retry.StreakLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of the server: authenticates, routes, and turns every outcome into a JSON
 * reply. Bad input becomes a 4xx with a message; anything unexpected a 500 {@code internal error}
 * and a WARN line, with the stack trace the first time each kind of error occurs (see
 * {@link InternalErrors}). Never logs the Authorization header.
 */
final class Router extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(Router.class);
  private static final String ENDPOINTS = "/status, /status/{name}, /history, /history/{name}, "
      + "/check, /check/{name}, /has, /wait, /stream, /metrics, /livez, /readyz, /health, "
      + "/ (status page)";
  private static final Set<String> ROOTS = Set.of("", "status", "history", "check", "has", "wait",
      "stream", "metrics", "livez", "readyz", "health");
  // Open without the token: the probes, for orchestrators that cannot send it, and the status page,
  // which is the same static bytes for everyone (its script sends the token when it asks for data).
  private static final Set<String> OPEN = Set.of("/livez", "/readyz", "/health", "/");
  // Every 429 and 503 says when to ask again. The state changes with the next confirmation
  // (reconcileInterval, 500 ms by default) or the next free place: a second is a fair wait.
  private static final String RETRY_AFTER_SECONDS = "1";
  /** HEAD /stream: the stream's headers, without subscribing. */
  private static final Reply STREAM_HEAD = new Reply(200, "text/event-stream; charset=utf-8",
      new byte[0], Map.of("X-Accel-Buffering", "no"));
  private static final Set<String> NO_PARAMS = Set.of();
  private static final Set<String> CHECK_PARAMS = Set.of("maxLag");
  private static final Set<String> HISTORY_PARAMS = Set.of("since");
  private static final Set<String> GTID_PARAMS = Set.of("gtid", "replica");
  private static final Set<String> WAIT_PARAMS = Set.of("gtid", "replica", "timeout");

  private final Registry registry;
  private final BearerAuth auth;
  private final Checks checks;
  private final Confirmations confirmations;
  private final StreamBroadcaster stream;
  private final Metrics metrics;
  private final HistoryEndpoint history;
  private final StatusPage page;
  private final Limits limits;
  private final Refusals refusedSubscribers;
  private final Probes probes;
  private final int maxQueryLength;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Internal errors (bugs): each kind's stack trace once, then a count at most once a minute. */
  private final InternalErrors internalErrors;

  Router(Registry registry, BearerAuth auth, Checks checks, Confirmations confirmations,
      StreamBroadcaster stream, Metrics metrics, HistoryEndpoint history, StatusPage page,
      Limits limits, Refusals refusedSubscribers) {
    this.refusedSubscribers = refusedSubscribers;
    this.registry = registry;
    this.auth = auth;
    this.checks = checks;
    this.confirmations = confirmations;
    this.stream = stream;
    this.metrics = metrics;
    this.history = history;
    this.page = page;
    this.limits = limits;
    this.probes = new Probes(registry);
    this.internalErrors = new InternalErrors(registry.clock());
    this.maxQueryLength = maxQueryLength(limits);
  }

  /** The longest query string accepted. */
  static int maxQueryLength(Limits limits) {
    // A GTID set percent-encoded at worst triples, plus room for the other parameters.
    return limits.maxGtidLength() * 3 + 1024;
  }

  /** Requests being handled now (a stream counts only until it is handed over). */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Runs on a server thread and may block on it ({@code /wait}); the response is written
   * asynchronously and completes {@code callback}.
   */
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    inFlight.incrementAndGet();
    try {
      serve(request, response, callback);
    } finally {
      inFlight.decrementAndGet();
    }
    return true;
  }

  private void serve(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    Reply reply;
    try {
      reply = route(request, response, callback);
    } catch (ApiError e) {
      reply = Reply.error(e.status, e.getMessage(), e.headers);
    } catch (IOException e) {
      log.debug("client went away: {}", e.toString()); // e.g. while the stream sent its headers
      callback.failed(e);
      return;
    } catch (RuntimeException e) {
      StreakLog.write(log, internalErrors.failed(e, request.getMethod(),
          request.getHttpURI().getPath()));
      reply = Reply.error(500, "internal error", Map.of());
    }
    if (reply == Reply.TAKEN) {
      return; // the stream owns the response now
    }
    response.setStatus(reply.status());
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    reply.headers().forEach(headers::put);
    if ((reply.status() == 429 || reply.status() == 503)
        && !reply.headers().containsKey("Retry-After")) {
      headers.put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    int length = reply.body().length;
    if (reply != STREAM_HEAD) { // a stream has no length
      headers.put(HttpHeader.CONTENT_LENGTH, length);
    }
    if (length == 0 || request.getMethod().equals("HEAD")) { // a 405 to HEAD has no body either
      callback.succeeded();
    } else {
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }
    log.debug("{} {} -> {} in {} ms", request.getMethod(), request.getHttpURI().getPath(),
        reply.status(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  private Reply route(Request request, Response response, Callback callback) throws IOException {
    String path;
    try {
      path = request.getHttpURI().getDecodedPath();
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("malformed percent-encoding in the path");
    }
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String[] seg = trimmed.substring(1).split("/", -1);
    String first = seg[0];
    String arg = seg.length == 2 ? seg[1] : null;
    boolean takesArg = first.equals("status") || first.equals("check") || first.equals("history");
    boolean authenticated = auth != null
        && auth.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (!OPEN.contains(trimmed) && auth != null && !authenticated) {
      throw new ApiError(401, "missing or invalid bearer token (send Authorization: Bearer <token>)",
          Map.of("WWW-Authenticate", "Bearer realm=\"catchup\""));
    }
    if (seg.length > 2 || (arg != null && (!takesArg || arg.isEmpty()))
        || !ROOTS.contains(first)) {
      throw ApiError.notFound("unknown path " + ApiError.quote(path) + "; endpoints: " + ENDPOINTS);
    }
    String method = request.getMethod();
    // HEAD is GET without the body (same status and headers): serve() leaves the body out.
    boolean head = method.equals("HEAD");
    if (!method.equals("GET") && !head) {
      throw new ApiError(405, "method " + ApiError.quote(method) + " not allowed; "
          + trimmed + " supports GET and HEAD only", Map.of("Allow", "GET, HEAD"));
    }
    String raw = request.getHttpURI().getQuery();
    return switch (first) {
      case "status" -> {
        query(raw, NO_PARAMS, trimmed);
        yield Reply.json(200, arg == null ? Views.status(registry)
            : Views.server(registry, registry.status(arg).orElseThrow(() -> Views.unknownServer(registry, arg))));
      }
      case "" -> {
        query(raw, NO_PARAMS, trimmed);
        yield page.reply();
      }
      case "history" -> history.render(arg, query(raw, HISTORY_PARAMS, trimmed).get("since"));
      case "check" -> {
        String maxLag = query(raw, CHECK_PARAMS, trimmed).get("maxLag");
        yield arg == null ? checks.any(maxLag) : checks.one(arg, maxLag);
      }
      case "has" -> confirmations.has(query(raw, GTID_PARAMS, trimmed));
      case "wait" -> {
        Query q = query(raw, WAIT_PARAMS, trimmed);
        // A wait is silent on the wire until it ends, bounded by its own timeout (http.maxWait):
        // the connection's idle timeout must not cut it short.
        request.addIdleTimeoutListener(t -> false);
        yield confirmations.await(q);
      }
      case "stream" -> {
        query(raw, NO_PARAMS, trimmed);
        if (head) {
          yield STREAM_HEAD;
        }
        if (!stream.open(request, response, callback)) {
          refusedSubscribers.refused();
          // The SDK shows this text in its health: it names the setting to raise.
          throw new ApiError(503, "too many stream subscribers (limit " + limits.maxSubscribers()
              + ", monitor setting http.maxSubscribers)", Map.of("Retry-After", "1"));
        }
        refusedSubscribers.accepted();
        yield Reply.TAKEN;
      }
      case "metrics" -> {
        query(raw, NO_PARAMS, trimmed);
        yield metrics.render();
      }
      case "livez" -> {
        query(raw, NO_PARAMS, trimmed);
        yield probes.livez();
      }
      case "readyz" -> {
        query(raw, NO_PARAMS, trimmed);
        yield probes.readyz(authenticated);
      }
      default -> {
        query(raw, NO_PARAMS, trimmed);
        yield probes.health(authenticated);
      }
    };
  }

  private Query query(String raw, Set<String> allowed, String path) {
    return Query.parse(raw, allowed, path, maxQueryLength);
  }
}
