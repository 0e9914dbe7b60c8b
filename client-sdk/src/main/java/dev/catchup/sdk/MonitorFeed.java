package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.retry.Backoff;
import dev.catchup.wire.IncompatibleStreamException;
import dev.catchup.wire.StatusEvent;
import dev.catchup.wire.StreamFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The SDK's local view of every replica's confirmed GTID set, kept current by the monitor's event
 * stream ({@code GET /stream}, server-sent events). One daemon thread reads the stream of the first
 * monitor that answers, trying the next with back-off when one fails. The view is usable only while
 * fresh: the monitor sends a keep-alive every second, so no bytes for {@code maxStaleness} mean the
 * monitor is down or cut off, and routing falls back to asking the servers directly. Confirmed sets
 * only grow, so even a slightly old view never makes a read stale: it can only under-report.
 */
final class MonitorFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MonitorFeed.class);
  private static final long MAX_PARK_NANOS = Duration.ofMillis(250).toNanos();

  /** Whether routing may use the view, and if not why. */
  record Health(boolean usable, String reason) {}

  private final List<URI> streams;
  private final String bearerToken;
  private final Flavor flavor;
  private final Duration maxStaleness;
  private final HttpClient http;
  private final Ticker ticker;
  private final ReplicaViews views = new ReplicaViews();
  /** Between failed connections (reader thread only); reset by each successful one. */
  private final Backoff reconnects = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
  /**
   * Readers blocked in {@link #await}. An update wakes only those it may satisfy (the replica is
   * one of theirs, UP, and covers their token), so a busy feed does not wake every waiter on every
   * event; a feed failure wakes them all.
   */
  private final java.util.Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

  private record Waiter(List<String> names, GtidSet required, Thread thread) {}
  private final Thread thread;
  private final Thread watchdog;
  private final AtomicReference<String> downReason = new AtomicReference<>("not connected yet");
  private volatile long lastBytesNanos;
  private volatile boolean connected;
  private volatile boolean running = true;
  private volatile InputStream current;
  private final AtomicReference<GtidSet> primaryConfirmed = new AtomicReference<>();
  /** Monitors found serving the other flavor: a configuration error, not retried. */
  private final Map<URI, String> misconfigured = new ConcurrentHashMap<>();
  /** Unreadable events skipped since the last readable one (reader thread only). */
  private int badStreak;

  MonitorFeed(List<URI> monitors, String bearerToken, Flavor flavor, Duration maxStaleness) {
    this(monitors, bearerToken, flavor, maxStaleness, Ticker.system());
  }

  /** @param ticker the router's ticker: {@link #await} deadlines are its readings */
  MonitorFeed(List<URI> monitors, String bearerToken, Flavor flavor, Duration maxStaleness,
      Ticker ticker) {
    this.ticker = ticker;
    this.streams = monitors.stream().map(MonitorFeed::streamUri).toList();
    this.bearerToken = bearerToken;
    this.flavor = flavor;
    this.maxStaleness = maxStaleness;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.thread = new Thread(this::run, "catchup-monitor-feed");
    thread.setDaemon(true);
    this.watchdog = new Thread(this::watch, "catchup-monitor-watchdog");
    watchdog.setDaemon(true);
  }

  /**
   * The stream endpoint of a monitor at {@code base}, keeping any path prefix (a monitor behind a
   * reverse proxy at {@code https://ops.example/catchup/}, with or without the trailing slash, has
   * its stream at {@code https://ops.example/catchup/stream}).
   */
  static URI streamUri(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    if (!path.endsWith("/")) {
      path += "/";
    }
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "stream");
  }

  void start() {
    thread.start();
    watchdog.start();
  }

  /**
   * A half-open connection (a partition that never heals) would block the reader forever: after
   * twice the staleness bound without a byte, close the stream so the reader moves on to the next
   * monitor.
   */
  private void watch() {
    long tick = Math.max(50, maxStaleness.toMillis() / 2);
    while (running) {
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!thread.isAlive()) {
        return; // the reader gave up (every monitor misconfigured): nothing to watch
      }
      InputStream in = current;
      if (connected && in != null && ticker.read() - lastBytesNanos > 2 * maxStaleness.toNanos()) {
        log.warn("Catchup hears nothing from the monitor; reconnecting");
        closeQuietly(in, "a silent monitor stream");
      }
    }
  }

  /** Usable when connected and heard from within {@code maxStaleness}. */
  Health health() {
    if (!connected) {
      return new Health(false, downReason.get());
    }
    long silent = ticker.read() - lastBytesNanos;
    if (silent > maxStaleness.toNanos()) {
      return new Health(false, "no word from the monitor for " + silent / 1_000_000 + " ms");
    }
    return new Health(true, "connected");
  }

  /** True once the reader thread has ended (closed, or every monitor is misconfigured). */
  boolean stopped() {
    return !thread.isAlive();
  }

  /**
   * The union of the primary's confirmed sets the monitors reported (transactions the primary has
   * committed), or null before the first primary event.
   */
  GtidSet primaryConfirmed() {
    return primaryConfirmed.get();
  }

  /** Whether the monitor reports {@code replica} UP; null when it has said nothing of it. */
  Boolean reportsUp(String replica) {
    ReplicaViews.ReplicaView v = views.get(replica);
    return v == null ? null : v.up();
  }

  ReplicaViews.ReplicaView view(String replica) {
    return views.get(replica);
  }

  /**
   * Blocks (no database connection involved) until some replica in {@code names} is UP with
   * {@code required} confirmed, or the deadline passes, or the feed becomes unusable.
   *
   * @return the replica's name, or null
   */
  String await(List<String> names, GtidSet required, long deadlineNanos) throws InterruptedException {
    String found = views.best(names, required, randomStart(names));
    if (found != null) {
      return found;
    }
    Waiter w = new Waiter(names, required, Thread.currentThread());
    waiters.add(w);
    try {
      while (true) {
        // Checked after registering: an update that landed before it is seen here, one that lands
        // after it unparks us (a permit given before park makes park return at once).
        found = views.best(names, required, randomStart(names));
        if (found != null) {
          return found;
        }
        long left = deadlineNanos - ticker.read();
        if (left <= 0 || !health().usable()) {
          return null;
        }
        // The bound re-checks freshness even if nothing arrives.
        LockSupport.parkNanos(this, Math.min(left, MAX_PARK_NANOS));
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for the monitor");
        }
      }
    } finally {
      waiters.remove(w);
    }
  }

  private static int randomStart(List<String> names) {
    return ThreadLocalRandom.current().nextInt(Math.max(1, names.size()));
  }

  /** Wakes the waiters {@code view} satisfies. Called after {@code views} holds it. */
  private void wakeSatisfied(ReplicaViews.ReplicaView view) {
    if (!view.up()) {
      return;
    }
    for (Waiter w : waiters) {
      if (w.names().contains(view.name()) && view.confirmed().contains(w.required())) {
        LockSupport.unpark(w.thread());
      }
    }
  }

  private void wakeAll() {
    for (Waiter w : waiters) {
      LockSupport.unpark(w.thread());
    }
  }

  /** True when the monitor reports at least one of {@code names} UP. */
  boolean anyUp(List<String> names) {
    return views.anyUp(names);
  }

  /** The least lag the monitor reports among UP replicas in {@code names}, or null if unknown. */
  Double leastLag(List<String> names) {
    return views.leastLag(names);
  }

  private void run() {
    int index = 0;
    while (running) {
      if (misconfigured.size() == streams.size()) {
        return; // each monitor was reported once as a configuration error; retrying cannot help
      }
      URI uri = streams.get(index % streams.size());
      if (misconfigured.containsKey(uri)) {
        index++;
        continue;
      }
      try {
        // The timeout covers the response headers only; the stream itself is watched by watch().
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(5));
        if (bearerToken != null) {
          req.header("Authorization", "Bearer " + bearerToken);
        }
        HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
          resp.body().close();
          throw new IOException("HTTP " + resp.statusCode());
        }
        current = resp.body();
        // A new connection (perhaps to another monitor, or a restarted one) starts with a full
        // snapshot whose versions are unrelated to what we held: start from it.
        views.clear();
        lastBytesNanos = ticker.read();
        connected = true;
        reconnects.reset();
        log.info("Catchup reads follow the monitor at {}", uri);
        try {
          read(resp.body(), uri);
        } finally {
          resp.body().close();
        }
        throw new IOException("stream ended");
      } catch (IncompatibleStreamException e) {
        misconfigured(uri, "monitor " + uri.getAuthority() + " " + e.getMessage() + ": a "
            + "configuration error (wrong monitor URL, flavor or release); this monitor is not used "
            + "until the data source is rebuilt");
      } catch (IOException | RuntimeException e) {
        fail(uri, e.getMessage() == null ? e.toString() : e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      index++;
      Duration wait = reconnects.next();
      // INFO on attempts 1, 2, 4, 8...: a monitor down for hours is neither silent nor log spam.
      int attempt = reconnects.attempt();
      log.atLevel(Integer.bitCount(attempt) == 1 ? Level.INFO : Level.DEBUG).log("Catchup tries the "
          + "next monitor in {} ms (attempt {}): {}", wait.toMillis(), attempt, downReason.get());
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void fail(URI uri, String why) {
    boolean was = connected;
    connected = false;
    String reason = "monitor " + uri.getAuthority() + " unavailable: " + why;
    downReason.set(reason);
    if (was && running) {
      log.warn("Catchup lost the monitor ({}); reads wait on the servers directly until it is back",
          reason);
    }
    wakeAll();
  }

  private void misconfigured(URI uri, String why) {
    misconfigured.put(uri, why);
    connected = false;
    downReason.set(why);
    log.error("Catchup does not follow the monitor at {}: {}", uri, why);
    wakeAll();
  }

  private void read(InputStream body, URI from) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    SseFramer framer = new SseFramer();
    badStreak = 0;
    String line;
    while (running && (line = r.readLine()) != null) {
      lastBytesNanos = ticker.read();
      SseFramer.Event event = framer.line(line);
      if (event != null) {
        handle(event, from);
      }
    }
  }

  /**
   * Applies one event. An unreadable one is skipped, not a reason to drop the stream (the next
   * snapshot of that server replaces it): logged once per streak of them, since a monitor that
   * sends one usually sends many.
   */
  private void handle(SseFramer.Event event, URI from) throws IncompatibleStreamException {
    if (!StreamFormat.STATUS_EVENT.equals(event.type()) && !"message".equals(event.type())) {
      log.debug("ignoring a '{}' event from the monitor", event.type());
      return;
    }
    try {
      if (event.oversized()) {
        throw new IOException("event longer than " + SseFramer.DEFAULT_MAX_DATA + " characters");
      }
      apply(StatusEvent.parse(flavor, event.data()));
      if (badStreak > 0) {
        log.info("events from the monitor at {} are readable again after {} skipped", from,
            badStreak);
        badStreak = 0;
      }
    } catch (IncompatibleStreamException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (badStreak++ == 0) {
        log.warn("skipping an event from the monitor at {} that cannot be read ({}); further ones "
            + "are skipped quietly until one reads", from, e.getMessage());
      }
    }
  }

  /** Applies one status event; ignores anything older than what we hold. */
  private void apply(StatusEvent event) {
    if (event.isPrimary()) {
      // What the primary confirmed it has committed: a token beyond it names transactions it may
      // never have committed (see ReadRouter). Sets only grow, so the union is safe across monitors.
      primaryConfirmed.accumulateAndGet(event.confirmed(), (held, nu) -> held == null ? nu
          : held.contains(nu) ? held : held.union(nu));
      return;
    }
    if (!event.isReplica()) {
      return; // a role this SDK does not know: not for routing
    }
    ReplicaViews.ReplicaView next = new ReplicaViews.ReplicaView(event.name(), event.isUp(),
        event.confirmed(), event.secondsBehind(), event.version());
    ReplicaViews.ReplicaView held = views.update(next);
    wakeSatisfied(held);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    watchdog.interrupt();
    closeQuietly(current, "the monitor stream");
  }

  private static void closeQuietly(InputStream in, String which) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        log.debug("closing {} failed: {}", which, e.getMessage());
      }
    }
  }
}
