package dev.catchup.micrometer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupMetrics;
import dev.catchup.sdk.Consistency;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link CatchupMetrics} as Micrometer meters: reads by target, replica and consistency, waits on
 * replicas and on the monitor as timers with their outcome, fallbacks by reason, failures, queries
 * Catchup ran of its own, the token's size and switches of the routing mode. Every meter is in
 * {@code micrometer/README.md} with its tags and its Prometheus name.
 *
 * <pre>{@code
 * MicrometerCatchupMetrics metrics = new MicrometerCatchupMetrics(registry);
 * CatchupDataSource ds = CatchupDataSource.builder()
 *     ...
 *     .metrics(metrics)
 *     .configurePools(MicrometerCatchupMetrics.poolMetrics(registry))
 *     .build();
 * metrics.bindTo(ds);          // the routing mode and topology gauges
 * }</pre>
 *
 * <p>The hooks run on the read path, so no hook looks a meter up in the registry once its tag
 * values have been seen: meters whose tags are known up front are registered here, the others the
 * first time a server name comes (one map read afterwards). Tag values are bounded: server names
 * are configuration, and nothing tagged ever carries a GTID, a token or SQL. Thread-safe.
 */
public final class MicrometerCatchupMetrics implements CatchupMetrics {
  private final MeterRegistry registry;
  private final Tags common;
  private final ServerTags servers = new ServerTags();

  /** Primary reads, by {@link Consistency} ordinal. */
  private final Counter[] primaryReads;
  /** Replica reads: per replica name, by {@link Consistency} ordinal. */
  private final ConcurrentMap<String, Counter[]> replicaReads = new ConcurrentHashMap<>();
  /** Server-side waits: per replica name, [reached, timeout, brief_timeout]. */
  private final ConcurrentMap<String, Timer[]> waits = new ConcurrentHashMap<>();
  private final Timer monitorWaitReached;
  private final Timer monitorWaitTimeout;
  /** By {@link FallbackReason} ordinal. */
  private final Counter[] fallbacks;
  private final ConcurrentMap<String, Counter> failures = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> extraQueries = new ConcurrentHashMap<>();
  private final DistributionSummary tokenSources;
  private final Counter switchesToMonitor;
  private final Counter switchesToDirect;

