package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.wire.StatusEvent;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The SDK's local view of every replica's confirmed GTID set, kept current by a monitor's event
 * stream ({@code GET /stream}, server-sent events). The view is usable only while fresh: the monitor
 * sends a keep-alive every second, so no bytes for {@code maxStaleness} mean the monitor is down,
 * hung (SIGSTOP) or cut off, and routing asks the servers directly. Confirmed sets only grow, so even
 * a slightly old view never makes a read stale: it can only under-report.
 *
 * <p><b>Several monitors: one followed, the others on standby.</b> One daemon thread follows one
 * monitor at a time, from the first event of its stream on. When its stream fails (connection refused or closed) or stays silent past
 * {@code maxStaleness} (a watchdog drops it: a partitioned or stopped monitor keeps the TCP
 * connection open and sends nothing, and no socket read would ever end), the next monitor is tried
 * at once, then the others in turn with the shared back-off, logged as every retry loop of
 * Catchup is (one warning per streak of failed tries, a count once a minute, one line once a
 * monitor is followed again for the bound). The switch takes the staleness bound plus one connect and the new monitor's snapshot; meanwhile routing asks the servers, slower but
 * never stale, and waits in the process for the lost monitor's push end when the view goes stale.
 * Following every monitor at once (hot standby) would make the switch take no time, but would
 * double each monitor's connections and events (a monitor fans out to every service instance),
 * double the SDK's parsing, and need rules to merge views whose versions are unrelated and whose
 * UP states may disagree; the bound is already the time a lost monitor costs, so switching it is.
 * A monitor that comes back is not preferred over the one followed: every monitor serves the same
 * view.
 *
 * <p><b>The topology.</b> Events of monitors that discover the topology carry it
 * ({@link StatusEvent.Topology}); the feed keeps the followed monitor's of the highest generation
 * and hands each newer one to its listener ({@link #onTopology}). Generations count per monitor
 * (two monitors' counters are unrelated, and a restarted monitor starts again), so a new stream
 * starts afresh: its first topology is handed on whatever its generation. Events without one (older
 * monitors) change nothing. The monitor's view of a primary is kept per server and only while the
 * monitor calls that server primary: a former primary it reports {@code unknown} (down) is nobody's
 * confirmed set any more, and a replica it reports {@code unknown} is no longer UP.
 */
final class MonitorFeed implements AutoCloseable {
  /** Whether routing may use the view, and if not why. */
  record Health(boolean usable, String reason) {}

  private final ReplicaViews views = new ReplicaViews();
  private final FeedHealth health;
  private final FeedWaiters waiters;
  private final FeedView view;
  private final FeedReconnects reader;

  MonitorFeed(List<URI> monitors, String bearerToken, Flavor flavor, Duration maxStaleness) {
    this(monitors, bearerToken, flavor, maxStaleness, Ticker.system());
  }

  /** @param ticker the router's ticker: {@link #await} deadlines are its readings */
  MonitorFeed(List<URI> monitors, String bearerToken, Flavor flavor, Duration maxStaleness,
      Ticker ticker) {
    this(monitors, bearerToken, flavor, maxStaleness, ticker, TickerClock.of(ticker));
  }

  /**
   * @param ticker the router's ticker: {@link #await} deadlines are its readings
   * @param clock the ticker as a clock ({@link TickerClock}): the time of failed reconnects, for
   *     their log's reminders and length
   */
  MonitorFeed(List<URI> monitors, String bearerToken, Flavor flavor, Duration maxStaleness,
      Ticker ticker, Clock clock) {
    MonitorRoster roster = new MonitorRoster(monitors);
    this.health = new FeedHealth(roster, ticker, maxStaleness);
    this.waiters = new FeedWaiters(views, health, ticker);
    this.view = new FeedView(views, waiters);
    FeedStream stream = new FeedStream(roster, bearerToken, flavor, maxStaleness, ticker, health,
        view, waiters);
    this.reader = new FeedReconnects(roster, stream, maxStaleness, clock);
  }

  void start() {
    reader.start();
  }

  /**
   * Usable when following a monitor heard from within {@code maxStaleness}. The reason names the
   * monitor followed and says of each other one why it is not (on standby, or its last try): text
   * built per call, for showing; routing asks {@link #usable()}.
   */
  Health health() {
    return health.health();
  }

  /**
   * Whether routing may use the view: as {@link #health()}{@code .usable()}, without building the
   * reason. Every routed read asks, so this reads two fields and the ticker; the reason is built
   * only where it is shown (the health endpoint, the log line of a switch).
   */
  boolean usable() {
    return health.usable();
  }

  /** {@link #usable()} at {@code nowNanos}: a routed read passes the ticker reading it has. */
  boolean usable(long nowNanos) {
    return health.usable(nowNanos);
  }

  /** True once the reader thread has ended (closed, or every monitor is misconfigured). */
  boolean stopped() {
    return reader.stopped();
  }

  /**
   * What the followed monitor reports {@code server} confirmed (committed) while it calls it the
   * primary; null when it does not call it primary (or said nothing of it yet).
   */
  GtidSet primaryConfirmed(String server) {
    return view.primaryConfirmed(server);
  }

  /**
   * Called on the reader thread with each newer topology of the followed monitor; must return
   * quickly (the stream waits). Set before {@link #start()}.
   */
  void onTopology(Consumer<StatusEvent.Topology> listener) {
    view.onTopology(listener);
  }

  /** The followed monitor's topology of the highest generation, or null. */
  StatusEvent.Topology topology() {
    return view.topology();
  }

  /** Whether a fresh monitor's topology is followed (the servers need not be asked periodically). */
  boolean followsTopology() {
    return view.topology() != null && usable();
  }

  /** Whether the monitor reports {@code replica} UP; null when it has said nothing of it. */
  Boolean reportsUp(String replica) {
    ReplicaViews.ReplicaView v = views.get(replica);
    return v == null ? null : v.up();
  }

  ReplicaViews.ReplicaView view(String replica) {
    return views.get(replica);
  }

  /**
   * Blocks (no database connection involved) until some replica in {@code names} is UP with
   * {@code required} proven by its view, as routing proves it ({@link Coverage#covers}, here under
   * the configured primary: no fence), or the deadline passes, or the feed becomes unusable.
   *
   * @return the replica's name, or null
   */
  String await(List<String> names, GtidSet required, long deadlineNanos) throws InterruptedException {
    return await(names, required, deadlineNanos, () -> null, () -> false);
  }

  /**
   * As {@link #await(List, GtidSet, long)}, proving the token under {@code fence} (read at each
   * check: the current roles' fence). Also ends with null when a view passes the token only by
   * sequence number and cannot prove it (MariaDB, a GTID of another server: only the replica's own
   * state can, so routing asks the servers), and once {@code abandoned} holds when the waiter is
   * woken ({@link #wakeWaiters()}): a change of primary, after which the read must be decided
   * again (its token may name writes lost with the old primary).
   */
  String await(List<String> names, GtidSet required, long deadlineNanos, Supplier<Fence> fence,
      BooleanSupplier abandoned) throws InterruptedException {
    return waiters.await(names, required, deadlineNanos, fence, abandoned);
  }

  /** Wakes every waiter to check again (a change of primary). */
  void wakeWaiters() {
    waiters.wakeAll();
  }

  @Override
  public void close() {
    reader.close();
  }
}
