package dev.catchup.monitor.lag;

import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.retry.FailureStreak;
import dev.catchup.retry.StreakLog;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each replica's lag over the last minutes, for the status page's chart ({@code /history}).
 *
 * <p>An owned timer thread takes one {@link LagSample} of every replica per interval into a
 * fixed-size {@link SampleRing}. Sampling on a timer rather than on every publish keeps the cost
 * flat (a few objects per second, whatever the write rate) and the memory bounded, and gives the
 * chart evenly spaced points that also cover quiet periods, when nothing is published.
 */
public final class LagHistory implements AutoCloseable {
  /** One sample per second... */
  public static final Duration INTERVAL = Duration.ofSeconds(1);
  /** ...for ten minutes. */
  public static final int SAMPLES = 600;

  private static final Logger log = LoggerFactory.getLogger(LagHistory.class);

  private final Registry registry;
  private final Duration interval;
  private final int capacity;
  private final Map<String, SampleRing> rings = new LinkedHashMap<>(); // fixed at construction
  private ScheduledExecutorService timer; // null until started
  private final FailureStreak failures; // timer thread only

  /** A history that samples only when {@link #sample()} is called; {@link #start} adds the timer. */
  public LagHistory(Registry registry, Duration interval, int capacity) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("history interval must be positive, was " + interval);
    }
    this.registry = registry;
    this.interval = interval;
    this.capacity = capacity;
    this.failures = new FailureStreak("lag history: sampling", registry.clock());
    for (ServerStatus r : registry.replicas()) {
      rings.put(r.name(), new SampleRing(capacity));
    }
  }

  /** Starts sampling {@code registry} every {@code interval}, keeping {@code capacity} samples. */
  public static LagHistory start(Registry registry, Duration interval, int capacity) {
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
  public void sample() {
    // Milliseconds are plenty at one sample a second, and every browser parses them.
    Instant now = registry.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    for (ServerStatus r : registry.replicas()) {
      rings.get(r.name()).add(LagSample.of(now, registry.lag(r)));
    }
  }

  private void sampleOrWarn() {
    try {
      sample();
      StreakLog.write(log, failures.recovered());
    } catch (RuntimeException e) {
      // An exception would cancel the schedule: keep sampling, and log once per failing streak.
      StreakLog.write(log, failures.failed(e, null));
    }
  }

  /** The interval between two samples. */
  public Duration interval() {
    return interval;
  }

  /** Samples kept per replica. */
  public int capacity() {
    return capacity;
  }

  /** The replicas sampled, in configuration order. */
  public List<String> replicas() {
    return List.copyOf(rings.keySet());
  }

  /**
   * The samples of {@code replica} taken strictly after {@code after} (all when null), oldest
   * first.
   *
   * @throws IllegalArgumentException if {@code replica} is not a replica sampled here
   */
  public List<LagSample> samples(String replica, Instant after) {
    SampleRing ring = rings.get(replica);
    if (ring == null) {
      throw new IllegalArgumentException("no lag history of '" + replica + "'");
    }
    return ring.after(after);
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
