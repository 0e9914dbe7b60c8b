package dev.catchup.monitor.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import dev.catchup.background.RunLoop;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.retry.Backoff;
import dev.catchup.retry.RetryStreak;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails one server's binlog with {@link BinaryLogClient}: the callback only turns events into small
 * {@link FeedEvent}s on a queue. It starts from the server's current binary log position rather than
 * a GTID set, because the client cannot parse MySQL 8.4+ tagged GTID sets; it resumes from the last
 * position after a disconnect and, if that binlog was purged (whether {@code connect()} fails or the
 * server ends the stream with error 1236 after accepting it), from the current one (the tracker's
 * confirmation then fills in what was skipped). Reconnects back off exponentially with jitter; the
 * back-off starts over only once a stream delivers events. A server that stays down is logged as a
 * {@link RetryStreak} says: one warning, a count once a minute, one line when events flow again.
 */
public final class BinlogFeed extends RunLoop {
  private static final Logger log = LoggerFactory.getLogger(BinlogFeed.class);
  /** ER_SOURCE_FATAL_ERROR_READING_BINLOG (ER_MASTER_FATAL_ERROR_READING_BINLOG on MariaDB). */
  private static final int ER_SOURCE_FATAL_ERROR_READING_BINLOG = 1236;
  private static final EventType[] IGNORED = {
      EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS, EventType.PRE_GA_WRITE_ROWS,
      EventType.UPDATE_ROWS, EventType.EXT_UPDATE_ROWS, EventType.PRE_GA_UPDATE_ROWS,
      EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS, EventType.PRE_GA_DELETE_ROWS,
      EventType.TABLE_MAP, EventType.ROWS_QUERY, EventType.QUERY, EventType.TRANSACTION_PAYLOAD,
      EventType.ANNOTATE_ROWS, EventType.PREVIOUS_GTIDS, EventType.MARIADB_GTID_LIST,
      EventType.TRANSACTION_CONTEXT, EventType.VIEW_CHANGE, EventType.PARTIAL_UPDATE_ROWS_EVENT,
  };

  private final ServerEndpoint endpoint;
  private final Flavor flavor;
  private final BlockingQueue<FeedEvent> queue;
  private final Duration serverHeartbeat;
  private final long clientServerId;
  private final Consumer<Step> seam;
  private final RetryStreak reconnects; // feed thread only
  /** Guards {@link #client} against the stop request, so stopping and connecting agree on it. */
  private final Object lock = new Object();
  private volatile BinaryLogClient client;
  // Owned by the feed thread (the binlog client calls back on the thread that called connect()).
  private String file;
  private long position;
  private Exception connectionFailure;
  private boolean delivered;

  /** Points in {@link #work()} a test can hook, to stop the feed exactly there. */
  enum Step {
    /** The start position is known (read from the server, or kept from the last connection). */
    POSITION_READ,
    /** A client exists for the next connection; {@link #requestStop()} has not seen it yet. */
    CLIENT_CREATED,
    /** {@link #requestStop()} can see the client now, but it has not opened its socket yet. */
    CLIENT_PUBLISHED
  }

  /**
   * A feed of {@code endpoint}'s binlog into {@code queue}; {@link #start()} starts its thread.
   *
   * @param serverHeartbeat how often the server is asked to send a heartbeat event when idle
   * @param backoff the wait between reconnects
   * @param clock the time of failed reconnects, for the log's reminders
   */
  public BinlogFeed(ServerEndpoint endpoint, Flavor flavor, BlockingQueue<FeedEvent> queue,
      Duration serverHeartbeat, Backoff backoff, Clock clock) {
    this(endpoint, flavor, queue, serverHeartbeat, backoff, clock, step -> { });
  }