  /** Meters in {@code registry}, with no tags beyond their own. */
  public MicrometerCatchupMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Meters in {@code registry}, each also carrying {@code commonTags} (a data source's name, say,
   * when an application has several).
   */
  public MicrometerCatchupMetrics(MeterRegistry registry, Iterable<Tag> commonTags) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
    this.common = Tags.of(Objects.requireNonNull(commonTags, "commonTags must not be null"));
    Consistency[] levels = Consistency.values();
    primaryReads = new Counter[levels.length];
    for (Consistency c : levels) {
      primaryReads[c.ordinal()] = reads("primary", ServerTags.NONE, c);
    }
    monitorWaitReached = monitorWait("reached");
    monitorWaitTimeout = monitorWait("timeout");
    FallbackReason[] reasons = FallbackReason.values();
    fallbacks = new Counter[reasons.length];
    for (FallbackReason r : reasons) {
      fallbacks[r.ordinal()] = Counter.builder("catchup.fallbacks")
          .description("Reads that went to the primary instead of a replica, by reason")
          .baseUnit("fallbacks").tags(common).tag("reason", lower(r)).register(registry);
    }
    tokenSources = DistributionSummary.builder("catchup.token.sources")
        .description("Entries (sources) in a session's token after each recorded write")
        .baseUnit("sources").tags(common).register(registry);
    switchesToMonitor = switches("monitor");
    switchesToDirect = switches("direct");
  }

  /**
   * A pool customizer for {@code CatchupDataSourceBuilder.configurePools(...)} that registers each
   * internal HikariCP pool's own meters ({@code hikaricp.connections}, ...) in {@code registry},
   * tagged {@code pool=catchup-<server>}. Settings of your own go in another
   * {@code configurePools} call: each call adds a customizer.
   */
  public static Consumer<HikariConfig> poolMetrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry must not be null");
    MicrometerMetricsTrackerFactory trackers = new MicrometerMetricsTrackerFactory(registry);
    return config -> config.setMetricsTrackerFactory(trackers);
  }

  /**
   * Registers the gauges that need the data source (routing mode, topology generation, servers in
   * the read rotation) in this registry with this instance's common tags; the same as
   * {@code new CatchupDataSourceMeters(ds, commonTags).bindTo(registry)}.
   */
  public void bindTo(CatchupDataSource ds) {
    new CatchupDataSourceMeters(ds, common).bindTo(registry);
  }

  @Override
  public void readRouted(Target target, String replica, Consistency consistency) {
    int level = consistency.ordinal();
    if (target == Target.PRIMARY) {
      primaryReads[level].increment();
      return;
    }
    cached(replicaReads, replica, name -> {
      Counter[] byLevel = new Counter[primaryReads.length];
      for (Consistency c : Consistency.values()) {
        byLevel[c.ordinal()] = reads("replica", name, c);
      }
      return byLevel;
    })[level].increment();
  }

  @Override
  public void waited(String replica, Duration waited, boolean reached) {
    (reached ? waits(replica)[0] : waits(replica)[1]).record(waited);
  }

  /**
   * A brief wait that reached is a wait like any ({@code outcome=reached}); one that did not is
   * {@code outcome=brief_timeout}: the read goes on waiting in the process, so counting it as a
   * {@code timeout} would set off alerts on wait timeouts after every write.
   */
  @Override
  public void briefWaited(String replica, Duration waited, boolean reached) {
    (reached ? waits(replica)[0] : waits(replica)[2]).record(waited);
  }

  private Timer[] waits(String replica) {
    return cached(waits, replica, name -> new Timer[] {wait(name, "reached"),
        wait(name, "timeout"), wait(name, "brief_timeout")});
  }

  @Override
  public void fellBack(FallbackReason reason) {
    fallbacks[reason.ordinal()].increment();
  }

  @Override
  public void failed(String replica) {
    cached(failures, replica, name -> Counter.builder("catchup.read.failures")
        .description("Reads that failed with ReplicaNotCaughtUpException, by the replica meant")
        .baseUnit("failures").tags(common).tag("replica", name).register(registry)).increment();
  }

  @Override
  public void gtidRecorded(int tokenSources) {
    this.tokenSources.record(tokenSources);
  }

  @Override
  public void extraQuery(String server) {
    cached(extraQueries, server, name -> Counter.builder("catchup.extra.queries")
        .description("Queries Catchup ran of its own (GTID checks and waits, executed sets, "
            + "GTIDs read by query), by server")
        .baseUnit("queries").tags(common).tag("server", name).register(registry)).increment();
  }

  @Override
  public void waitedForMonitor(Duration waited, boolean reached) {
    (reached ? monitorWaitReached : monitorWaitTimeout).record(waited);
  }

  @Override
  public void monitorMode(boolean usingMonitor) {
    (usingMonitor ? switchesToMonitor : switchesToDirect).increment();
  }

  /**
   * The meter of {@code reported}: one map read once the name has been seen. The cache is keyed
   * by tag value, so a reported description ({@code "replica1 (pool exhausted)"}) is not cached
   * under its own text and the map stays as small as the set of names.
   */
  private <T> T cached(ConcurrentMap<String, T> cache, String reported, Function<String, T> make) {
    if (reported != null) {
      T hit = cache.get(reported);
      if (hit != null) {
        return hit;
      }
    }
    return cache.computeIfAbsent(servers.of(reported), make);
  }

  private Counter reads(String target, String replica, Consistency consistency) {
    return Counter.builder("catchup.reads")
        .description("Reads routed, by target (replica or primary), replica and consistency")
        .baseUnit("reads").tags(common).tag("target", target).tag("replica", replica)
        .tag("consistency", lower(consistency)).register(registry);
  }

  private Timer wait(String replica, String outcome) {
    return Timer.builder("catchup.wait")
        .description("Waits on a replica's server for a token's GTIDs, by replica and outcome")
        .tags(common).tag("replica", replica).tag("outcome", outcome).register(registry);
  }

  private Timer monitorWait(String outcome) {
    return Timer.builder("catchup.monitor.wait")
        .description("Waits in the process for the monitor to report a token, by outcome")
        .tags(common).tag("outcome", outcome).register(registry);
  }

  private Counter switches(String mode) {
    return Counter.builder("catchup.routing.switches")
        .description("Switches of routing to following the monitor or to asking the servers "
            + "directly, by the mode switched to")
        .baseUnit("switches").tags(common).tag("mode", mode).register(registry);
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
