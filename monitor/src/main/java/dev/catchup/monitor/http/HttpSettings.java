package dev.catchup.monitor.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Settings of the HTTP API, validated when built. {@link #toString()} masks the token.
 *
 * @param bindAddress address or host name to listen on; the API has no TLS, keep it private
 * @param port TCP port, 0 for an ephemeral one (see {@link HttpApi#port()})
 * @param bearerToken when non-null, every endpoint but the probes ({@code /livez}, {@code /readyz},
 *     {@code /health}) and {@code /} requires
 *     {@code Authorization: Bearer <token>}
 * @param defaultMaxLag {@code /check} threshold when the caller gives no {@code maxLag}
 * @param maxWait the longest {@code timeout} a {@code /wait} caller may ask for
 * @param allowUnauthenticated true to serve a non-loopback {@code bindAddress} without a token;
 *     without it such a configuration is refused
 * @param headerTimeout the longest a client may take to send a request's line and headers, from
 *     its first byte; past it the connection is closed
 * @param idleTimeout a connection with no traffic for this long is closed (a {@code /wait} in
 *     progress is bounded by its own timeout instead)
 * @param maxConnections open connections at once; past it new ones wait in the listen backlog
 * @param maxConnectionsPerClient open connections from one client address at once; past it new
 *     ones from that address are closed at once
 * @param maxSubscribers open {@code /stream} connections (one per SDK instance); more get 503. Each
 *     is a connection, so at most {@code maxConnections}
 * @param maxWaits {@code /wait} requests waiting at once; more get 503. Each holds a handler
 *     thread while it waits (the API runs this many plus {@link #OTHER_HANDLER_THREADS})
 */
public record HttpSettings(String bindAddress, int port, String bearerToken, Duration defaultMaxLag,
    Duration maxWait, boolean allowUnauthenticated, Duration headerTimeout, Duration idleTimeout,
    int maxConnections, int maxConnectionsPerClient, int maxSubscribers, int maxWaits) {
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  // Room for a fleet's streams (DEFAULT_MAX_SUBSCRIBERS) and as many other connections besides.
  public static final int DEFAULT_MAX_CONNECTIONS = 2048;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 128;
  /**
   * A fleet of a thousand service instances, each holding one stream. A subscriber costs a socket,
   * a few KiB of heap (its queue of references to events shared by all) and no thread (see
   * results/monitor-bench.md for the measured figures).
   */
  public static final int DEFAULT_MAX_SUBSCRIBERS = 1024;
  /**
   * Each waiting {@code /wait} holds a thread (a stack of up to 1 MiB reserved, tens of KiB used):
   * 64 is 64 threads. SDKs follow the stream and do not wait here; {@code /wait} serves other clients.
   */
  public static final int DEFAULT_MAX_WAITS = 64;
  /** Handler threads besides those {@code /wait} may hold, so that waits never starve the rest. */
  public static final int OTHER_HANDLER_THREADS = 8;
  private static final int MAX_WAITS = 1024;
  private static final Duration MAX_DURATION = Duration.ofHours(1);
  // The stream sends a keep-alive every second: an idle timeout near that would cut healthy streams.
  private static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration MIN_HEADER_TIMEOUT = Duration.ofMillis(100);

  /** With the defaults for everything else: loopback-only without a token, default limits. */
  public HttpSettings(String bindAddress, int port, String bearerToken, Duration defaultMaxLag,
      Duration maxWait) {
    this(bindAddress, port, bearerToken, defaultMaxLag, maxWait, false, DEFAULT_HEADER_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
  }

  /**
   * With the default fan-out limits: {@link #defaultMaxSubscribers} and {@link #DEFAULT_MAX_WAITS}.
   */
  public HttpSettings(String bindAddress, int port, String bearerToken, Duration defaultMaxLag,
      Duration maxWait, boolean allowUnauthenticated, Duration headerTimeout, Duration idleTimeout,
      int maxConnections, int maxConnectionsPerClient) {
    this(bindAddress, port, bearerToken, defaultMaxLag, maxWait, allowUnauthenticated,
        headerTimeout, idleTimeout, maxConnections, maxConnectionsPerClient,
        defaultMaxSubscribers(maxConnections), DEFAULT_MAX_WAITS);
  }

  /**
   * {@code http.maxSubscribers} when it is not set: {@link #DEFAULT_MAX_SUBSCRIBERS}, fewer when
   * {@code maxConnections} is smaller, since every subscriber holds a connection (an invalid
   * {@code maxConnections} is left to the constructor, which names it).
   */
  public static int defaultMaxSubscribers(int maxConnections) {
    return Math.max(1, Math.min(DEFAULT_MAX_SUBSCRIBERS, maxConnections));
  }

  public HttpSettings {
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("http.bind must not be empty, was '" + bindAddress + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port must be between 0 and 65535, was " + port);
    }
    // The value is a secret: the message describes the rule only.
    if (bearerToken != null && !bearerToken.matches("[\\x21-\\x7e]{1,4096}")) {
      throw new IllegalArgumentException("http.token must be 1 to 4096 printable ASCII characters "
          + "without spaces (value not shown)");
    }
    requireBetween("http.defaultMaxLag", defaultMaxLag, Duration.ZERO);
    requireBetween("http.maxWait", maxWait, Duration.ZERO);
    requireBetween("http.headerTimeout", headerTimeout, MIN_HEADER_TIMEOUT);
    requireBetween("http.idleTimeout", idleTimeout, MIN_IDLE_TIMEOUT);
    if (maxConnections < 1 || maxConnections > 65535) {
      throw new IllegalArgumentException("http.maxConnections must be between 1 and 65535, was "
          + maxConnections);
    }
    if (maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections) {
      throw new IllegalArgumentException("http.maxConnectionsPerClient must be between 1 and "
          + "http.maxConnections (" + maxConnections + "), was " + maxConnectionsPerClient);
    }
    if (maxSubscribers < 1 || maxSubscribers > maxConnections) {
      throw new IllegalArgumentException("http.maxSubscribers must be between 1 and "
          + "http.maxConnections (" + maxConnections + "): every subscriber holds a connection; was "
          + maxSubscribers);
    }
    if (maxWaits < 1 || maxWaits > MAX_WAITS) {
      throw new IllegalArgumentException("http.maxWaits must be between 1 and " + MAX_WAITS
          + " (each waiting request holds a thread), was " + maxWaits);
    }
    if (bearerToken == null && !allowUnauthenticated && !isLoopback(bindAddress)) {
      throw new IllegalArgumentException("http.bind '" + bindAddress + "' is not a loopback address "
          + "and http.token is not set: anyone who can reach the port could read the API; set "
          + "http.token (or http.tokenFile, CATCHUP_MONITOR_HTTP_TOKEN), bind to 127.0.0.1, or "
          + "accept it explicitly with http.allowUnauthenticated: true");
    }
  }

  /**
   * True when every address {@code bind} names is a loopback one. A name that does not resolve
   * passes here: binding it fails at start with its own message.
   */
  static boolean isLoopback(String bind) {
    try {
      for (InetAddress a : InetAddress.getAllByName(bind.strip())) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return true;
    }
  }

  private static void requireBetween(String name, Duration d, Duration min) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + MAX_DURATION
          + ", was " + d);
    }
  }

  @Override
  public String toString() {
    return "HttpSettings[bind=" + bindAddress + ", port=" + port + ", auth="
        + (bearerToken == null ? (allowUnauthenticated ? "none (allowUnauthenticated)" : "none")
            : "bearer ****") + ", defaultMaxLag=" + defaultMaxLag + ", maxWait=" + maxWait
        + ", headerTimeout=" + headerTimeout + ", idleTimeout=" + idleTimeout + ", maxConnections="
        + maxConnections + ", maxConnectionsPerClient=" + maxConnectionsPerClient
        + ", maxSubscribers=" + maxSubscribers + ", maxWaits=" + maxWaits + "]";
  }
}
