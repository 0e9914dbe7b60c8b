package dev.catchup.monitor.tracking;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import dev.catchup.gtid.Flavor;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails one server's binlog with {@link BinaryLogClient}: the callback only turns events into small
 * {@link FeedEvent}s on a queue. It starts from the server's current binary log position rather than
 * a GTID set, because the client cannot parse MySQL 8.4+ tagged GTID sets; it resumes from the last
 * position after a disconnect and, if that binlog was purged, from the current one (the tracker's
 * confirmation then fills in what was skipped). Reconnects back off exponentially with jitter.
 */
final class BinlogFeed implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(BinlogFeed.class);
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
  private final TrackerSettings settings;
  private final long clientServerId;
  private volatile BinaryLogClient client;
  private volatile boolean running = true;
  private String file;
  private long position;
  private int attempt;

  BinlogFeed(ServerEndpoint endpoint, Flavor flavor, BlockingQueue<FeedEvent> queue,
      TrackerSettings settings) {
    this.endpoint = endpoint;
    this.flavor = flavor;
    this.queue = queue;
    this.settings = settings;
    // A replication client needs a server id no real server uses: pick from a high, random range.
    this.clientServerId = 0x7E00_0000L + ThreadLocalRandom.current().nextInt(1 << 24);
  }

  @Override
  public void run() {
    while (running) {
      try {
        if (file == null) {
          currentPosition();
        }
        BinaryLogClient c = newClient();
        client = c;
        offer(new FeedEvent.Connection(FeedState.CONNECTING, null));
        c.connect(); // blocks until disconnected
        file = c.getBinlogFilename();
        position = c.getBinlogPosition();
        if (running) {
          offer(new FeedEvent.Connection(FeedState.DISCONNECTED, "binlog connection closed"));
        }
      } catch (IOException | SQLException | RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.contains("1236") || message.toLowerCase().contains("purged")
            || message.contains("Could not find first log")) {
          // Our position is gone from the server: start again from its current state.
          file = null;
        }
        offer(new FeedEvent.Connection(FeedState.DISCONNECTED, message));
      }
      if (running) {
        backOff();
      }
    }
  }

  private void backOff() {
    attempt++;
    long min = settings.reconnectBackoffMin().toMillis();
    long max = settings.reconnectBackoffMax().toMillis();
    long base = Math.min(max, min << Math.min(20, attempt - 1));
    long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    log.info("{}: binlog feed reconnecting in {} ms (attempt {})", endpoint.name(), jittered, attempt);
    try {
      Thread.sleep(jittered);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void currentPosition() throws SQLException {
    String sql = flavor == Flavor.MYSQL ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
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
    c.setHeartbeatInterval(Math.max(100, settings.reconcileInterval().toMillis()));
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
      public void onConnect(BinaryLogClient client) {
        attempt = 0;
        offer(new FeedEvent.Connection(FeedState.CONNECTED, null));
      }

      @Override
      public void onEventDeserializationFailure(BinaryLogClient client, Exception ex) {
        log.warn("{}: could not decode a binlog event: {}", endpoint.name(), ex.getMessage());
        offer(new FeedEvent.Activity(true));
      }
    });
    return c;
  }

  /** The binlog client's callback: translate and queue, nothing more. */
  private void onEvent(Event event) {
    EventType type = event.getHeader().getEventType();
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

  void stop() {
    running = false;
    BinaryLogClient c = client;
    if (c != null) {
      try {
        c.disconnect();
      } catch (IOException e) {
        log.debug("{}: disconnect failed: {}", endpoint.name(), e.getMessage());
      }
    }
  }
}
