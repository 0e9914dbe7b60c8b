package dev.catchup.monitor.http;

import dev.catchup.retry.FailureStreak;
import dev.catchup.retry.StreakLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what one client can hold before it has sent a request: connections per client address,
 * and the time to send a request's line and headers. Jetty parses requests without holding a
 * thread, so slow clients cost no handler threads; this bounds the sockets and memory they hold.
 *
 * <p>A sweep every quarter of {@code headerTimeout} (at most every second) closes each connection
 * that has not completed its first request head within {@code headerTimeout} of connecting (it may
 * trickle bytes, which resets an idle timeout but not this), and each whose current request head
 * began longer ago than that. A connection between requests, or whose request is being served (a
 * stream, a wait), is left to the idle timeout.
 */
final class ConnectionGuard implements Connection.Listener {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final int perClient;
  private final long headerTimeoutNanos;
  private final Duration headerTimeout;
  private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final Map<Connection, Long> open = new ConcurrentHashMap<>(); // -> connect time (nanos)
  private final Map<InetAddress, Boolean> refusing = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private volatile Scheduler.Task sweep;
  private volatile boolean stopped;
  /** The scheduler runs one sweep at a time, each after the last: never two threads at once. */
  private final FailureStreak sweepFailures;

  /** @param clock the time of failed sweeps, for the log's reminders */
  ConnectionGuard(int perClient, Duration headerTimeout, Clock clock) {
    this.sweepFailures = new FailureStreak("HTTP connection sweep", clock);
    this.perClient = perClient;
    this.headerTimeout = headerTimeout;
    this.headerTimeoutNanos = headerTimeout.toNanos();
  }

  /** Starts sweeping on {@code scheduler} (the connector's, started with the server). */
  void start(Scheduler scheduler) {
    long period = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(headerTimeoutNanos / 4,
        TimeUnit.MILLISECONDS.toNanos(25)));
    Runnable[] self = new Runnable[1];
    self[0] = () -> {
      if (stopped) {
        return;
      }
      try {
        sweep(NanoTime.now());
        StreakLog.write(log, sweepFailures.recovered());
      } catch (RuntimeException e) {
        // Every period: the stack trace once per streak, then a count at most once a minute.
        StreakLog.write(log, sweepFailures.failed(e, null));
      }
      sweep = scheduler.schedule(self[0], period, TimeUnit.NANOSECONDS);
    };
    sweep = scheduler.schedule(self[0], period, TimeUnit.NANOSECONDS);
  }

  void stop() {
    stopped = true;
    Scheduler.Task t = sweep;
    if (t != null) {
      t.cancel();
    }
  }

  /** Connections refused for the per-client bound, since start. */
  long refused() {
    return refused.get();
  }

  /** Connections closed for an incomplete request head, since start. */
  long timedOut() {
    return timedOut.get();
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress client = client(connection.getEndPoint().getRemoteSocketAddress());
    open.put(connection, NanoTime.now());
    if (client == null) {
      return;
    }
    int n = perAddress.merge(client, 1, Integer::sum);
    if (n > perClient) {
      refused.incrementAndGet();
      // One line when a client starts being refused, not one per connection.
      if (refusing.putIfAbsent(client, Boolean.TRUE) == null) {
        log.warn("HTTP client {} holds {} connections (http.maxConnectionsPerClient); closing its new "
            + "ones until it holds fewer", client.getHostAddress(), perClient);
      }
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
    InetAddress client = client(connection.getEndPoint().getRemoteSocketAddress());
    if (client == null) {
      return;
    }
    Integer left = perAddress.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
    if ((left == null || left < perClient) && refusing.remove(client) != null) {
      log.info("HTTP client {} is under http.maxConnectionsPerClient again", client.getHostAddress());
    }
  }

  private void sweep(long now) {
    for (Map.Entry<Connection, Long> e : open.entrySet()) {
      if (!(e.getKey() instanceof HttpConnection c) || !c.getEndPoint().isOpen()) {
        continue;
      }
      HttpParser parser = c.getParser();
      long since;
      if (c.getMessagesIn() == 0) {
        since = e.getValue(); // no complete head yet: counted from the connect
      } else if (!parser.isStart() && parser.inHeaderState()) {
        since = parser.getBeginNanoTime(); // a later request's head, counted from its first byte
      } else {
        continue;
      }
      if (NanoTime.elapsed(since, now) > headerTimeoutNanos) {
        timedOut.incrementAndGet();
        log.debug("closing HTTP connection from {}: no complete request head within {}",
            c.getEndPoint().getRemoteSocketAddress(), headerTimeout);
        c.getEndPoint().close();
      }
    }
  }

  private static InetAddress client(SocketAddress address) {
    return address instanceof InetSocketAddress a ? a.getAddress() : null;
  }
}
