package dev.catchup.sdk;

import com.zaxxer.hikari.HikariConfig;
import dev.catchup.gtid.Flavor;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures a {@link CatchupDataSource}; get one from {@link CatchupDataSource#builder()}. Each
 * setter checks its argument at once and {@link #build()} checks their combination; messages name
 * the setting, the value and the rule. The effective configuration is logged once, by
 * {@link #build()}, with the password and the monitor token masked.
 *
 * <p>The settings are kept per concern (servers and credentials, pools, monitors, reads), each an
 * immutable value that a setter replaces with a checked copy.
 */
public final class CatchupDataSourceBuilder {
  // The data source's logger: the effective config is logged where it always was.
  private static final Logger log = LoggerFactory.getLogger(CatchupDataSource.class);

  private ServerSettings servers = ServerSettings.NONE;
  private PoolSettings pools = PoolSettings.DEFAULTS;
  private MonitorSettings monitors = MonitorSettings.NONE;
  private ReadSettings reads = ReadSettings.DEFAULTS;
  private TopologySettings topology = TopologySettings.DEFAULTS;
  private CatchupMetrics metrics = CatchupMetrics.NONE;

  CatchupDataSourceBuilder() {}

  /** The servers' GTID flavor (required). */
  public CatchupDataSourceBuilder flavor(Flavor flavor) {
    servers = servers.withFlavor(flavor);
    return this;
  }

  /**
   * JDBC URL of the primary (required), a {@code jdbc:mysql:} URL (Connector/J). URLs are logged,
   * so one that carries a password in any form is refused: use {@link #credentials}.
   */
  public CatchupDataSourceBuilder primary(String jdbcUrl) {
    servers = servers.withPrimary(jdbcUrl);
    return this;
  }

  /**
   * The server that is primary at start, under {@code name} (default {@code "primary"}): like
   * every server name it must match the monitor's name for the server, since after a failover any
   * configured server may be primary and any may serve reads.
   */
  public CatchupDataSourceBuilder primary(String name, String jdbcUrl) {
    servers = servers.withPrimary(name, jdbcUrl);
    return this;
  }

  /**
   * Whether the primary also serves reads (default false): with false, a replica promoted to
   * primary leaves the read rotation, and the old primary joins it once it replicates.
   */
  public CatchupDataSourceBuilder readsOnPrimary(boolean readsOnPrimary) {
    topology = topology.withReadsOnPrimary(readsOnPrimary);
    return this;
  }

  /**
   * How often every configured server is asked its role (default 5 s, between 0.1 s and 1 h):
   * what finds a new primary and a replica that was demoted or re-pointed when no write tells
   * (a write that finds the primary gone or read-only asks at once).
   */
  public CatchupDataSourceBuilder topologyCheckInterval(Duration interval) {
    topology = topology.withCheckInterval(interval);
    return this;
  }

  /** Adds a replica under a unique name (at least one is required). */
  public CatchupDataSourceBuilder replica(String name, String jdbcUrl) {
    servers = servers.withReplica(name, jdbcUrl);
    return this;
  }

  /** Credentials for every server. */
  public CatchupDataSourceBuilder credentials(String username, String password) {
    servers = servers.withCredentials(username, password);
    return this;
  }

  /** Default read options (default {@link ReadOptions#DEFAULTS}). */
  public CatchupDataSourceBuilder readOptions(ReadOptions options) {
    reads = reads.withDefaults(options);
    return this;
  }

  /** Default consistency of reads. */
  public CatchupDataSourceBuilder consistency(Consistency consistency) {
    return readOptions(reads.defaults().withConsistency(consistency));
  }

  /** Default policy of reads when no replica has the token. */
  public CatchupDataSourceBuilder readPolicy(ReadPolicy policy) {
    return readOptions(reads.defaults().withPolicy(policy));
  }

  /** Default longest wait of a read for a replica. */
  public CatchupDataSourceBuilder maxWait(Duration maxWait) {
    return readOptions(reads.defaults().withMaxWait(maxWait));
  }

  /**
   * Caps reads that fall back to the primary at {@code perSecond} (0, the default, means no cap).
   * Fractional rates work: 0.5 allows one fallback every 2 s (the bucket always holds at least one).
   * Past the cap a fallback is shed: the read fails with {@link ReplicaNotCaughtUpException} at
   * once rather than adding load to the primary when a replica stalls. Reads routed to the
   * primary on purpose ({@link Consistency#PRIMARY}) are not counted.
   */
  public CatchupDataSourceBuilder maxPrimaryFallbacksPerSecond(double perSecond) {
    reads = reads.withMaxPrimaryFallbacksPerSecond(perSecond);
    return this;
  }

  /**
   * Adds a Catchup monitor (its base URL, e.g. {@code http://monitor:9760}); any of several will
   * do. Reads then route on the monitor's confirmed sets: no extra query when a replica has the
   * token, and waits happen in the process without holding a connection. The monitor's replica
   * names must match the names given to {@link #replica}.
   */
  public CatchupDataSourceBuilder monitor(String baseUrl) {
    monitors = monitors.withMonitor(baseUrl);
    return this;
  }

  /** Bearer token for monitors that require one. */
  public CatchupDataSourceBuilder monitorToken(String token) {
    monitors = monitors.withToken(token);
    return this;
  }

  /**
   * How long the monitor may be silent before reads stop following it and ask the servers
   * directly (default 3 s; the monitor sends a keep-alive every second).
   */
  public CatchupDataSourceBuilder monitorMaxStaleness(Duration maxStaleness) {
    monitors = monitors.withMaxStaleness(maxStaleness);
    return this;
  }

  /** Maximum connections of each pool (default 10). */
  public CatchupDataSourceBuilder poolSize(int poolSize) {
    pools = pools.withSize(poolSize);
    return this;
  }

  /** How long borrowing a primary connection may take (default 5 s). */
  public CatchupDataSourceBuilder connectTimeout(Duration timeout) {
    pools = pools.withConnectTimeout(timeout);
    return this;
  }

  /**
   * How long borrowing a replica connection may take before the read moves on (default 1 s): a
   * dead replica costs a read at most this much once, then is skipped with back-off.
   */
  public CatchupDataSourceBuilder replicaConnectTimeout(Duration timeout) {
    pools = pools.withReplicaConnectTimeout(timeout);
    return this;
  }

  /** Metrics hooks (default none). */
  public CatchupDataSourceBuilder metrics(CatchupMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
    return this;
  }

  /**
   * Extra HikariCP settings applied to every pool after Catchup's own. Each call adds one: they run
   * in the order given, so independent parts of an application (its TLS settings, a metrics
   * binding) can each add theirs without dropping the others'.
   */
  public CatchupDataSourceBuilder configurePools(Consumer<HikariConfig> customizer) {
    Objects.requireNonNull(customizer, "configurePools customizer must not be null");
    pools = pools.withCustomizer(pools.customizer().andThen(customizer));
    return this;
  }

  /**
   * Builds the data source. Pools start connecting in the background; a server that is down at
   * this point is retried, not fatal.
   *
   * @throws IllegalStateException naming what is missing
   */
  public CatchupDataSource build() {
    servers.checkComplete();
    log.info("Catchup data source: flavor {}, primary {} {}, replicas {}, user {}, password {}, "
        + "reads {}, pool size {}, replica connect timeout {}, monitors {}, reads on primary {}, "
        + "topology check interval {}", servers.flavor(), servers.primaryName(),
        servers.primaryUrl(), servers.replicaUrls(), servers.username(), servers.maskedPassword(),
        reads.defaults(), pools.size(), pools.replicaConnectTimeout(), monitors,
        topology.readsOnPrimary(), topology.checkInterval());
    return new CatchupDataSource(servers, pools, monitors, reads, topology, metrics);
  }
}
