package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.wire.IncompatibleStreamException;
import dev.catchup.wire.StatusEvent;
import dev.catchup.wire.StreamFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try of one monitor's {@code /stream}: ask for it, read it line by line while it lasts, hand
 * each event to the {@link FeedView}, and say in the {@link MonitorRoster} what the try came to.
 * Also drops the stream when it stays silent past the bound ({@link #dropIfSilent}, the watchdog's
 * work): no socket read ever ends on a hung monitor. Owns no thread: {@link FeedReconnects} calls
 * {@link #tryMonitor} and {@link #dropIfSilent} from its run loops.
 */
final class FeedStream {
  private static final Pattern REFUSAL =
      Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){1,300})\"");
  // The feed's one logger, whichever part writes: operators (and tests) filter on MonitorFeed.
  private static final Logger log = LoggerFactory.getLogger(MonitorFeed.class);

  /** What one try of a monitor came to. */
  enum Tried { FAILED, LOST_AFTER_HEALTHY }

  /** Told on the reader thread when a monitor starts being followed, and when it is lost. */
  interface Switches {
    /** Monitor {@code i} sent its first event at {@code nowNanos}. */
    void followed(int i, long nowNanos);

    /**
     * Monitor {@code i}, followed, has lasted the staleness bound since it was asked for its
     * stream: a stream that holds, no longer one that answers and drops (which is a failed try).
     * Once per stream, at the first line read past the bound.
     */
    void steady(int i);

    /** Monitor {@code i}, followed, was lost at {@code nowNanos} for the reason {@code note}. */
    void lost(int i, String note, long nowNanos);
  }

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
  private final FeedHealth health;
  private final FeedView view;
  private final FeedWaiters waiters;
  private volatile boolean closed;
  private volatile InputStream current;
  /** The monitor {@code current} comes from. */
  private volatile int currentIndex;
  private final AtomicReference<Drop> dropped = new AtomicReference<>();
  /** Unreadable events skipped since the last readable one (reader thread only). */
  private int badStreak;
  /** Whether the stream being read has been followed for maxStaleness (reader thread only). */
  private boolean steady;

  FeedStream(MonitorRoster roster, String bearerToken, Flavor flavor, Duration maxStaleness,
      Ticker ticker, FeedHealth health, FeedView view, FeedWaiters waiters) {
    this.roster = roster;
    this.bearerToken = bearerToken;
    this.flavor = flavor;
    this.maxStaleness = maxStaleness;
    this.ticker = ticker;
    this.health = health;
    this.view = view;
    this.waiters = waiters;
    // Past the bound the view would be stale anyway; the floor keeps a small bound from failing a
    // TLS handshake over a slow link.
    this.answerTimeout = maxStaleness.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
        : maxStaleness;
    this.http = HttpClient.newBuilder().connectTimeout(answerTimeout).build();
  }

  /**
   * A hung or partitioned monitor keeps its connection open and sends nothing, which would block
   * the reader forever: once the followed stream is silent past {@code maxStaleness} (when the view
   * stops being used), close it so the reader moves on to the next monitor.
   */
  void dropIfSilent() {
    InputStream in = current;
    int i = currentIndex;
    long silent = health.silentNanos(ticker.read());
    if (in != null && health.tooSilent(silent)) {
      dropped.set(new Drop(in, "no word from the monitor at " + roster.label(i) + " for "
          + silent / 1_000_000 + " ms; its stream was dropped"));
      closeQuietly(in, "a silent monitor stream");
    }
  }

  /** Connects to monitor {@code i} and follows it while its stream lasts. */
  Tried tryMonitor(int i, Switches switches) throws InterruptedException {
    String label = roster.label(i);
    HttpRequest.Builder req = HttpRequest.newBuilder(roster.stream(i))
        .header("Accept", "text/event-stream")
        .timeout(answerTimeout); // the response headers only; the stream is watched by the watchdog
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
    health.heard(since);
    currentIndex = i;
    current = body;
    if (closed) { // closed while connecting: close() may have missed this stream
      closeQuietly(body, "the monitor stream");
      return Tried.FAILED;
    }
    view.clear();
    // Followed from its first event on: a monitor that answers and then sends nothing (one
    // shutting down, or hung after the headers) is a failed try, not a monitor followed and lost.
    roster.notFollowed(i, "monitor " + label + " answered; no event from it yet");
    boolean followed;
    String why;
    try {
      followed = read(body, i, since, switches);
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
    boolean silenced = drop != null && drop.stream() == body;
    String note = silenced ? drop.note() : why;
    roster.notFollowed(i, note);
    if (!followed) {
      return Tried.FAILED;
    }
    long now = ticker.read();
    switches.lost(i, note, now);
    waiters.wakeAll();
    // Lost after it held: followed for the bound, and either heard from past it or ended other than
    // by the watchdog. A stream dropped for silence also ends more than the bound after it was
    // asked for, without having held (a keep-alive longer than the bound, a proxy stalled after
    // the snapshot): a failed try, backed off, not a recovery.
    boolean held = steady || (!silenced && now - since >= maxStaleness.toNanos());
    return held ? Tried.LOST_AFTER_HEALTHY : Tried.FAILED;
  }

  private void misconfigured(int i, String note) {
    roster.misconfigured(i, note);
    log.error("Catchup does not follow the monitor at {}: {}", roster.label(i), note);
    waiters.wakeAll();
  }

  /**
   * Reads monitor {@code i}'s stream until it ends, following the monitor from its first event.
   *
   * @param since when the stream was asked for (a ticker reading)
   * @return whether it was followed
   */
  private boolean read(InputStream body, int i, long since, Switches switches) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    SseFramer framer = new SseFramer();
    String from = roster.label(i);
    boolean followed = false;
    steady = false;
    badStreak = 0;
    String line;
    while (!closed && (line = r.readLine()) != null) {
      long now = ticker.read();
      health.heard(now);
      SseFramer.Event event = framer.line(line);
      if (event != null) {
        handle(event, from);
        if (!followed) {
          followed = true;
          roster.following(i);
          switches.followed(i, ticker.read());
        }
      }
      if (followed && !steady && now - since >= maxStaleness.toNanos()) {
        steady = true; // what makes its loss one "after healthy" (see try)
        switches.steady(i);
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
      view.apply(StatusEvent.parse(flavor, event.data()));
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

  /** Ends the stream being read, and any that a try in progress is about to read. */
  void close() {
    closed = true;
    closeQuietly(current, "the monitor stream");
  }

  /** The {@code error} of a refusal's JSON body ({@code {"error":"..."}}), read within 1 KiB; or null. */
  private static String refusal(InputStream body) {
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