  /** With a hook called at each {@link Step} of a connection attempt, for tests. */
  BinlogFeed(ServerEndpoint endpoint, Flavor flavor, BlockingQueue<FeedEvent> queue,
      Duration serverHeartbeat, Backoff backoff, Clock clock, Consumer<Step> seam) {
    // A round never throws (every failure is a reconnect); the failure back-off is only a guard.
    super(endpoint.name(), "binlog-" + endpoint.name(), "binlog feed", backoff, clock);
    this.endpoint = endpoint;
    this.flavor = flavor;
    this.queue = queue;
    this.serverHeartbeat = serverHeartbeat;
    this.seam = seam;
    this.reconnects = new RetryStreak(endpoint.name() + ": binlog feed", clock, backoff,
        "reconnecting in", log);
    // A replication client needs a server id no real server uses: pick from a high, random range.
    this.clientServerId = 0x7E00_0000L + ThreadLocalRandom.current().nextInt(1 << 24);
  }

  @Override
  public String name() {
    return "binlog feed of " + endpoint.name();
  }

  /** One connection: follows the stream until it ends, then backs off before the next. */
  @Override
  protected void work() {
    Exception failure;
    try {
      failure = connectOnce();
    } catch (IOException | SQLException | RuntimeException e) {
      failure = e;
    }
    if (!isRunning()) {
      return;
    }
    String message = failure == null ? "binlog connection closed" : describe(failure);
    if (failure != null && positionGone(failure)) {
      // Seen both when connect() throws and when the server accepts the dump request and then
      // ends the stream with error 1236: either way, retrying the same position can never work.
      log.warn("{}: binlog position {}:{} is no longer on the server ({}); resuming from its "
          + "current position, the next confirmation reconciles what was skipped", endpoint.name(),
          file, position, message);
      file = null;
    }
    offer(new FeedEvent.Connection(FeedState.DISCONNECTED, message));
    pause(failure == null ? reconnects.failed(message, null) : reconnects.failed(failure, null));
  }

  @Override
  protected void afterStop() {
    log.debug("{}: binlog feed stopped", endpoint.name());
  }

