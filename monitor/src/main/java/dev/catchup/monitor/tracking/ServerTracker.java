package dev.catchup.monitor.tracking;

import dev.catchup.background.RunLoop;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.BinlogFeed;
import dev.catchup.monitor.binlog.FeedEvent;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.topology.Role;
import dev.catchup.retry.Backoff;
import dev.catchup.retry.RetryStreak;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Tracks one server. Its {@link BinlogFeed} queues binlog events; this tracker's own thread drains
 * them in bursts, and after each burst (and every reconcile interval) reads the server's executed
 * set. Only that read is published as {@link ServerStatus#confirmed()}: a GTID in the binlog stream
 * can precede the commit becoming visible by a fraction of a millisecond, so the tracker re-reads,
 * with a short back-off, until the server's set covers what the stream showed. The same read
 * reconciles the stream's view (drift: transactions the stream missed, such as MySQL 8.4 tagged
 * ones the binlog client cannot decode, or those skipped over a reconnect) and, on replicas, comes
 * with the replication threads' state and the heartbeat lag ({@link ServerReads}). Both threads are
 * {@link RunLoop}s: the tracker stops its feed with itself.
 */
final class ServerTracker extends RunLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerTracker.class);
  private static final int QUEUE_CAPACITY = 65_536;
  private static final long FIRST_RETRY_NANOS = 200_000;
  private static final long MAX_RETRY_NANOS = 10_000_000;
  /** How long to keep re-reading for a transaction the stream saw but the server does not show. */
  private static final Duration VISIBILITY_BOUND = Duration.ofSeconds(1);
  /** After an undecodable event, how long to wait for the executed set to move. */
  private static final Duration UNDECODED_BOUND = Duration.ofMillis(50);

  private final ServerEndpoint endpoint;
  private final GtidSet empty;
  /** The server's role in the registry's topology, as of the last confirmation; tracker thread only. */
  private Role role;
  private boolean roleChanged;
  private final Registry registry;
  private final TrackerSettings settings;
  private final BlockingQueue<FeedEvent> queue;
  private final BinlogFeed feed;
  private final ServerReads reads;
  private final ServerQueries sql;
  /** The ticker of the tracker's pacing: nanoseconds as {@link System#nanoTime()} reads them. */
  private final LongSupplier nanoTime;
  private final Backoff backoff;

  // Owned by the tracker thread.
  private GtidSet confirmed;
  private GtidSet seen;
  private Instant confirmedAt;
  private Instant lastEventAt;
  private FeedState feedState = FeedState.CONNECTING;
  private Duration lastApplyDelay;
  private Instant lastOriginalCommit;
  private long driftCorrections;
  private long reconnects;
  private boolean everConnected;
  // Why things are not known, each cleared by its own success; lastError shows the first non-null.
  private String feedError;
  private String sqlError;
  private final RetryStreak sqlRetry; // tracker thread only
  private long nextSqlAttemptNanos;
  private long version;
  private long lastThreadsReadNanos;
  private long lastConfirmNanos;
  private Duration heartbeatLag;
  private final TransactionRate rate = new TransactionRate();
  private final List<FeedEvent> batch = new ArrayList<>(); // tracker thread only
  // Set before start() for a server not reachable when the monitor started (grants.GrantCheck).
  private PendingGrants pendingGrants;

  ServerTracker(ServerEndpoint endpoint, Role role, Flavor flavor, Registry registry,
      TrackerSettings settings) {
    this(endpoint, role, flavor, registry, settings, new ArrayBlockingQueue<>(QUEUE_CAPACITY), null,
        System::nanoTime);
  }

  /**
   * With the queue its feed fills, the queries it sends and the ticker of its pacing (the reconcile
   * interval, the transaction rate, the back-off between failed reads and the bound on re-reads):
   * {@code sql} null for {@link JdbcServerQueries} over {@code endpoint}; tests give a fake, fill
   * the queue themselves and move the ticker. A ticker that never moves never ends the re-reads for
   * a transaction the server does not show, so a test's fake server shows what its stream did.
   */
  ServerTracker(ServerEndpoint endpoint, Role role, Flavor flavor, Registry registry,
      TrackerSettings settings, BlockingQueue<FeedEvent> queue, ServerQueries sql,
      LongSupplier nanoTime) {
    this(endpoint, role, flavor, registry, settings, queue, sql, nanoTime,
        new Backoff(settings.reconnectBackoffMin(), settings.reconnectBackoffMax()));
  }

  /** The one back-off serves the failed rounds, the feed's reconnects and the server's reads. */
  private ServerTracker(ServerEndpoint endpoint, Role role, Flavor flavor, Registry registry,
      TrackerSettings settings, BlockingQueue<FeedEvent> queue, ServerQueries sql,
      LongSupplier nanoTime, Backoff backoff) {
    super(endpoint.name(), "tracker-" + endpoint.name(), "tracker", backoff, registry.clock());
    this.endpoint = endpoint;
    this.role = role;
    this.registry = registry;
    this.settings = settings;
    this.queue = queue;
    this.nanoTime = nanoTime;
    this.backoff = backoff;
    // Due at the first confirmation, whatever the ticker's origin (System.nanoTime()'s is any).
    this.lastThreadsReadNanos = nanoTime.getAsLong() - settings.reconcileInterval().toNanos();
    this.empty = GtidSet.empty(flavor);
    this.confirmed = empty;
    this.seen = confirmed;
    this.feed = new BinlogFeed(endpoint, flavor, queue, settings.reconcileInterval(), backoff,
        registry.clock());
    this.sqlRetry = new RetryStreak(endpoint.name() + ": reading the server", registry.clock(),
        backoff, log);
    this.reads = new ServerReads(endpoint.name(), flavor);
    this.sql = sql != null ? sql : new JdbcServerQueries(endpoint, reads);
  }

  /**
   * Checks the user's grants once the server answers the tracker (see {@link PendingGrants}): it
   * could not be checked at start. Called before {@link #start()}.
   */
  void checkGrantsOnceAnswered(PendingGrants.Check check) {
    pendingGrants = new PendingGrants(endpoint, check, registry.clock(), backoff, nanoTime, log);
  }

  /** Starts the tracker's thread, then its binlog feed's. */
  @Override
  public void start() {
    super.start();
    feed.start();
  }

  @Override
  protected void beforeStart() {
    log.info("tracking {} {}", role.name().toLowerCase(), endpoint);
  }

  /**
   * One burst: drains what the feed queued (waiting up to the reconcile interval for the first
   * event), confirms when the stream or the clock asks for it, and publishes.
   */
  @Override
  protected void work() throws InterruptedException {
    FeedEvent first = queue.poll(settings.reconcileInterval().toNanos(), TimeUnit.NANOSECONDS);
    batch.clear();
    if (first != null) {
      batch.add(first);
      queue.drainTo(batch);
    }
    boolean confirm = first == null || confirmedAt == null;
    boolean undecoded = false;
    for (FeedEvent e : batch) {
      if (e instanceof FeedEvent.MysqlGtid g) {
        onMysqlGtid(g);
        confirm = true;
      } else if (e instanceof FeedEvent.MariaDbGtid g) {
        onMariaDbGtid(g);
        confirm = true;
      } else if (e instanceof FeedEvent.Activity a) {
        confirm = true;
        undecoded |= a.undecodedTransaction();
        lastEventAt = Instant.now(registry.clock());
      } else if (e instanceof FeedEvent.Heartbeat) {
        lastEventAt = Instant.now(registry.clock());
      } else if (e instanceof FeedEvent.Connection c) {
        onConnection(c);
      }
    }
    long interval = settings.reconcileInterval().toNanos();
    if (confirm || nanoTime.getAsLong() - lastConfirmNanos > interval) {
      confirm(undecoded);
    }
    publish();
  }

  @Override
  protected void afterStop() {
    sql.close();
  }

  private void onMysqlGtid(FeedEvent.MysqlGtid g) {
    lastEventAt = Instant.now(registry.clock());
    seen = seen.union(MysqlGtidSet.of(g.uuid(), g.gno()));
    rate.record(nanoTime.getAsLong());
    if (g.originalCommitMicros() > 0) {
      lastOriginalCommit = Instant.ofEpochSecond(0, g.originalCommitMicros() * 1000);
      if (g.immediateCommitMicros() > 0) {
        lastApplyDelay = Duration.ofNanos((g.immediateCommitMicros() - g.originalCommitMicros()) * 1000);
      }
      if (role == Role.PRIMARY) {
        registry.commitTimes().addMysql(g.uuid(), g.gno(), g.originalCommitMicros());
      }
    }
  }

  private void onMariaDbGtid(FeedEvent.MariaDbGtid g) {
    lastEventAt = Instant.now(registry.clock());
    seen = seen.union(MariaDbGtidSet.of(g.domain(), g.server(), g.sequence()));
    rate.record(nanoTime.getAsLong());
    lastOriginalCommit = Instant.ofEpochMilli(g.headerMillis());
    if (role == Role.PRIMARY) {
      registry.commitTimes().addMariaDb(g.domain(), g.sequence(), g.headerMillis() * 1000);
    }
  }

  private void onConnection(FeedEvent.Connection c) {
    // The feed logs its own failures and recoveries, once per streak: here the first connection
    // only, and the rest at DEBUG, or a server that accepts and drops would log a line per attempt.
    if (c.state() == FeedState.CONNECTED && feedState != FeedState.CONNECTED) {
      log.atLevel(everConnected ? Level.DEBUG : Level.INFO).log("{}: binlog feed connected",
          endpoint.name());
      everConnected = true;
    } else if (c.state() == FeedState.DISCONNECTED && feedState == FeedState.CONNECTED) {
      reconnects++;
      log.debug("{}: binlog feed lost: {}", endpoint.name(), c.error());
    }
    if (c.state() == FeedState.CONNECTED) {
      feedError = null;
    } else if (c.error() != null) {
      feedError = c.error();
    }
    feedState = c.state();
  }

  /**
   * Reads the executed set until it covers what the stream showed (bounded), then adopts it as the
   * confirmed set and folds it into the seen set, counting drift.
   *
   * <p>This is the only confirmation read and it runs on the tracker thread, so one is in flight at
   * a time; events that arrive meanwhile wait in the queue and the next burst confirms them all with
   * one read. Its cost per transaction therefore falls as the write rate rises (a read per
   * transaction at a low rate, one per many at a high one; results/monitor-bench.md, section 4).
   */
  private void confirm(boolean undecoded) {
    followRole();
    if (sqlRetry.attempts() > 0 && nanoTime.getAsLong() - nextSqlAttemptNanos < 0) {
      return; // backing off after a failed connection
    }
    boolean answered = true;
    try {
      long start = nanoTime.getAsLong();
      long retry = FIRST_RETRY_NANOS;
      GtidSet before = confirmed;
      Instant readAt;
      GtidSet executed;
      while (true) {
        readAt = Instant.now(registry.clock());
        executed = sql.executed(role);
        long elapsed = nanoTime.getAsLong() - start;
        boolean coversStream = executed.contains(seen);
        boolean undecodedShown = !undecoded || !executed.equals(before)
            || elapsed > UNDECODED_BOUND.toNanos();
        if ((coversStream && undecodedShown) || elapsed > VISIBILITY_BOUND.toNanos() || !isRunning()) {
          break;
        }
        LockSupport.parkNanos(retry);
        retry = Math.min(MAX_RETRY_NANOS, retry * 2);
      }
      if (confirmedAt != null && !roleChanged && !seen.contains(executed)) {
        driftCorrections++;
        log.debug("{}: executed set has transactions the stream did not show: {}", endpoint.name(),
            executed.subtract(seen));
      }
      confirmed = executed;
      confirmedAt = readAt;
      lastConfirmNanos = nanoTime.getAsLong();
      seen = seen.union(executed);
      roleChanged = false;
      sqlRecovered();
      // Neither read below may stop the other: a missing grant on one must not hide the other.
      heartbeatLag = role == Role.REPLICA && settings.heartbeatInterval() != null
          ? sql.heartbeatLag() : null;
      // Every server, every reconcile interval (half of it, so that an idle tracker, which wakes
      // once per interval, reads each time): its place in the topology. A promotion is seen within
      // two intervals: one for the servers' reads, one for the slower of them.
      if (nanoTime.getAsLong() - lastThreadsReadNanos > settings.reconcileInterval().toNanos() / 2) {
        sql.threads(role);
        lastThreadsReadNanos = nanoTime.getAsLong();
      }
    } catch (SQLException e) {
      sqlFailed(e);
      // 08: the connection failed, nobody answered; anything else is the server's own answer.
      answered = e.getSQLState() == null || !e.getSQLState().startsWith("08");
    }
    if (answered && pendingGrants != null && isRunning()) {
      pendingGrants.serverAnswered(role);
    }
  }

  /**
   * The server could not be read: what was read of its replication threads is no longer current,
   * so it is dropped; the connection is retried with back-off. Logged as a {@link RetryStreak}
   * says: the first failure of a streak is a warning (an unreachable server is an expected
   * condition: no stack trace), later ones a count once a minute.
   */
  private void sqlFailed(SQLException e) {
    sql.close();
    sqlError = e.getMessage();
    reads.unreachable(e.getMessage());
    Duration wait = sqlRetry.failed(e, "what it has applied is unknown");
    nextSqlAttemptNanos = nanoTime.getAsLong() + wait.toNanos();
  }

  /**
   * Takes the server's role from the registry's topology. A new role changes what is read (on
   * MariaDB a replica's applied set, a primary's binlog set), so what the stream showed under the
   * old one is not required of the next read.
   */
  private void followRole() {
    Role now = registry.topology().roleOf(endpoint.name());
    if (now != role) {
      log.info("{}: tracked as {} (was {})", endpoint.name(), now.name().toLowerCase(),
          role.name().toLowerCase());
      role = now;
      roleChanged = true;
      seen = empty;
    }
  }

  private void sqlRecovered() {
    sqlRetry.recovered();
    sqlError = null;
  }

  private void publish() {
    String lastError = firstNonNull(sqlError, feedError, lastFailure(), reads.threadsError(),
        reads.heartbeatError());
    registry.publish(new ServerStatus(endpoint.name(), role,
        new ServerStatus.Confirmation(confirmed, seen, confirmedAt),
        new ServerStatus.Binlog(feedState, lastEventAt, rate.perSecond(nanoTime.getAsLong()),
            lastOriginalCommit, lastApplyDelay, reconnects, driftCorrections, rate.total()),
        new ServerStatus.Replication(reads.threads(),
            reads.threads() == null ? reads.threadsError() : null, heartbeatLag),
        grantProblem() != null ? grantProblem() : lastError, ++version, reads.facts()));
  }

  private String grantProblem() {
    return pendingGrants == null ? null : pendingGrants.problem();
  }

  private static String firstNonNull(String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  @Override
  public String name() {
    return "tracker of " + endpoint.name();
  }

  /** Stops the binlog feed too (its connection is closed); does not wait. */
  @Override
  protected void onStopRequested() {
    feed.requestStop();
  }

  @Override
  public boolean awaitStop(Duration within) throws InterruptedException {
    // Real time, not the ticker: this bounds real waits for the threads.
    long deadline = System.nanoTime() + within.toNanos();
    boolean tracker = super.awaitStop(within);
    return feed.awaitStop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))) && tracker;
  }

  @Override
  public void close() {
    stopWithin(Duration.ofSeconds(10));
  }
}
