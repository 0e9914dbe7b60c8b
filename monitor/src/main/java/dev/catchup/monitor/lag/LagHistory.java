package dev.catchup.monitor.lag;

import static dev.catchup.monitor.http.Reply.object;

import dev.catchup.monitor.http.ApiError;
import dev.catchup.monitor.http.Reply;
import dev.catchup.monitor.http.Views;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /history[/{name}]}: each replica's lag over the last minutes, for the status page's
 * chart.
 *
 * <p>An owned timer thread takes one {@link LagSample} of every replica per interval into a
 * fixed-size {@link SampleRing}. Sampling on a timer rather than on every publish keeps the cost
 * flat (a few objects per second, whatever the write rate) and the memory bounded, and gives the
 * chart evenly spaced points that also cover quiet periods, when nothing is published.
 */
final class LagHistory implements AutoCloseable {
  /** One sample per second... */
  static final Duration INTERVAL = Duration.ofSeconds(1);
  /** ...for ten minutes. */
  static final int SAMPLES = 600;

  private static final Logger log = LoggerFactory.getLogger(LagHistory.class);

  private final Registry registry;
  private final Duration interval;
  private final int capacity;
  private final Map<String, SampleRing> rings = new LinkedHashMap<>(); // fixed at construction
  private ScheduledExecutorService timer; // null until started
  private boolean failing; // timer thread only

  /** A history that samples only when {@link #sample()} is called; {@link #start} adds the timer. */
  LagHistory(Registry registry, Duration interval, int capacity) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("history interval must be positive, was " + interval);
    }
    this.registry = registry;
    this.interval = interval;
    this.capacity = capacity;
    for (ServerStatus r : registry.replicas()) {
      rings.put(r.name(), new SampleRing(capacity));
    }
  }

  /** Starts sampling {@code registry} every {@code interval}, keeping {@code capacity} samples. */
  static LagHistory start(Registry registry, Duration interval, int capacity) {
    LagHistory h = new LagHistory(registry, interval, capacity);
    h.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "catchup-lag-history");
      t.setDaemon(true);
      return t;
    });
    h.timer.scheduleAtFixedRate(h::sampleOrWarn, interval.toNanos(), interval.toNanos(),
        TimeUnit.NANOSECONDS);
    return h;
  }

  /** Takes one sample of every replica, all stamped with the same instant. */
  void sample() {
    // Milliseconds are plenty at one sample a second, and every browser parses them.
    Instant now = registry.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    for (ServerStatus r : registry.replicas()) {
      rings.get(r.name()).add(LagSample.of(now, registry.lag(r)));
    }
  }

  private void sampleOrWarn() {
    try {
      sample();
      failing = false;
    } catch (RuntimeException e) {
      // An exception would cancel the schedule; keep sampling, and warn once per failing streak.
      if (!failing) {
        log.warn("lag history: cannot sample: {}", e.toString());
      }
      failing = true;
    }
  }

  /** Every replica's samples ({@code name} null) or one replica's, after {@code since} if given. */
  Reply render(String name, String since) {
    Instant after = since(since);
    Map<String, Object> head = object("intervalMillis", interval.toMillis(), "capacity", capacity,
        "now", registry.clock().instant().truncatedTo(ChronoUnit.MILLIS).toString());
    if (name != null) {
      ServerStatus s = registry.status(name).orElseThrow(() -> Views.unknownServer(registry, name));
      if (s.name().equals(registry.primary().name())) {
        throw ApiError.badRequest("primary has no lag history; ask for a replica: "
            + Views.names(registry.replicas()));
      }
      Map<String, Object> one = object("name", name);
      one.putAll(head);
      one.put("samples", samples(name, after));
      return Reply.json(200, one);
    }
    List<Object> replicas = new ArrayList<>();
    for (String r : rings.keySet()) {
      replicas.add(object("name", r, "samples", samples(r, after)));
    }
    head.put("replicas", replicas);
    return Reply.json(200, head);
  }

  private List<Object> samples(String replica, Instant after) {
    List<Object> out = new ArrayList<>();
    for (LagSample s : rings.get(replica).after(after)) {
      out.add(object("at", s.at().toString(), "state", s.state().name(),
          "secondsBehind", s.secondsBehind(), "missingTransactions", s.missingTransactions(),
          "heartbeatLagSeconds", s.heartbeatLagSeconds()));
    }
    return out;
  }

  private static Instant since(String param) {
    if (param == null) {
      return null;
    }
    try {
      return Instant.parse(param);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("since must be an ISO-8601 instant like 2025-01-01T00:00:05Z "
          + "(the 'at' of the newest sample you hold), was " + ApiError.quote(param));
    }
  }

  /** Stops the timer; the samples stay readable. */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(1, TimeUnit.SECONDS)) {
        log.warn("lag history timer did not stop within a second");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
