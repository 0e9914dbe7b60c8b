package dev.catchup.sdk;

import com.zaxxer.hikari.HikariConfig;
import dev.catchup.gtid.Flavor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures a {@link CatchupDataSource}. Each setter checks its argument at once and
 * {@link #build()} checks their combination; messages name the setting, the value and the rule.
 */
public final class CatchupDataSourceBuilder {
  // The data source's logger: the effective config is logged where it always was.
  private static final Logger log = LoggerFactory.getLogger(CatchupDataSource.class);

  Flavor flavor;
  String primaryUrl;
  final Map<String, String> replicaUrls = new LinkedHashMap<>();
  String username;
  String password;
  ReadOptions defaults = ReadOptions.DEFAULTS;
  int poolSize = 10;
  Duration connectTimeout = Duration.ofSeconds(5);
  Duration replicaConnectTimeout = Duration.ofSeconds(1);
  CatchupMetrics metrics = CatchupMetrics.NONE;
  Consumer<HikariConfig> poolCustomizer = c -> {};
  final List<java.net.URI> monitors = new ArrayList<>();
  String monitorToken;
  Duration monitorMaxStaleness = Duration.ofSeconds(3);
  double maxPrimaryFallbacksPerSecond;

  CatchupDataSourceBuilder() {}

  /**
   * Caps reads that fall back to the primary at {@code perSecond} (0, the default, means no cap).
   * Fractional rates work: 0.5 allows one fallback every 2 s (the bucket always holds at least one).
   * Past the cap a fallback is shed: the read fails with {@link ReplicaNotCaughtUpException} at
   * once rather than adding load to the primary when a replica stalls. Reads routed to the
   * primary on purpose ({@link Consistency#PRIMARY}) are not counted.
   */
  public CatchupDataSourceBuilder maxPrimaryFallbacksPerSecond(double perSecond) {
    if (!(perSecond >= 0) || perSecond > 1_000_000) {
      throw new IllegalArgumentException("maxPrimaryFallbacksPerSecond must be between 0 (no cap) "
          + "and 1000000, was " + perSecond);
    }
    this.maxPrimaryFallbacksPerSecond = perSecond;
    return this;
  }

  /**
   * Adds a Catchup monitor (its base URL, e.g. {@code http://monitor:9760}); any of several will
   * do. Reads then route on the monitor's confirmed sets: no extra query when a replica has the
   * token, and waits happen in the process without holding a connection. The monitor's replica
   * names must match the names given to {@link #replica}.
   */
  public CatchupDataSourceBuilder monitor(String baseUrl) {
    java.net.URI uri;
    try {
      uri = java.net.URI.create(Objects.requireNonNull(baseUrl, "monitor URL must not be null"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("monitor must be an http(s) URL, was '" + baseUrl + "'");
    }
    if (uri.getRawUserInfo() != null) {
      // URLs are logged at start: credentials in them would be too.
      throw new IllegalArgumentException("monitor URL must not carry credentials "
          + "(user:password@host); use monitorToken()");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("monitor must be an http(s) URL, was '" + baseUrl + "'");
    }
    monitors.add(uri);
    return this;
  }

  /** Bearer token for monitors that require one. */
  public CatchupDataSourceBuilder monitorToken(String token) {
    this.monitorToken = token;
    return this;
  }

  /**
   * How long the monitor may be silent before reads stop following it and ask the servers
   * directly (default 3 s; the monitor sends a keep-alive every second).
   */
  public CatchupDataSourceBuilder monitorMaxStaleness(Duration maxStaleness) {
    this.monitorMaxStaleness = checkTimeout("monitorMaxStaleness", maxStaleness);
    return this;
  }

  /** The servers' GTID flavor (required). */
  public CatchupDataSourceBuilder flavor(Flavor flavor) {
    this.flavor = Objects.requireNonNull(flavor, "flavor must not be null");
    return this;
  }

  /**
   * JDBC URL of the primary (required), a {@code jdbc:mysql:} URL (Connector/J). URLs are logged,
   * so one that carries a password in any form is refused: use {@link #credentials}.
   */
  public CatchupDataSourceBuilder primary(String jdbcUrl) {
    this.primaryUrl = JdbcUrls.check("primary", jdbcUrl);
    return this;
  }

  /** Adds a replica under a unique name (at least one is required). */
  public CatchupDataSourceBuilder replica(String name, String jdbcUrl) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("replica name must match [A-Za-z0-9_.-]{1,64}, was '"
          + name + "'");
    }
    if (replicaUrls.containsKey(name)) {
      throw new IllegalArgumentException("replica name '" + name + "' is used twice");
    }
    replicaUrls.put(name, JdbcUrls.check("replica " + name, jdbcUrl));
    return this;
  }

  /** Credentials for every server. */
  public CatchupDataSourceBuilder credentials(String username, String password) {
    this.username = Objects.requireNonNull(username, "username must not be null");
    this.password = password;
    return this;
  }

  /** Default read options (default {@link ReadOptions#DEFAULTS}). */
  public CatchupDataSourceBuilder readOptions(ReadOptions options) {
    this.defaults = Objects.requireNonNull(options, "readOptions must not be null");
    return this;
  }

  /** Default consistency of reads. */
  public CatchupDataSourceBuilder consistency(Consistency consistency) {
    return readOptions(defaults.withConsistency(consistency));
  }

  /** Default policy of reads when no replica has the token. */
  public CatchupDataSourceBuilder readPolicy(ReadPolicy policy) {
    return readOptions(defaults.withPolicy(policy));
  }

  /** Default longest wait of a read for a replica. */
  public CatchupDataSourceBuilder maxWait(Duration maxWait) {
    return readOptions(defaults.withMaxWait(maxWait));
  }

  /** Maximum connections of each pool (default 10). */
  public CatchupDataSourceBuilder poolSize(int poolSize) {
    if (poolSize < 1 || poolSize > 10_000) {
      throw new IllegalArgumentException("poolSize must be between 1 and 10000, was " + poolSize);
    }
    this.poolSize = poolSize;
    return this;
  }

  /** How long borrowing a primary connection may take (default 5 s). */
  public CatchupDataSourceBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = checkTimeout("connectTimeout", timeout);
    return this;
  }

  /**
   * How long borrowing a replica connection may take before the read moves on (default 1 s): a
   * dead replica costs a read at most this much once, then is skipped with back-off.
   */
  public CatchupDataSourceBuilder replicaConnectTimeout(Duration timeout) {
    this.replicaConnectTimeout = checkTimeout("replicaConnectTimeout", timeout);
    return this;
  }

  /** Metrics hooks (default none). */
  public CatchupDataSourceBuilder metrics(CatchupMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
    return this;
  }

  /** Extra HikariCP settings applied to every pool after Catchup's own. */
  public CatchupDataSourceBuilder configurePools(Consumer<HikariConfig> customizer) {
    this.poolCustomizer = Objects.requireNonNull(customizer, "customizer must not be null");
    return this;
  }

  /**
   * Builds the data source. Pools start connecting in the background; a server that is down at
   * this point is retried, not fatal.
   *
   * @throws IllegalStateException naming what is missing
   */
  public CatchupDataSource build() {
    if (flavor == null) {
      throw new IllegalStateException("flavor is required: call flavor(Flavor.MYSQL) or "
          + "flavor(Flavor.MARIADB)");
    }
    if (primaryUrl == null) {
      throw new IllegalStateException("primary is required: call primary(\"jdbc:mysql://host:port/db\")");
    }
    if (replicaUrls.isEmpty()) {
      throw new IllegalStateException("at least one replica is required: call replica(name, url)");
    }
    if (username == null) {
      throw new IllegalStateException("credentials are required: call credentials(user, password)");
    }
    log.info("Catchup data source: flavor {}, primary {}, replicas {}, user {}, password {}, "
        + "reads {}, pool size {}, replica connect timeout {}, monitors {}{}", flavor, primaryUrl,
        replicaUrls, username, password == null || password.isEmpty() ? "(none)" : "****",
        defaults, poolSize, replicaConnectTimeout, monitors.isEmpty() ? "none" : monitors,
        monitorToken == null ? "" : " (token ****)");
    return new CatchupDataSource(this);
  }

  private static Duration checkTimeout(String what, Duration d) {
    Objects.requireNonNull(d, what + " must not be null");
    if (d.compareTo(Duration.ofMillis(250)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(what + " must be between PT0.25S and PT10M, was " + d);
    }
    return d;
  }
}
