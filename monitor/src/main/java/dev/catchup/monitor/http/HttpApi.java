package dev.catchup.monitor.http;

import com.sun.net.httpserver.HttpServer;
import dev.catchup.monitor.tracking.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's HTTP API over a {@link Registry}: {@code /status}, {@code /history}, {@code /check},
 * {@code /has}, {@code /wait}, {@code /stream}, {@code /metrics}, {@code /health} and the status
 * page at {@code /} (see README-http.md).
 *
 * <p>Handlers run on a fixed pool of 16 dispatcher threads with a bounded queue (past it new
 * connections are closed). A {@code /wait} holds its thread while it waits, so at most 8 wait at
 * once and more get 503; the stream never holds one. {@link #close()} takes a few seconds at most.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final String NODELAY = "sun.net.httpserver.nodelay";
  // Read and hashed once: every API serves the same page.
  private static final StatusPage PAGE = new StatusPage();

  private final HttpServer server;
  private final ThreadPoolExecutor dispatcher;
  private final StreamBroadcaster stream;
  private final Confirmations confirmations;
  private final LagHistory history;
  private final Router router;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpApi(HttpServer server, ThreadPoolExecutor dispatcher, StreamBroadcaster stream,
      Confirmations confirmations, LagHistory history, Router router) {
    this.server = server;
    this.history = history;
    this.router = router;
    this.dispatcher = dispatcher;
    this.stream = stream;
    this.confirmations = confirmations;
  }

  /**
   * Starts serving {@code registry} as {@code settings} say.
   *
   * @param extra more lines for {@code /metrics}; null for none
   * @throws UncheckedIOException if the address cannot be bound
   * @throws IllegalArgumentException if the bind address cannot be resolved
   */
  public static HttpApi start(Registry registry, HttpSettings settings, MetricsSource extra) {
    return start(registry, settings, extra, Limits.DEFAULTS);
  }

  static HttpApi start(Registry registry, HttpSettings settings, MetricsSource extra, Limits limits) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(settings, "settings");
    return start(registry, settings, extra, limits,
        LagHistory.start(registry, LagHistory.INTERVAL, LagHistory.SAMPLES));
  }

  /** With a history of the caller's (tests sample by hand); the API closes it. */
  static HttpApi start(Registry registry, HttpSettings settings, MetricsSource extra, Limits limits,
      LagHistory history) {
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
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor dispatcher = new ThreadPoolExecutor(limits.dispatcherThreads(),
        limits.dispatcherThreads(), 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(limits.dispatcherQueue()),
        r -> {
          Thread t = new Thread(r, "catchup-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    StreamBroadcaster stream = StreamBroadcaster.start(registry, limits);
    Confirmations confirmations = new Confirmations(registry, settings, limits);
    Router router = new Router(registry,
        settings.bearerToken() == null ? null : new BearerAuth(settings.bearerToken()),
        new Checks(registry, settings), confirmations, stream,
        new Metrics(registry, stream, extra), history, PAGE, limits);
    preferNoDelay();
    try {
      HttpServer server = HttpServer.create(address, 0);
      server.createContext("/", router);
      server.setExecutor(dispatcher);
      server.start();
      log.info("HTTP API on {}:{}: {}, {} dispatcher threads, at most {} concurrent waits and {} stream "
              + "subscribers", settings.bindAddress(), server.getAddress().getPort(), settings,
          limits.dispatcherThreads(), limits.maxConcurrentWaits(), limits.maxSubscribers());
      return new HttpApi(server, dispatcher, stream, confirmations, history, router);
    } catch (IOException e) {
      history.close();
      stream.close();
      dispatcher.shutdownNow();
      throw new UncheckedIOException("cannot listen on " + settings.bindAddress() + ":"
          + settings.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * JDK 17's server flushes the response headers before the body, so on a keep-alive connection
   * Nagle's algorithm holds the body until the client's delayed ACK: about 40 ms added to every
   * response, {@code /wait} included. TCP_NODELAY removes it. The JDK reads this switch once, when
   * its server classes load, so it must be set before the first server of the JVM is created; an
   * operator's explicit value is kept.
   */
  private static void preferNoDelay() {
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  /** The port bound, useful when the settings asked for 0. */
  public int port() {
    return server.getAddress().getPort();
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
    // The JDK server waits out the whole delay even when nothing is in flight; skip it then.
    server.stop(router.inFlight() == 0 ? 0 : 1);
    dispatcher.shutdown();
    try {
      if (!dispatcher.awaitTermination(1, TimeUnit.SECONDS)) {
        dispatcher.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      dispatcher.shutdownNow();
    }
    log.info("HTTP API stopped");
  }
}
