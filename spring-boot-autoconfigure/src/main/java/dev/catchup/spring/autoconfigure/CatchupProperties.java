package dev.catchup.spring.autoconfigure;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.Consistency;
import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.sdk.ReadPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code catchup.*} properties. A property left unset keeps the SDK's default (named in each
 * description); nothing is checked here: {@link CatchupDataSourceAutoConfiguration} hands every set
 * property to the SDK's builder, whose checks name the rule, and reports a failure under the
 * property's name.
 *
 * <p>A mutable bean, unlike the SDK's values, because that is what Boot binds and what its
 * metadata processor documents from the field comments; it lives only until the data source is
 * built.
 */
@ConfigurationProperties(prefix = "catchup")
public class CatchupProperties {
  /** Whether to create the CatchupDataSource (default true). */
  private boolean enabled = true;

  /** The servers' GTID flavor: mysql or mariadb (required). */
  private Flavor flavor;

  /** The server that is primary at start (required). */
  private final Server primary = new Server();

  /** The servers that may serve reads, each with a name that matches the monitor's (at least one). */
  private List<Server> replicas = new ArrayList<>();

  /** User of every server (required). */
  private String username;

  /** Password of every server (never logged). */
  private String password;

  /** Default consistency of reads (default read-your-writes: a session's writes and observed tokens). */
  private Consistency consistency;

  /** What a read does when no replica has its token yet (default wait-then-fallback). */
  private ReadPolicy readPolicy;

  /** Longest wait of a read for a replica (default 5s, at most 1h). */
  private Duration maxWait;

  /** Cap on reads that fall back to the primary, per second (default 0: no cap). */
  private Double maxPrimaryFallbacksPerSecond;

  /** Base URLs of Catchup monitors (e.g. http://monitor:9760); one is followed, the others stand by. */
  private List<String> monitors = new ArrayList<>();

  /** Bearer token for monitors that require one (never logged). */
  private String monitorToken;

  /** How long a monitor may be silent before reads ask the servers directly (default 3s). */
  private Duration monitorMaxStaleness;

  /** How often every server is asked its role, to follow failovers (default 5s, 100ms to 1h). */
  private Duration topologyCheckInterval;

  /** Whether the primary also serves reads (default false). */
  private Boolean readsOnPrimary;

  /** The connection pools (one per server). */
  private final Pool pool = new Pool();

  /** Token propagation between services. */
  private final Propagation propagation = new Propagation();

  /** A server: the name the monitor knows it by, and its JDBC URL. */
  public static class Server {
    /** Name of the server, as the monitor names it (the primary's default is "primary"). */
    private String name;

    /** JDBC URL of the server (jdbc:mysql://host:port/db), without a password. */
    private String url;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }
  }

  /** Settings of each server's connection pool. */
  public static class Pool {
    /** Maximum connections of each pool (default 10). */
    private Integer size;

    /** How long borrowing a primary connection may take (default 5s). */
    private Duration connectTimeout;

    /** How long borrowing a replica connection may take before the read moves on (default 1s). */
    private Duration replicaConnectTimeout;

    public Integer getSize() {
      return size;
    }

    public void setSize(Integer size) {
      this.size = size;
    }

    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    public Duration getReplicaConnectTimeout() {
      return replicaConnectTimeout;
    }

    public void setReplicaConnectTimeout(Duration replicaConnectTimeout) {
      this.replicaConnectTimeout = replicaConnectTimeout;
    }
  }

  /** How tokens travel between services. */
  public static class Propagation {
    /**
     * Whether to read the token from incoming requests and put it on outgoing ones (servlet filter,
     * RestClient, RestTemplate and WebClient interceptors).
     */
    private boolean enabled = true;

    /** The header that carries the token, on HTTP requests and responses and on messages. */
    private String headerName = ConsistencyToken.HEADER;

    private final Baggage baggage = new Baggage();

    public Baggage getBaggage() {
      return baggage;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getHeaderName() {
      return headerName;
    }

    public void setHeaderName(String headerName) {
      this.headerName = headerName;
    }
  }

  /** The token as a W3C baggage entry, beside its header. */
  public static class Baggage {
    /**
     * Whether outgoing HTTP requests also carry the token in W3C baggage (entry catchup.token) and
     * incoming requests without the header take it from there (needs opentelemetry-api; default
     * false: baggage is forwarded to every downstream service, third parties included).
     */
    private boolean enabled;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Flavor getFlavor() {
    return flavor;
  }

  public void setFlavor(Flavor flavor) {
    this.flavor = flavor;
  }

  public Server getPrimary() {
    return primary;
  }

  public List<Server> getReplicas() {
    return replicas;
  }

  public void setReplicas(List<Server> replicas) {
    this.replicas = replicas;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public Consistency getConsistency() {
    return consistency;
  }

  public void setConsistency(Consistency consistency) {
    this.consistency = consistency;
  }

  public ReadPolicy getReadPolicy() {
    return readPolicy;
  }

  public void setReadPolicy(ReadPolicy readPolicy) {
    this.readPolicy = readPolicy;
  }

  public Duration getMaxWait() {
    return maxWait;
  }

  public void setMaxWait(Duration maxWait) {
    this.maxWait = maxWait;
  }

  public Double getMaxPrimaryFallbacksPerSecond() {
    return maxPrimaryFallbacksPerSecond;
  }

  public void setMaxPrimaryFallbacksPerSecond(Double maxPrimaryFallbacksPerSecond) {
    this.maxPrimaryFallbacksPerSecond = maxPrimaryFallbacksPerSecond;
  }

  public List<String> getMonitors() {
    return monitors;
  }

  public void setMonitors(List<String> monitors) {
    this.monitors = monitors;
  }

  public String getMonitorToken() {
    return monitorToken;
  }

  public void setMonitorToken(String monitorToken) {
    this.monitorToken = monitorToken;
  }

  public Duration getMonitorMaxStaleness() {
    return monitorMaxStaleness;
  }

  public void setMonitorMaxStaleness(Duration monitorMaxStaleness) {
    this.monitorMaxStaleness = monitorMaxStaleness;
  }

  public Duration getTopologyCheckInterval() {
    return topologyCheckInterval;
  }

  public void setTopologyCheckInterval(Duration topologyCheckInterval) {
    this.topologyCheckInterval = topologyCheckInterval;
  }

  public Boolean getReadsOnPrimary() {
    return readsOnPrimary;
  }

  public void setReadsOnPrimary(Boolean readsOnPrimary) {
    this.readsOnPrimary = readsOnPrimary;
  }

  public Pool getPool() {
    return pool;
  }

  public Propagation getPropagation() {
    return propagation;
  }
}
