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
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The SDK's local view of every replica's confirmed GTID set, kept current by a monitor's event
 * stream ({@code GET /stream}, server-sent events). The view is usable only while fresh: the monitor
 * sends a keep-alive every second, so no bytes for {@code maxStaleness} mean the monitor is down,
 * hung (SIGSTOP) or cut off, and routing asks the servers directly. Confirmed sets only grow, so even
 * a slightly old view never makes a read stale: it can only under-report.
 *
 * <p><b>Several monitors: one followed, the others on standby.</b> One daemon thread follows one
 * monitor at a time, from the first event of its stream on. When its stream fails (connection refused or closed) or stays silent past
 * {@code maxStaleness} (a watchdog drops it: a partitioned or stopped monitor keeps the TCP
 * connection open and sends nothing, and no socket read would ever end), the next monitor is tried
 * at once, then the others in turn with the shared back-off. The switch takes the staleness bound
 * plus one connect and the new monitor's snapshot; meanwhile routing asks the servers, slower but
 * never stale, and waits in the process for the lost monitor's push end when the view goes stale.
 * Following every monitor at once (hot standby) would make the switch take no time, but would
 * double each monitor's connections and events (a monitor fans out to every service instance),
 * double the SDK's parsing, and need rules to merge views whose versions are unrelated and whose
 * UP states may disagree; the bound is already the time a lost monitor costs, so switching it is.
 * A monitor that comes back is not preferred over the one followed: every monitor serves the same
 * view.
 *
 * <p><b>The topology.</b> Events of monitors that discover the topology carry it
 * ({@link StatusEvent.Topology}); the feed keeps the followed monitor's of the highest generation
 * and hands each newer one to its listener ({@link #onTopology}). Generations count per monitor
 * (two monitors' counters are unrelated, and a restarted monitor starts again), so a new stream
 * starts afresh: its first topology is handed on whatever its generation. Events without one (older
 * monitors) change nothing. The monitor's view of a primary is kept per server and only while the
 * monitor calls that server primary: a former primary it reports {@code unknown} (down) is nobody's
 * confirmed set any more, and a replica it reports {@code unknown} is no longer UP.
 */
final class MonitorFeed implements AutoCloseable {
  private static final Pattern REFUSAL =
      Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){1,300})\"");
  private static final Logger log = LoggerFactory.getLogger(MonitorFeed.class);
  private static final long MAX_PARK_NANOS = Duration.ofMillis(250).toNanos();

  /** Whether routing may use the view, and if not why. */
  record Health(boolean usable, String reason) {}

  /** What one try of a monitor came to. */
  private enum Tried { FAILED, LOST_AFTER_HEALTHY }

  /** A followed monitor lost and not yet replaced (reader thread only): for the switch's log line. */
  private record Loss(int index, String note, long atNanos, boolean announced) {}

  /** A stream the watchdog closed, and why. */
  private record Drop(InputStream stream, String note) {}

  private final MonitorRoster roster;
  private final String bearerToken;
  private final Flavor flavor;
  private final Duration maxStaleness;
  /** Connect and response-header timeout: a monitor that cannot answer within it is of no use. */
  private final Duration answerTimeout;
  private final HttpClient http;
  private final Ticker ticker;
  private final ReplicaViews views = new ReplicaViews();
  /** Between failed tries (reader thread only); reset by the loss of a stream that was healthy. */
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
  private volatile long lastBytesNanos;
  private volatile boolean running = true;
  private volatile InputStream current;
  /** The monitor {@code current} comes from. */
  private volatile int currentIndex;
  private final AtomicReference<Drop> dropped = new AtomicReference<>();
  /** What the monitor last said of each server it calls primary (reader thread writes). */
  private final java.util.Map<String, StatusEvent> primaries = new ConcurrentHashMap<>();
  /** The followed stream's topology of the highest generation, or null (reader thread writes). */
  private volatile StatusEvent.Topology topology;
  private volatile java.util.function.Consumer<StatusEvent.Topology> topologyListener = t -> { };
  /**
   * The healthy answer when one monitor is configured, made once: every routed read asks, and the
   * reason names nothing that changes (with several, it says why each other one is not followed).
   */
  private final Health followingTheOnly;
  /** Reader thread only. */
  private Loss loss;
  /** Unreadable events skipped since the last readable one (reader thread only). */
  private int badStreak;

  MonitorFeed(List<URI> monitors, String bearerToken, Flavor flavor, Duration maxStaleness) {
    this(monitors, bearerToken, flavor, maxStaleness, Ticker.system());
  }

  /** @param ticker the router's ticker: {@link #await} deadlines are its readings */
  MonitorFeed(List<URI> monitors, String bearerToken, Flavor flavor, Duration maxStaleness,
      Ticker ticker) {
    this.ticker = ticker;
    this.roster = new MonitorRoster(monitors);
    this.followingTheOnly = roster.size() == 1
        ? new Health(true, "following the monitor at " + roster.label(0)) : null;
    this.bearerToken = bearerToken;
    this.flavor = flavor;
    this.maxStaleness = maxStaleness;
    // Past the bound the view would be stale anyway; the floor keeps a small bound from failing a
    // TLS handshake over a slow link.
    this.answerTimeout = maxStaleness.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
        : maxStaleness;
    this.http = HttpClient.newBuilder().connectTimeout(answerTimeout).build();
    this.thread = new Thread(this::run, "catchup-monitor-feed");
    thread.setDaemon(true);
    this.watchdog = new Thread(this::watch, "catchup-monitor-watchdog");
    watchdog.setDaemon(true);
  }

  void start() {
    thread.start();
    watchdog.start();
  }

  /**
   * A hung or partitioned monitor keeps its connection open and sends nothing, which would block
   * the reader forever: once the followed stream is silent past {@code maxStaleness} (when the view
   * stops being used), close it so the reader moves on to the next monitor. Polls at a tenth of the
   * bound (10 to 100 ms), so the switch starts at most that late.
   */
  private void watch() {
    long tick = Math.max(10, Math.min(100, maxStaleness.toMillis() / 10));
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
      int i = currentIndex;
      long silent = ticker.read() - lastBytesNanos;
      if (in != null && silent > maxStaleness.toNanos()) {
        dropped.set(new Drop(in, "no word from the monitor at " + roster.label(i) + " for "
            + silent / 1_000_000 + " ms; its stream was dropped"));
        closeQuietly(in, "a silent monitor stream");
      }
    }
  }

  /**
   * Usable when following a monitor heard from within {@code maxStaleness}. The reason names the
   * monitor followed and says of each other one why it is not (on standby, or its last try).
   */
  Health health() {
    int f = roster.followed();
    if (f < 0) {
      return new Health(false, roster.notes(-1));
    }
    long silent = ticker.read() - lastBytesNanos;
    if (followingTheOnly != null && silent <= maxStaleness.toNanos()) {
      return followingTheOnly;
    }
    String others = roster.size() > 1 ? "; " + roster.notes(f) : "";
    if (silent > maxStaleness.toNanos()) {
      return new Health(false, "no word from the monitor at " + roster.label(f) + " for "
          + silent / 1_000_000 + " ms" + others);
    }
    return new Health(true, "following the monitor at " + roster.label(f) + others);
  }

  /** True once the reader thread has ended (closed, or every monitor is misconfigured). */
  boolean stopped() {
    return !thread.isAlive();
  }

  /**
   * What the followed monitor reports {@code server} confirmed (committed) while it calls it the
   * primary; null when it does not call it primary (or said nothing of it yet).
   */
  GtidSet primaryConfirmed(String server) {
    StatusEvent e = primaries.get(server);
    return e == null ? null : e.confirmed();
  }

  /**
   * Called on the reader thread with each newer topology of the followed monitor; must return
   * quickly (the stream waits). Set before {@link #start()}.
   */
  void onTopology(java.util.function.Consumer<StatusEvent.Topology> listener) {
    this.topologyListener = listener;
  }

  /** The followed monitor's topology of the highest generation, or null. */
  StatusEvent.Topology topology() {
    return topology;
  }

  /** Whether a fresh monitor's topology is followed (the servers need not be asked periodically). */
  boolean followsTopology() {
    return topology != null && health().usable();
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
    return await(names, required, deadlineNanos, () -> false);
  }

  /**
   * As {@link #await(List, GtidSet, long)}, and also ends (with null) once {@code abandoned} holds
   * when the waiter is woken ({@link #wakeWaiters()}): a change of primary, after which the read
   * must be decided again (its token may name writes lost with the old primary).
   */
  String await(List<String> names, GtidSet required, long deadlineNanos,
      java.util.function.BooleanSupplier abandoned) throws InterruptedException {
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
        long now = ticker.read();
        long left = deadlineNanos - now;
        if (left <= 0 || !health().usable() || abandoned.getAsBoolean()) {
          return null; // a stale feed: routing asks the servers for the rest of the wait
        }
        // Wake when the view would turn stale, not later: the read then asks the servers. The cap
        // re-checks anyway (a ticker that jumps, as in tests, is not a clock to sleep on).
        long staleIn = lastBytesNanos + maxStaleness.toNanos() - now + 1;
        LockSupport.parkNanos(this, Math.min(left, Math.min(MAX_PARK_NANOS, staleIn)));
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

  /** Wakes every waiter to check again (a change of primary). */
  void wakeWaiters() {
    wakeAll();
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
    int i = 0;
    while (running && !roster.allMisconfigured()) {
      if (roster.isMisconfigured(i)) {
        i = (i + 1) % roster.size();
        continue;
      }
      Tried tried;
      try {
        tried = tryMonitor(i);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      i = (i + 1) % roster.size();
      if (!running) {
        return;
      }
      if (tried == Tried.LOST_AFTER_HEALTHY) {
        // A switch, not a retry: the next monitor at once. A monitor that drops its streams
        // sooner than a healthy one would is a failed try, so this cannot spin.
        reconnects.reset();
        continue;
      }
      if (loss != null && !loss.announced()) {
        // One line for losing the followed monitor with no other to switch to; none per retry.
        loss = new Loss(loss.index(), loss.note(), loss.atNanos(), true);
        log.warn("Catchup follows no monitor; reads ask the servers directly until one answers: {}",
            roster.notes(-1));
      }
      Duration wait = reconnects.next();
      // INFO on attempts 1, 2, 4, 8...: a monitor down for hours is neither silent nor log spam.
      int attempt = reconnects.attempt();
      log.atLevel(Integer.bitCount(attempt) == 1 ? Level.INFO : Level.DEBUG).log("Catchup tries the "
          + "next monitor in {} ms (attempt {}): {}", wait.toMillis(), attempt, roster.notes(-1));
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Connects to monitor {@code i} and follows it while its stream lasts. */
  private Tried tryMonitor(int i) throws InterruptedException {
    String label = roster.label(i);
    HttpRequest.Builder req = HttpRequest.newBuilder(roster.stream(i))
        .header("Accept", "text/event-stream")
        .timeout(answerTimeout); // the response headers only; the stream is watched by watch()
    if (bearerToken != null) {
      req.header("Authorization", "Bearer " + bearerToken);
    }
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      roster.notFollowed(i, "no word from the monitor at " + label + " within "
          + answerTimeout.toMillis() + " ms of asking for its stream");
      return Tried.FAILED;
    } catch (IOException e) {
      roster.notFollowed(i, "monitor " + label + " unavailable: " + message(e));
      return Tried.FAILED;
    }
    InputStream body = resp.body();
    if (resp.statusCode() != 200) {
      String error = refusal(body);
      closeQuietly(body, "a refused monitor stream");
      // A 503 with a reason is the monitor's limit (it names its setting, http.maxSubscribers):
      // say so, or a fleet outgrowing it looks like a monitor that is down.
      roster.notFollowed(i, resp.statusCode() == 503 && error != null
          ? "monitor " + label + " refused the stream: " + error
          : "monitor " + label + " unavailable: HTTP " + resp.statusCode());
      return Tried.FAILED;
    }
    // Heard from now, before the watchdog can see the new stream: it must not judge it by the
    // silence of the one it replaces.
    long since = ticker.read();
    lastBytesNanos = since;
    currentIndex = i;
    current = body;
    if (!running) { // closed while connecting: close() may have missed this stream
      closeQuietly(body, "the monitor stream");
      return Tried.FAILED;
    }
    // A new connection (perhaps to another monitor, or a restarted one) starts with a full
    // snapshot whose versions are unrelated to what we held: start from it.
    views.clear();
    primaries.clear();
    topology = null; // another monitor, or the same restarted: its generations start afresh
    // Followed from its first event on: a monitor that answers and then sends nothing (one
    // shutting down, or hung after the headers) is a failed try, not a monitor followed and lost.
    roster.notFollowed(i, "monitor " + label + " answered; no event from it yet");
    boolean followed;
    String why;
    try {
      followed = read(body, i);
      why = "monitor " + label + " unavailable: its stream ended";
    } catch (IncompatibleStreamException e) {
      current = null;
      misconfigured(i, "monitor " + label + " " + e.getMessage() + ": a configuration error "
          + "(wrong monitor URL, flavor or release); this monitor is not used until the data "
          + "source is rebuilt");
      return Tried.FAILED;
    } catch (IOException | RuntimeException e) {
      followed = roster.followed() == i;
      why = "monitor " + label + " unavailable: " + message(e);
    } finally {
      current = null;
      closeQuietly(body, "the monitor stream");
    }
    Drop drop = dropped.getAndSet(null);
    String note = drop != null && drop.stream() == body ? drop.note() : why;
    roster.notFollowed(i, note);
    if (!followed) {
      return Tried.FAILED;
    }
    long now = ticker.read();
    loss = new Loss(i, note, now, false);
    wakeAll();
    return now - since >= maxStaleness.toNanos() ? Tried.LOST_AFTER_HEALTHY : Tried.FAILED;
  }

  /** Logs following monitor {@code i}: one line per switch, none per retry. */
  private void announceFollowing(int i, long now) {
    String label = roster.label(i);
    Loss lost = loss;
    loss = null;
    if (lost == null) {
      log.info("Catchup reads follow the monitor at {}{}", label,
          roster.size() > 1 ? "; " + roster.notes(i) : "");
    } else if (lost.index() == i) {
      log.info("Catchup reads follow the monitor at {} again, {} ms after losing it ({})", label,
          (now - lost.atNanos()) / 1_000_000, lost.note());
    } else {
      log.info("Catchup reads switch to the monitor at {}, {} ms after losing the one at {} ({})",
          label, (now - lost.atNanos()) / 1_000_000, roster.label(lost.index()), lost.note());
    }
  }

  private void misconfigured(int i, String note) {
    roster.misconfigured(i, note);
    log.error("Catchup does not follow the monitor at {}: {}", roster.label(i), note);
    wakeAll();
  }

  /** The {@code error} of a refusal's JSON body ({@code {"error":"..."}}), read within 1 KiB; or null. */
  static String refusal(InputStream body) {
    try {
      String text = new String(body.readNBytes(1024), StandardCharsets.UTF_8);
      Matcher m = REFUSAL.matcher(text);
      return m.find() ? m.group(1).replace("\\\"", "\"") : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The first message along the causes (the HTTP client's ConnectException has none of its own). */
  private static String message(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  /**
   * Reads monitor {@code i}'s stream until it ends, following the monitor from its first event.
   *
   * @return whether it was followed
   */
  private boolean read(InputStream body, int i) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    SseFramer framer = new SseFramer();
    String from = roster.label(i);
    boolean followed = false;
    badStreak = 0;
    String line;
    while (running && (line = r.readLine()) != null) {
      lastBytesNanos = ticker.read();
      SseFramer.Event event = framer.line(line);
      if (event != null) {
        handle(event, from);
        if (!followed) {
          followed = true;
          roster.following(i);
          announceFollowing(i, ticker.read());
        }
      }
    }
    return followed;
  }

  /**
   * Applies one event. An unreadable one is skipped, not a reason to drop the stream (the next
   * snapshot of that server replaces it): logged once per streak of them, since a monitor that
   * sends one usually sends many.
   */
  private void handle(SseFramer.Event event, String from) throws IncompatibleStreamException {
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
    StatusEvent.Topology t = event.topology();
    if (t != null) {
      StatusEvent.Topology held = topology;
      if (held == null || t.generation() > held.generation()) {
        topology = t;
        topologyListener.accept(t);
      }
    }
    StatusEvent before = primaries.get(event.name());
    if (before == null || event.version() >= before.version()) {
      if (event.isPrimary()) {
        // What the primary confirmed it has committed: a token beyond it names transactions it may
        // never have committed (see ReadRouter).
        primaries.put(event.name(), event);
      } else {
        primaries.remove(event.name()); // no longer primary (demoted, or down and unknown)
      }
    }
    if (!event.isReplica()) {
      ReplicaViews.ReplicaView held = views.get(event.name());
      if (held != null && held.up() && !event.isPrimary()) {
        // A replica the monitor no longer calls one (down, or writable beside the primary): its
        // last UP view must not route reads to it.
        views.update(new ReplicaViews.ReplicaView(event.name(), false, held.confirmed(), null,
            event.version()));
      }
      return;
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
    // Both threads end promptly (the reader's stream is closed, its connect or sleep interrupted):
    // a closed data source leaves no thread of its own behind.
    try {
      thread.join(Duration.ofSeconds(2).toMillis());
      watchdog.join(Duration.ofSeconds(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("the monitor feed's reader did not end within 2 s of closing");
    }
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