  /**
   * Connects from the current position and follows the stream until it ends.
   *
   * @return what ended the stream after it connected, or null when it was closed without an error
   *     (or the feed was stopped before connecting)
   */
  private Exception connectOnce() throws IOException, SQLException {
    if (file == null) {
      currentPosition();
    }
    seam.accept(Step.POSITION_READ);
    BinaryLogClient c = newClient();
    seam.accept(Step.CLIENT_CREATED);
    synchronized (lock) {
      if (!isRunning()) {
        return null; // the stop request came first and saw no client: this one must never connect
      }
      client = c;
    }
    seam.accept(Step.CLIENT_PUBLISHED);
    connectionFailure = null;
    delivered = false;
    offer(new FeedEvent.Connection(FeedState.CONNECTING, null));
    c.connect(); // blocks until disconnected
    if (c.getBinlogFilename() != null) {
      file = c.getBinlogFilename();
      position = c.getBinlogPosition();
    }
    return connectionFailure;
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Whether {@code e} says the position asked for is not (or no longer) in the server's binlog. */
  static boolean positionGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServerException se && se.getErrorCode() == ER_SOURCE_FATAL_ERROR_READING_BINLOG) {
        return true;
      }
      String m = t.getMessage();
      if (m != null && (m.contains("1236") || m.toLowerCase(Locale.ROOT).contains("purged")
          || m.contains("Could not find first log"))) {
        return true;
      }
    }
    return false;
  }

  private void currentPosition() throws SQLException {
    String sql = Dialect.of(flavor).binlogStatusQuery();
    try (Connection c = endpoint.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException(endpoint.name() + " has binary logging disabled (" + sql
            + " returned nothing); the monitor needs log_bin and, on replicas, log_replica_updates");
      }
      file = rs.getString(1);
      position = rs.getLong(2);
    }
  }

  private BinaryLogClient newClient() {
    BinaryLogClient c = new BinaryLogClient(endpoint.host(), endpoint.port(), endpoint.user(),
        endpoint.password());
    endpoint.tls().configure(c, endpoint.host(), endpoint.port());
    c.setServerId(clientServerId);
    c.setKeepAlive(false); // reconnecting is ours, with back-off and a fresh position
    c.setHeartbeatInterval(Math.max(100, serverHeartbeat.toMillis()));
    c.setConnectTimeout(3000);
    c.setBinlogFilename(file);
    c.setBinlogPosition(position);
    if (flavor == Flavor.MARIADB) {
      c.setMariaDbSlaveCapability(4); // announce GTID support, or MariaDB hides its GTID events
    }
    EventDeserializer d = new EventDeserializer();
    for (EventType t : IGNORED) {
      d.setEventDataDeserializer(t, new NullEventDataDeserializer());
    }
    c.setEventDeserializer(d);
    c.registerEventListener(this::onEvent);
    c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
      @Override
      public void onConnect(BinaryLogClient connected) {
        if (!isRunning()) {
          // The stop request ran after this client was published but before its socket existed, so its
          // disconnect() found nothing to close: close it here, or connect() would block forever.
          disconnect(connected);
          return;
        }
        offer(new FeedEvent.Connection(FeedState.CONNECTED, null));
      }

      @Override
      public void onCommunicationFailure(BinaryLogClient failed, Exception ex) {
        // The server ended the stream with an error (e.g. 1236, position purged): connect() then
        // returns normally, so this is the only place the reason shows.
        connectionFailure = ex;
      }

      @Override
      public void onEventDeserializationFailure(BinaryLogClient client, Exception ex) {
        log.warn("{}: could not decode a binlog event: {}", endpoint.name(), ex.getMessage());
        delivering();
        offer(new FeedEvent.Activity(true));
      }
    });
    return c;
  }

  /**
   * The stream delivers events: the reconnects succeeded. Only such a stream counts as a success,
   * so that a server that accepts the connection and drops it at once keeps backing off longer.
   */
  private void delivering() {
    if (!delivered) {
      delivered = true;
      reconnects.recovered();
    }
  }

  /** The binlog client's callback: translate and queue, nothing more. */
  private void onEvent(Event event) {
    EventType type = event.getHeader().getEventType();
    if (type != EventType.ROTATE && type != EventType.FORMAT_DESCRIPTION) {
      delivering(); // the server sends those two even for a position it then refuses
    }
    EventData data = event.getData();
    switch (type) {
      case GTID -> {
        if (data instanceof GtidEventData g && g.getMySqlGtid() != null) {
          offer(new FeedEvent.MysqlGtid(g.getMySqlGtid().getServerId(),
              g.getMySqlGtid().getTransactionId(), g.getOriginalCommitTimestamp(),
              g.getImmediateCommitTimestamp()));
        } else {
          offer(new FeedEvent.Activity(true));
        }
      }
      case MARIADB_GTID -> {
        if (data instanceof MariadbGtidEventData g) {
          offer(new FeedEvent.MariaDbGtid(g.getDomainId(), g.getServerId(), g.getSequence(),
              event.getHeader().getTimestamp()));
        }
      }
      case HEARTBEAT -> offer(new FeedEvent.Heartbeat());
      case XID -> offer(new FeedEvent.Activity(false));
      case UNKNOWN -> offer(new FeedEvent.Activity(true)); // e.g. a tagged GTID the client cannot read
      default -> {
        // Rows, table maps, queries: the GTID and XID events already say all we need.
      }
    }
  }

  private void offer(FeedEvent e) {
    if (!queue.offer(e)) {
      // Full: the tracker is behind. Dropping is safe, confirmation reads the server's own set.
      log.debug("{}: feed queue full, dropped {}", endpoint.name(), e);
    }
  }

  /** The client it runs (or is about to run) is disconnected, and no new one connects. */
  @Override
  protected void onStopRequested() {
    BinaryLogClient c;
    synchronized (lock) {
      c = client; // isRunning() is false already: a client published after this never connects
    }
    if (c != null) {
      disconnect(c);
    }
  }

  private void disconnect(BinaryLogClient c) {
    try {
      c.disconnect();
    } catch (IOException e) {
      log.debug("{}: disconnect failed: {}", endpoint.name(), e.getMessage());
    }
  }
}
