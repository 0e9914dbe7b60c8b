package dev.catchup.sdk;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.ServerSessionStateController;
import com.mysql.cj.protocol.ServerSessionStateController.ServerSessionStateChanges;
import com.mysql.cj.protocol.ServerSessionStateController.SessionStateChange;
import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidParseException;
import dev.catchup.gtid.GtidSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each write's GTID from the reply that committed it, with no extra round trip: the
 * server's session state tracking ({@code session_track_gtids=OWN_GTID} on MySQL,
 * {@code last_gtid} as a tracked system variable on MariaDB) puts it in the OK packet, and
 * Connector/J hands it to a listener we register once per physical connection.
 *
 * <p>A listener is notified for every reply, so batches and multi-statement queries lose nothing
 * (polling the driver after a statement would see only the last reply). Connector/J holds listeners
 * by weak reference and breaks if one is collected, so {@link #LISTENERS} keeps each one strongly
 * reachable for as long as its physical connection lives.
 */
final class GtidCapture implements WriteCapture {
  private static final Logger log = LoggerFactory.getLogger(GtidCapture.class);

  /** Physical connection to its listener; weak keys, so evicted connections take theirs along. */
  private static final Map<JdbcConnection, Listener> LISTENERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Flavor flavor;
  private final Dialect dialect;
  private final AtomicBoolean warnedMalformed = new AtomicBoolean();

  GtidCapture(Flavor flavor) {
    this.flavor = flavor;
    this.dialect = Dialect.of(flavor);
  }

  /** Connector/J properties that make the server report GTIDs in its replies. */
  static Map<String, String> driverProperties(Flavor flavor) {
    return Dialect.of(flavor).trackingDriverProperties();
  }

  /**
   * Routes GTIDs reported on {@code physical} to {@code session} until {@link Binding#end()}.
   * Registers the listener on first use of the physical connection.
   */
  @Override
  public Binding start(Connection physical, Session session) throws SQLException {
    JdbcConnection jdbc = physical.unwrap(JdbcConnection.class);
    Listener listener;
    synchronized (LISTENERS) {
      listener = LISTENERS.get(jdbc);
      if (listener == null) {
        listener = new Listener(this);
        ServerSessionStateController controller = jdbc.getServerSessionStateController();
        controller.addSessionStateChangesListener(listener);
        LISTENERS.put(jdbc, listener);
      }
    }
    listener.session = session;
    return new Binding(listener);
  }

  /** Ends a borrow: later replies on the physical connection are not this session's writes. */
  record Binding(Listener listener) implements Recording {
    @Override
    public void afterCommit() {
      // the commit's reply carried its GTID to the listener already
    }

    @Override
    public void end() {
      listener.session = null;
    }
  }

  /** One per physical connection; never references it, so the weak key can be collected. */
  static final class Listener implements ServerSessionStateController.SessionStateChangesListener {
    private final GtidCapture capture;
    // Written by the borrowing thread, read by the same thread inside the driver's reply handling.
    volatile Session session;

    Listener(GtidCapture capture) {
      this.capture = capture;
    }

    @Override
    public void handleSessionStateChanges(ServerSessionStateChanges changes) {
      Session s = session;
      if (s == null || changes == null) {
        return;
      }
      for (SessionStateChange change : changes.getSessionStateChangesList()) {
        String gtid = capture.gtidOf(change);
        if (gtid != null) {
          capture.record(s, gtid);
        }
      }
    }
  }

  /** The GTID text a change carries, or null when it carries none. */
  private String gtidOf(SessionStateChange change) {
    return dialect.gtidOf(change.getType(), change.getValues());
  }

  private void record(Session session, String text) {
    if (text.isBlank()) {
      return;
    }
    try {
      session.recordWrite(GtidSet.parse(flavor, text));
    } catch (GtidParseException e) {
      // Never drop a write silently: the next read syncs with the primary's executed set instead.
      session.markUnknownWrite();
      if (warnedMalformed.compareAndSet(false, true)) {
        log.warn("server reported a GTID that does not parse ({}); reads after such writes sync "
            + "with the primary instead", e.getMessage());
      }
    }
  }
}
