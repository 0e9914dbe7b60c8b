package dev.catchup.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is who in a topology: every server ever started, by name; the current primary; the servers
 * that replicate now, and the delay each applies with. Bookkeeping only: {@link Topology} changes
 * the servers through {@link ServerControl} and then records the outcome here, so that the roles
 * the tests see follow what the failover operations did while the names stay.
 */
final class Roles {
  /** Guarded by {@code this}, as are the two fields below. */
  private final Map<String, Server> servers = new LinkedHashMap<>();
  private Server primary;
  private List<Server> replicas;
  /** Read without the lock by {@link #delay}, which a test may call while roles change. */
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();

  /** The roles {@code topology.sh up} describes in {@code topology.properties}. */
  Roles(Properties p) {
    primary = server(p, "primary");
    servers.put(primary.name(), primary);
    int n = Integer.parseInt(p.getProperty("replicas"));
    List<Server> rs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Server r = server(p, "replica" + i);
      servers.put(r.name(), r);
      rs.add(r);
      delays.put(r.name(), Duration.ofSeconds(Long.parseLong(p.getProperty(r.name() + ".delay", "0"))));
    }
    replicas = List.copyOf(rs);
  }

  private static Server server(Properties p, String name) {
    return new Server(name, p.getProperty(name + ".host", "127.0.0.1"),
        Integer.parseInt(p.getProperty(name + ".port")),
        Long.parseLong(p.getProperty(name + ".serverId", "0")),
        p.getProperty(name + ".uuid", ""));
  }

  synchronized Server primary() {
    return primary;
  }

  synchronized List<Server> replicas() {
    return replicas;
  }

  /** The primary, then the replicas: the servers that run and replicate now. */
  synchronized List<Server> running() {
    List<Server> all = new ArrayList<>();
    all.add(primary);
    all.addAll(replicas);
    return List.copyOf(all);
  }

  /** The server of that name, whatever its role now; null when there is none. */
  synchronized Server named(String name) {
    return servers.get(name);
  }

  synchronized boolean isPrimary(Server server) {
    return primary.name().equals(server.name());
  }

  /** {@code server} is the primary now and replicates no more. */
  synchronized void promoted(Server server) {
    primary = server;
    delays.remove(server.name());
    replicas = without(replicas, server);
  }

  /** {@code server} replicates now (a demoted primary becomes a replica with no delay). */
  synchronized void replicating(Server server) {
    delays.putIfAbsent(server.name(), Duration.ZERO);
    if (!replicas.contains(server)) {
      replicas = with(replicas, server);
    }
  }

  /**
   * The replica {@code topology.sh add} started, the last one {@code p} describes, now
   * replicating with {@code delay}.
   */
  synchronized Server added(Properties p, Duration delay) {
    Server added = server(p, "replica" + p.getProperty("replicas"));
    servers.put(added.name(), added);
    delays.put(added.name(), delay);
    replicas = with(replicas, added);
    return added;
  }

  /** {@code replica} is stopped for good. */
  synchronized void removed(Server replica) {
    replicas = without(replicas, replica);
  }

  /** The delay {@code replica} applies with now; zero for a server that does not replicate. */
  Duration delay(Server replica) {
    return delays.getOrDefault(replica.name(), Duration.ZERO);
  }

  /** Whether {@code replica} already applies with {@code delay}. */
  boolean hasDelay(Server replica, Duration delay) {
    return delay.equals(delays.get(replica.name()));
  }

  void delayed(Server replica, Duration delay) {
    delays.put(replica.name(), delay);
  }

  private static List<Server> with(List<Server> list, Server server) {
    List<Server> copy = new ArrayList<>(list);
    copy.add(server);
    return List.copyOf(copy);
  }

  private static List<Server> without(List<Server> list, Server server) {
    return list.stream().filter(s -> !s.name().equals(server.name())).toList();
  }

  @Override
  public synchronized String toString() {
    return "primary " + primary.name() + ":" + primary.port() + " replicas " + replicas.stream()
        .map(r -> r.name() + ":" + r.port() + " delay " + delay(r).toSeconds() + "s").toList();
  }
}
