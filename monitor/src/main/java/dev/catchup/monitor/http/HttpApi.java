package dev.catchup.monitor.http;

import dev.catchup.monitor.lag.LagHistory;
import dev.catchup.monitor.stream.StreamBroadcaster;
import dev.catchup.monitor.tracking.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's HTTP API over a {@link Registry}: {@code /status}, {@code /history}, {@code /check},
 * {@code /has}, {@code /wait}, {@code /stream}, {@code /metrics}, the probes ({@code /livez},
 * {@code /readyz}, {@code /health}) and the status
 * page at {@code /} (see README-http.md).
 *
 * <p>Served by Jetty (core, no servlets). Request heads are parsed without holding a thread, so a
 * slow client costs a socket, not a handler: {@link ConnectionGuard} bounds the time to send a
 * head and the connections per client address, the connector the connections in all and their
 * idle time. Handlers run on a pool of {@code http.maxWaits} + 8 threads (plus Jetty's own few); a
 * {@code /wait} holds one while it waits, so at most {@code http.maxWaits} wait at once and more
 * get 503; the stream never holds one ({@code http.maxSubscribers} bounds it, and more get 503).
 * Requests wait for a thread in an unbounded queue, which the connection limit bounds (one request
 * at a time per connection). {@link #close()} takes a few seconds at most.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  // Read and hashed once: every API serves the same page.
  private static final StatusPage PAGE = new StatusPage();
  // Threads Jetty needs besides the handlers: one acceptor, one selector, and room for its tasks.
  private static final int JETTY_THREADS = 4;
  // Room for the request line and headers besides the query string (which can carry a GTID set).
  private static final int HEAD_ROOM = 16 * 1024;

  private final Server server;
  private final int port;
  private final ConnectionGuard guard;
  private final StreamBroadcaster stream;
  private final Confirmations confirmations;
  private final LagHistory history;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpApi(Server server, ServerConnector connector, ConnectionGuard guard,
      StreamBroadcaster stream, Confirmations confirmations, LagHistory history) {
    this.server = server;
    this.port = connector.getLocalPort(); // Jetty forgets it once closed
    this.guard = guard;
    this.history = history;
    this.stream = stream;
    this.confirmations = confirmations;
  }

  /**
   * Starts serving {@code registry} as {@code settings} say.
   *
   * @param version the monitor's version, as {@code --version} prints it, for
   *     {@code catchup_build_info}: given by whoever runs the API rather than read here, so that the
   *     build's version is read in one place
   * @param extra more lines for {@code /metrics}; null for none
   * @throws UncheckedIOException if the address cannot be bound
   * @throws IllegalArgumentException if the bind address cannot be resolved
   */
  public static HttpApi start(Registry registry, HttpSettings settings, String version,
      MetricsSource extra) {
    return start(registry, settings, version, extra, Limits.of(settings));
  }

  static HttpApi start(Registry registry, HttpSettings settings, String version,
      MetricsSource extra, Limits limits) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(version, "version");
    return start(registry, settings, version, extra, limits,
        LagHistory.start(registry, LagHistory.INTERVAL, LagHistory.SAMPLES));
  }

  /** With a history of the caller's (tests sample by hand); the API closes it. */
  static HttpApi start(Registry registry, HttpSettings settings, String version,
      MetricsSource extra, Limits limits, LagHistory history) {
    InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
    if (address.isUnresolved()) {
      history.close();
      throw new IllegalArgumentException("http.bind '" + settings.bindAddress() + "' cannot be resolved");
    }
    if (settings.bearerToken() == null && !HttpSettings.isLoopback(settings.bindAddress())) {
      // Allowed only by http.allowUnauthenticated (HttpSettings refuses it otherwise): say it loudly.
      log.warn("HTTP API on {} WITHOUT AUTHENTICATION (http.allowUnauthenticated: true): anyone who "
          + "can reach port {} can read every server's state; set http.token unless the network "
          + "itself is private", settings.bindAddress(), settings.port());
    }
    QueuedThreadPool pool = new QueuedThreadPool(limits.dispatcherThreads() + JETTY_THREADS,
        JETTY_THREADS);
    pool.setName("catchup-http");
    pool.setDaemon(true);
    pool.setReservedThreads(0);
    pool.setStopTimeout(1000);
    Server server = new Server(pool);
    server.setStopTimeout(1000);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(Router.maxQueryLength(limits) + HEAD_ROOM);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(settings.bindAddress());
    connector.setPort(settings.port());
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    connector.setAcceptQueueSize(limits.dispatcherQueue());
    ConnectionGuard guard = new ConnectionGuard(settings.maxConnectionsPerClient(),
        settings.headerTimeout(), registry.clock());
    connector.addEventListener(guard);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
    server.setErrorHandler(new ServerErrors());

    StreamBroadcaster stream = StreamBroadcaster.start(registry, limits.stream(),
        new StatusEvents(registry));
    Refusals refusedSubscribers = new Refusals("http.maxSubscribers", "stream subscribers",
        limits.maxSubscribers(), registry.clock());
    Refusals refusedWaits = new Refusals("http.maxWaits", "waiting requests",
        limits.maxConcurrentWaits(), registry.clock());
    Confirmations confirmations = new Confirmations(registry, settings, limits, refusedWaits);
    Metrics metrics = new Metrics(registry, stream, guard, extra, limits, version,
        refusedSubscribers, refusedWaits);
    Router router = new Router(registry,
        settings.bearerToken() == null ? null : new BearerAuth(settings.bearerToken()),
        new Checks(registry, settings), confirmations, stream, metrics,
        new HistoryEndpoint(registry, history), PAGE, limits, refusedSubscribers);
    server.setHandler(router);
    try {
      server.start();
      guard.start(connector.getScheduler());
      log.info("HTTP API on {}:{}: {}, {} handler threads, at most {} concurrent waits and {} stream "
              + "subscribers", settings.bindAddress(), connector.getLocalPort(), settings,
          limits.dispatcherThreads(), limits.maxConcurrentWaits(), limits.maxSubscribers());
      return new HttpApi(server, connector, guard, stream, confirmations, history);
    } catch (Exception e) {
      history.close();
      stream.close();
      stopQuietly(server);
      IOException io = e instanceof IOException x ? x : new IOException(e.getMessage(), e);
      throw new UncheckedIOException("cannot listen on " + settings.bindAddress() + ":"
          + settings.port() + ": " + e.getMessage(), io);
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      log.debug("stopping the HTTP server: {}", e.toString());
    }
  }

  /** The port bound, useful when the settings asked for 0. */
  public int port() {
    return port;
  }

  /**
   * Stops serving: pending waits get 503, streams end, in-flight requests get up to a second, then
   * connections are closed. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    confirmations.close();
    stream.close();
    history.close();
    guard.stop();
    stopQuietly(server);
    log.info("HTTP API stopped");
  }
}
