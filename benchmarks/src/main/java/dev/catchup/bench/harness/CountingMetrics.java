package dev.catchup.bench.harness;

import dev.catchup.sdk.CatchupMetrics;
import dev.catchup.sdk.Consistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the SDK reports through {@link CatchupMetrics}, counted. Phases take a {@link Counts}
 * snapshot before and after and keep the difference, so one data source can serve several phases.
 * Also remembers, per thread, where that thread's last read was routed (the SDK calls
 * {@link #readRouted} on the reading thread), so a sample can be matched with its replica.
 */
public final class CountingMetrics implements CatchupMetrics {
  /** Where {@link #lastTarget()} says a read went when it went to the primary. */
  public static final String PRIMARY = "primary";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final ThreadLocal<String> lastTarget = new ThreadLocal<>();
  /** Start and end of every wait on {@link #nanoTime}'s scale, when recording; else null. */
  private final Queue<long[]> waits;
  private final LongSupplier nanoTime;

  /** Counts only. */
  public CountingMetrics() {
    this(null);
  }

  private CountingMetrics(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.waits = nanoTime == null ? null : new ConcurrentLinkedQueue<>();
  }

  /**
   * Counts, and also records when each wait (server or in-process) began and ended, so that
   * {@link #drainWaits()} can tell how many readers waited at once.
   *
   * @param nanoTime the clock the waits end on ({@code System::nanoTime}; tests pass their own)
   */
  public static CountingMetrics recordingWaits(LongSupplier nanoTime) {
    return new CountingMetrics(nanoTime);
  }

  @Override
  public void readRouted(Target target, String replica, Consistency consistency) {
    String where = target == Target.PRIMARY ? PRIMARY : replica;
    lastTarget.set(where);
    add("reads." + where, 1);
  }

  @Override
  public void waited(String replica, Duration waited, boolean reached) {
    add(reached ? "serverWaits.reached" : "serverWaits.timedOut", 1);
    add("serverWaits.nanos", waited.toNanos());
    record(waited);
  }

  @Override
  public void fellBack(FallbackReason reason) {
    add("fallbacks." + reason, 1);
  }

  @Override
  public void failed(String replica) {
    add("failures", 1);
  }

  @Override
  public void extraQuery(String server) {
    add("extraQueries." + server, 1);
  }

  @Override
  public void waitedForMonitor(Duration waited, boolean reached) {
    add(reached ? "monitorWaits.reached" : "monitorWaits.timedOut", 1);
    add("monitorWaits.nanos", waited.toNanos());
    record(waited);
  }

  @Override
  public void monitorMode(boolean usingMonitor) {
    add(usingMonitor ? "modeSwitches.toMonitor" : "modeSwitches.toDirect", 1);
  }

  /** Where this thread's last read was routed: a replica's name or {@link #PRIMARY}; null if none. */
  public String lastTarget() {
    return lastTarget.get();
  }

  /** Forgets this thread's last target, so that a failed read is not matched with an older one. */
  public void clearLastTarget() {
    lastTarget.remove();
  }

  /** The SDK reports a wait when it ends: it began {@code waited} ago. */
  private void record(Duration waited) {
    if (waits != null) {
      long end = nanoTime.getAsLong();
      waits.add(new long[] {end - waited.toNanos(), end});
    }
  }

  /**
   * The most waits in progress at once among those recorded since the last call (0 when not
   * recording), and forgets them. Exact: computed from each wait's start and end, not sampled.
   */
  public int drainWaits() {
    if (waits == null) {
      return 0;
    }
    List<long[]> events = new ArrayList<>();
    for (long[] w; (w = waits.poll()) != null; ) {
      events.add(new long[] {w[0], 1});
      events.add(new long[] {w[1], -1});
    }
    // At equal times an end sorts before a start: waits that merely touch do not overlap.
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int peak = 0;
    for (long[] e : events) {
      now += (int) e[1];
      peak = Math.max(peak, now);
    }
    return peak;
  }

  private void add(String key, long n) {
    counts.computeIfAbsent(key, k -> new LongAdder()).add(n);
  }

  /** Everything counted so far. */
  public Counts snapshot() {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return new Counts(Map.copyOf(m));
  }

  /**
   * Counters at one moment, or the difference of two moments. Immutable.
   *
   * @param values counter name to value
   */
  public record Counts(Map<String, Long> values) {
    public static final Counts NONE = new Counts(Map.of());

    /** This minus {@code earlier}, counter by counter. */
    public Counts minus(Counts earlier) {
      Map<String, Long> m = new TreeMap<>();
      values.forEach((k, v) -> m.put(k, v - earlier.get(k)));
      return new Counts(Map.copyOf(m));
    }

    /** This plus {@code other}, counter by counter. */
    public Counts plus(Counts other) {
      Map<String, Long> m = new TreeMap<>(values);
      other.values.forEach((k, v) -> m.merge(k, v, Long::sum));
      return new Counts(Map.copyOf(m));
    }

    public long get(String key) {
      return values.getOrDefault(key, 0L);
    }

    /** Sum of every counter whose name starts with {@code prefix}. */
    public long sum(String prefix) {
      return values.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
          .mapToLong(Map.Entry::getValue).sum();
    }

    /** Counters under {@code prefix}, by the rest of their name, zeros left out. */
    public Map<String, Long> by(String prefix) {
      Map<String, Long> m = new TreeMap<>();
      values.forEach((k, v) -> {
        if (k.startsWith(prefix) && v != 0) {
          m.put(k.substring(prefix.length()), v);
        }
      });
      return m;
    }

    public long reads() {
      return sum("reads.");
    }

    public long extraQueries() {
      return sum("extraQueries.");
    }
  }
}
