package dev.catchup.sdk;

import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over a primary and replicas (one HikariCP pool each) that gives
 * read-your-writes. Use it like any data source: connections go to the primary unless marked
 * read-only ({@link Connection#setReadOnly}, which Spring's {@code @Transactional(readOnly = true)}
 * does) or taken from {@link #getReadConnection()}; such reads run on a replica that has the session's
 * token, as the {@link ReadOptions} say.
 *
 * <p>The session of a connection is the one {@linkplain #bind bound} to the thread (a request
 * scope), else the thread's default session, or the explicit {@link Session} the connection was
 * taken from. The thread's default session lives as long as the thread, or until
 * {@link #resetThreadSession()} or {@link #close()}: on a pooled thread (a servlet container's) it
 * carries one request's writes into the next request's reads, which is safe but makes them wait for
 * writes they need not see; services that serve requests bind a session per request instead.
 * Immutable once built; thread-safe.
 */
public final class CatchupDataSource implements DataSource, AutoCloseable {
  private final Flavor flavor;
  private final Servers servers;
  private final ReadOptions defaults;
  private final CatchupMetrics metrics;
  private final ReadRouter router;
  private final MonitorFeed feed;
  private final Connections connections;
  // Both hold only session state, never this data source: a value that referenced it would keep
  // its ThreadLocal key reachable, and a pooled thread would keep a closed data source (its
  // pools, a web application's class loader) alive for as long as the thread lives.
  private final ThreadLocal<SessionState> bound = new ThreadLocal<>();
  private final ThreadLocal<SessionState> threadDefault = new ThreadLocal<>();
  /** The one clock of routing, sessions, the monitor feed and the fallback cap. */
  private final Ticker ticker = Ticker.system();
  /** The ticker as a clock, for what takes one (the failure streaks' reminders and lengths). */
  private final Clock clock = TickerClock.of(ticker);

  /** Made by {@link CatchupDataSourceBuilder#build()}, which checked the settings. */
  CatchupDataSource(ServerSettings servers, PoolSettings pools, MonitorSettings monitors,
      ReadSettings reads, TopologySettings topology, CatchupMetrics metrics) {
    this.flavor = servers.flavor();
    this.defaults = reads.defaults();
    this.metrics = metrics;
    ServerWait serverWait = new ServerWait(flavor);
    GtidCapture fromReplies = new GtidCapture(flavor);
    QueryCapture byQuery = new QueryCapture(serverWait, metrics);
    // Every server, primary first: after a failover any of them may be primary, so each pool asks
    // for GTIDs in replies and each server gets its own choice of how writes are recorded.
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put(servers.primaryName(), servers.primaryUrl());
    urls.putAll(servers.replicaUrls());
    // What was made before a failure is closed: a failed build() leaks no pool and no thread.
    List<AutoCloseable> made = new ArrayList<>();
    try {
      List<Servers.Server> all = new ArrayList<>();
      for (Map.Entry<String, String> e : urls.entrySet()) {
        boolean primary = e.getKey().equals(servers.primaryName());
        HikariDataSource pool = pools.open(e.getKey(), e.getValue(), primary, servers,
            GtidCapture.driverProperties(flavor));
        made.add(pool);
        all.add(new Servers.Server(e.getKey(), pool,
            new Replica(e.getKey(), pool, GtidSet.empty(flavor), clock),
            new WriteCaptureChoice(serverWait::gtidTrackingProblem, fromReplies, byQuery),
            ServerProbe.connector(e.getValue(), pool.getDataSourceProperties(),
                servers.username(), servers.password())));
      }
      this.servers = new Servers(all, Roles.configured(servers.primaryName(),
          List.copyOf(servers.replicaUrls().keySet()), topology.readsOnPrimary()),
          new ServerProbe(flavor), topology.readsOnPrimary(), pools.connectTimeout(),
          pools.replicaConnectTimeout());
      made.add(this.servers);
      this.feed = !monitors.configured() ? null
          : new MonitorFeed(monitors.urls(), monitors.token(), flavor, monitors.maxStaleness(),
              ticker, clock);
      if (feed != null) {
        made.add(feed);
      }
      this.router = new ReadRouter(this.servers, serverWait, metrics, feed,
          new FallbackLimiter(reads.maxPrimaryFallbacksPerSecond(), ticker), ticker,
          waitSlice(topology.checkInterval()));
      this.connections = new Connections(this.servers, router);
      if (feed != null) {
        // The monitor's topology is the SDK's second source of roles (see Servers.follow).
        feed.onTopology(this.servers::follow);
        this.servers.followingMonitor(feed::followsTopology);
        feed.start();
      }
      this.servers.start(topology.checkInterval());
    } catch (RuntimeException | Error e) {
      for (AutoCloseable c : made) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** A builder; {@code flavor}, {@code primary} and at least one {@code replica} are required. */
  public static CatchupDataSourceBuilder builder() {
    return new CatchupDataSourceBuilder();
  }

  /** A new session with the data source's default read options. */
  public Session newSession() {
    return new Session(connections, metrics, new SessionState(flavor, defaults, ticker));
  }

  /**
   * Binds {@code session} to the current thread until the returned scope closes: connections taken
   * from this data source on this thread (by any framework) belong to it. Scopes nest.
   *
   * @throws IllegalArgumentException if the session belongs to another data source
   */
  public Scope bind(Session session) {
    Objects.requireNonNull(session, "session");
    if (session.source() != connections) {
      throw new IllegalArgumentException("the session belongs to another CatchupDataSource");
    }
    SessionState previous = bound.get();
    bound.set(session.state());
    Thread owner = Thread.currentThread();
    return () -> {
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException("a session scope must be closed by the thread that opened it");
      }
      if (previous == null) {
        bound.remove();
      } else {
        bound.set(previous);
      }
    };
  }

  /** A session bound to a thread; closing it restores the previous one. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * The session connections on this thread belong to: the bound one, else the thread's default
   * session (made on first use; see the class comment for its lifetime).
   *
   * @throws IllegalStateException if this data source is closed
   */
  public Session currentSession() {
    if (connections.isClosed()) {
      throw new IllegalStateException(Connections.CLOSED);
    }
    SessionState s = bound.get();
    if (s == null) {
      s = threadDefault.get();
      if (s == null) {
        s = new SessionState(flavor, defaults, ticker);
        threadDefault.set(s);
      }
    }
    return new Session(connections, metrics, s);
  }

  /**
   * Ends the current thread's default session: the next connection on this thread that no bound
   * session claims starts a new one, with no token. For threads that serve unrelated work one item
   * after another without binding a session to each.
   */
  public void resetThreadSession() {
    threadDefault.remove();
  }

  /** A connection of the current session; read-only ones are routed to replicas. */
  @Override
  public Connection getConnection() throws SQLException {
    checkOpen();
    Session s = currentSession();
    return connection(s, false, s.readOptions());
  }

  /** A read-only connection of the current session. */
  public Connection getReadConnection() throws SQLException {
    checkOpen();
    Session s = currentSession();
    return connection(s, true, s.readOptions());
  }

  /** A read-only connection of the current session with options for this read only. */
  public Connection getReadConnection(ReadOptions options) throws SQLException {
    checkOpen();
    return connection(currentSession(), true, Objects.requireNonNull(options, "options"));
  }

  private void checkOpen() throws SQLException {
    connections.checkOpen();
  }

  /** Not supported: credentials are configuration, set on the builder. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials are set on CatchupDataSource.builder()");
  }

  /** The GTID flavor of the servers. */
  public Flavor flavor() {
    return flavor;
  }

  /**
   * Default options of reads, as configured on the builder; derive per-read options from them
   * ({@code ds.defaultReadOptions().withConsistency(...)}) to keep the configured policy and wait.
   */
  public ReadOptions defaultReadOptions() {
    return defaults;
  }

  /**
   * Names of the servers in the read rotation now, in configuration order: at first the
   * configured replicas; after a failover, the servers that replicate (see {@code readsOnPrimary}).
   */
  public List<String> replicaNames() {
    return servers.roles().readers();
  }

  /** The configured name of the server writes go to now. */
  public String primaryName() {
    return servers.roles().primary();
  }

  /**
   * The topology's generation: 0 as configured, one more with each change of primary this data
   * source has followed (for a gauge that steps at each failover).
   */
  public long topologyGeneration() {
    return servers.roles().generation();
  }

  /** The servers' current roles, for tests and for a second source of topology. */
  Servers servers() {
    return servers;
  }

  private Connection connection(Session session, boolean readOnly, ReadOptions options)
      throws SQLException {
    return connections.open(session, readOnly, options);
  }

  ReadRouter router() {
    return router;
  }

  /**
   * Whether reads currently follow a monitor (in-memory routing, no extra queries) or ask the
   * servers directly, and why.
   *
   * @param monitorConfigured at least one monitor URL was given
   * @param followingMonitor reads route on the monitor's view now
   * @param reason what the SDK knows of the monitors: the one followed ("following the monitor at
   *     host:port"), or why none is, and of each other one why it is not used
   */
  public record RoutingHealth(boolean monitorConfigured, boolean followingMonitor, String reason) {}

  /** See {@link RoutingHealth}. */
  public RoutingHealth routingHealth() {
    MonitorFeed.Health h = router.monitorHealth();
    return new RoutingHealth(feed != null, h.usable(), h.reason());
  }

  /**
   * Closes every pool and the monitor subscription, and ends this thread's default session. Other
   * threads' default sessions hold no reference to the data source, so a closed data source can be
   * collected while pooled threads live on.
   */
  @Override
  public void close() {
    connections.close();
    threadDefault.remove();
    if (feed != null) {
      feed.close();
    }
    servers.close();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return servers.primaryPool().getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    servers.primaryPool().setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    throw new SQLFeatureNotSupportedException("set connect timeouts on CatchupDataSource.builder()");
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return servers.primaryPool().getLoginTimeout();
  }

  @Override
  public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("Catchup logs through SLF4J");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("CatchupDataSource does not wrap " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /** The longest one wait slice: a read waiting on a replica reacts to a change of primary this fast. */
  static final Duration LONGEST_WAIT_SLICE = Duration.ofSeconds(1);

  /**
   * How long a read waits before it looks at the roles again: {@link #LONGEST_WAIT_SLICE}, or the
   * topology check interval when shorter (a slice shorter than discovery's own period buys nothing
   * without a monitor, and one query a second per waiting read is cheap).
   */
  static Duration waitSlice(Duration checkInterval) {
    return checkInterval.compareTo(LONGEST_WAIT_SLICE) < 0 ? checkInterval : LONGEST_WAIT_SLICE;
  }
}
