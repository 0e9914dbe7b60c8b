package dev.catchup.sdk;

import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.wire.StatusEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured servers (one pool each) and their current {@link Roles}: which pool writes borrow
 * from and which servers are in the read rotation. The roles are one immutable value swapped
 * atomically ({@link #update}), the entry point of every source of topology: discovery by asking
 * the servers and the monitor's topology ({@link RoleSources}, whose calls this class forwards).
 * When the primary changes, the connections of the old and the new primary are retired
 * (soft-evicted: closed when returned, never reused), and listeners learn the new roles.
 * Thread-safe.
 */
final class Servers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Servers.class);

  /**
   * One configured server.
   *
   * @param handle its pool, back-off and what it is known to have applied
   * @param capture how writes on it are recorded, chosen once for this server
   * @param connector discovery's own connection to it
   */
  record Server(String name, HikariDataSource pool, Replica handle, WriteCaptureChoice capture,
      ServerProbe.Connector connector) {}

  /** A borrowed connection of the primary of {@code generation}. */
  record Lease(Connection connection, String server, long generation,
      WriteCaptureChoice capture) {}

  /** Asks one server its role (a {@link ServerProbe} in production). */
  @FunctionalInterface
  interface Asker {
    ServerAnswer ask(Server server);
  }

  /** The roles and the handles of their readers, swapped together. */
  record Current(Roles roles, List<Replica> readers) {}

  private final Map<String, Server> servers;
  private final ServerProbe probe;
  private final Duration primaryConnectTimeout;
  private final Duration replicaConnectTimeout;
  private final AtomicReference<Current> current;
  private final List<Consumer<Roles>> listeners = new CopyOnWriteArrayList<>();
  private final RoleSources sources;

  /**
   * @param servers every configured server, in configuration order
   * @param initial the configured roles
   */
  Servers(List<Server> servers, Roles initial, ServerProbe probe, boolean readsOnPrimary,
      Duration primaryConnectTimeout, Duration replicaConnectTimeout) {
    this(servers, initial, probe, s -> probe.ask(s.name(), s.connector()), readsOnPrimary,
        primaryConnectTimeout, replicaConnectTimeout);
  }

  /** @param asker how a server is asked its role (tests answer for servers they do not run) */
  Servers(List<Server> servers, Roles initial, ServerProbe probe, Asker asker,
      boolean readsOnPrimary, Duration primaryConnectTimeout, Duration replicaConnectTimeout) {
    Map<String, Server> byName = new LinkedHashMap<>();
    for (Server s : servers) {
      byName.put(s.name(), s);
    }
    this.servers = Collections.unmodifiableMap(byName);
    this.probe = probe;
    this.primaryConnectTimeout = primaryConnectTimeout;
    this.replicaConnectTimeout = replicaConnectTimeout;
    this.current = new AtomicReference<>(new Current(initial, handles(initial.readers())));
    this.sources = new RoleSources(this.servers, asker, readsOnPrimary, this::roles, this::update);
  }

  /** Starts re-discovering every {@code interval} on a daemon thread, until {@link #close()}. */
  void start(Duration interval) {
    sources.start(interval);
  }

  /**
   * Tells whether a monitor's topology is followed now; while it is, the periodic discovery only
   * retries a monitor topology not applied yet.
   */
  void followingMonitor(BooleanSupplier following) {
    sources.followingMonitor(following);
  }

  /**
   * The followed monitor's topology changed (a later generation, or the first one of a monitor).
   * Returns at once: the change is applied on the topology thread, since adopting a new primary
   * asks it for its fence, and the monitor's stream must not wait for a server.
   */
  void follow(StatusEvent.Topology topology) {
    sources.follow(topology);
  }

  /**
   * Applies the pending monitor topology, if any (see {@link MonitorRoles}). A new primary is
   * adopted only if it answers as a primary; otherwise the topology stays pending, retried by the
   * next topology or the next periodic tick.
   */
  void applyFollowed() {
    sources.applyFollowed();
  }

  /** The periodic check: discovery, unless a monitor's topology is followed. */
  void tick() {
    sources.tick();
  }

  /** Called with the new roles after each change of primary. */
  void onPrimaryChange(Consumer<Roles> listener) {
    listeners.add(listener);
  }

  Roles roles() {
    return current.get().roles();
  }

  /** The roles and their readers, read together: never of two different generations. */
  Current current() {
    return current.get();
  }

  /** The handles of the servers in the read rotation now, in configuration order. */
  List<Replica> readers() {
    return current.get().readers();
  }

  /** The handle of a configured server, or null. */
  Replica handle(String name) {
    Server s = servers.get(name);
    return s == null ? null : s.handle();
  }

  /** The current primary's pool. */
  HikariDataSource primaryPool() {
    return servers.get(roles().primary()).pool();
  }

  /** Every configured server's handle. */
  List<Replica> all() {
    return servers.values().stream().map(Server::handle).toList();
  }

  /** Configured names, primary first. */
  List<String> names() {
    return List.copyOf(servers.keySet());
  }

  /**
   * A connection of the current primary. When the borrow fails, the servers are asked who is
   * primary now, and a new primary lends the connection instead: nothing was sent on the failed
   * borrow, so nothing is repeated.
   *
   * @throws SQLException the borrow's failure, with what discovery found when it found no primary
   */
  Lease primary() throws SQLException {
    Roles r = roles();
    try {
      return lease(r);
    } catch (SQLException e) {
      RoleDiscovery.Outcome o = discover();
      Roles now = roles();
      if (!now.primary().equals(r.primary())) {
        return lease(now);
      }
      if (o.problem() != null) {
        throw new SQLException("cannot borrow a connection of the primary " + r.primary() + " ("
            + e.getMessage() + "), and " + o.problem(), "08001", e);
      }
      throw e;
    }
  }

  private Lease lease(Roles r) throws SQLException {
    Server s = servers.get(r.primary());
    Connection c = s.capture().borrow(s.pool()::getConnection);
    return new Lease(c, s.name(), r.generation(), s.capture());
  }

  /**
   * A statement on {@code server}'s connection failed with {@code e}: when it is the current
   * primary refusing a write as read-only, or its connection broke (SQLState class 08, a pooled
   * connection of a server that died), the servers are asked who is primary now, so that the next
   * write goes there. The failed statement itself is not repeated: its outcome may be unknown, and
   * is the caller's to handle.
   */
  void statementFailed(String server, SQLException e) {
    if (!server.equals(roles().primary())) {
      return;
    }
    if (probe.isReadOnlyRefusal(e)) {
      // DEBUG: under load every write of a switchover says so; the change itself is logged once.
      log.debug("the primary {} refused a write as read-only: asking the servers who is primary now",
          server);
      discover();
    } else if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
      log.debug("a connection of the primary {} broke ({}): asking the servers who is primary now",
          server, e.getMessage().lines().findFirst().orElse(""));
      discover();
    }
  }

  /**
   * Asks every server its role and applies the outcome; concurrent callers share one run that
   * started after they called.
   */
  RoleDiscovery.Outcome discover() {
    return sources.discover();
  }

  /**
   * Makes {@code next} the current roles unless a later generation is held already: the entry point
   * of every source of topology. Logs what changed in one line; on a change of primary retires
   * the connections of the old and the new primary and tells the listeners.
   */
  synchronized void update(Roles next) {
    update(next, "");
  }

  /** {@link #update(Roles)}, with where the roles came from for the log line. */
  synchronized void update(Roles next, String source) {
    Objects.requireNonNull(next, "next");
    Roles before = roles();
    if (next.generation() < before.generation()) {
      return; // older news than what is held
    }
    if (!servers.containsKey(next.primary()) || !servers.keySet().containsAll(next.readers())) {
      throw new IllegalArgumentException("roles name servers that are not configured: " + next
          + "; configured: " + servers.keySet());
    }
    String change = RoleDiscovery.change(before, next);
    if (change == null) {
      return;
    }
    current.set(new Current(next, handles(next.readers())));
    log.info("{}{}", change, source);
    if (!before.primary().equals(next.primary())) {
      retire(before.primary(), replicaConnectTimeout);
      retire(next.primary(), primaryConnectTimeout);
      for (Consumer<Roles> l : listeners) {
        l.accept(next);
      }
    }
  }

  /** Closes a server's connections as they come back (none is reused) and sets its borrow timeout. */
  private void retire(String name, Duration connectTimeout) {
    HikariDataSource pool = servers.get(name).pool();
    try {
      pool.getHikariConfigMXBean().setConnectionTimeout(connectTimeout.toMillis());
      var mx = pool.getHikariPoolMXBean();
      if (mx != null) {
        mx.softEvictConnections();
      }
    } catch (RuntimeException e) {
      log.debug("could not retire the connections of {}: {}", name, e.toString());
    }
  }

  private List<Replica> handles(List<String> names) {
    List<Replica> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(servers.get(n).handle());
    }
    return Collections.unmodifiableList(out);
  }

  /** Stops discovery and closes every pool. */
  @Override
  public void close() {
    sources.close();
    for (Server s : servers.values()) {
      s.pool().close();
    }
  }
}
