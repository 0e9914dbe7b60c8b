package dev.catchup.testkit;

import dev.catchup.gtid.Flavor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running primary with replicas, started by {@code scripts/topology.sh}. Servers listen on
 * loopback ports, replicate with GTIDs (auto-positioning), and each replica applies with an
 * adjustable delay. Closing it stops every server it started and removes their data.
 *
 * <p>It also does what a failover tool does ({@link #promote}, {@link #repoint}, {@link #demote},
 * {@link #switchover}, {@link #failover}, {@link #addReplica}, {@link #removeReplica}): servers keep
 * their names when their roles change, so after a promotion {@link #primary()} may be
 * {@code replica1}. Role changes are for a topology a test owns, never a shared one.
 */
public final class Topology implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Topology.class);
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  /** Password of {@link #tlsTrustStore()}. */
  public static final String TRUST_STORE_PASSWORD = "catchup";

  private final TopologyScript script;
  private final Path dir;
  private final ServerKind kind;
  private final Flavor flavor;
  private final String version;
  private final String user;
  private final String password;
  /** Every server ever started, by name; roles below. Guarded by {@code this}. */
  private final Map<String, Server> servers = new java.util.LinkedHashMap<>();
  private Server primary;
  private List<Server> replicas;
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();
  private final Path tlsCa;
  private volatile boolean closed;

  private Topology(TopologyScript script, Path dir, ServerKind kind, Properties p) {
    this.script = script;
    this.dir = dir;
    this.kind = kind;
    this.flavor = Flavor.valueOf(p.getProperty("flavor").toUpperCase(java.util.Locale.ROOT));
    this.version = p.getProperty("version", "");
    this.user = p.getProperty("user");
    this.password = p.getProperty("password");
    this.primary = server(p, "primary");
    servers.put(primary.name(), primary);
    int n = Integer.parseInt(p.getProperty("replicas"));
    List<Server> rs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Server r = server(p, "replica" + i);
      servers.put(r.name(), r);
      rs.add(r);
      delays.put(r.name(), Duration.ofSeconds(Long.parseLong(p.getProperty(r.name() + ".delay", "0"))));
    }
    this.replicas = Collections.unmodifiableList(rs);
    String ca = p.getProperty("tlsCa", "");
    this.tlsCa = ca.isEmpty() ? null : Path.of(ca);
  }

  /**
   * Starts a new topology of {@code flavor}'s {@link ServerKind#of default servers}. Prefer
   * {@link Topologies#shared} in tests.
   */
  public static Topology start(Flavor flavor, int replicas, Duration delay) {
    return start(ServerKind.of(flavor), replicas, delay);
  }

  /**
   * Starts a new topology of {@code kind} (installing the server binaries first if this machine
   * lacks them, which takes about a minute once). Prefer {@link Topologies#shared} in tests.
   */
  public static Topology start(ServerKind kind, int replicas, Duration delay) {
    TopologyScript script = TopologyScript.locate();
    try {
      long started = System.nanoTime();
      // Idempotent and quick once installed; the first time it builds a sid root (~1 min).
      script.run(UP_TIMEOUT, "install", kind.installName());
      Path dir = Files.createTempDirectory("catchup-" + kind.installName() + "-");
      log.info("starting {} topology: primary + {} replica(s), delay {}s, in {}", kind,
          replicas, delay.toSeconds(), dir);
      List<String> up = new ArrayList<>(List.of("up"));
      up.addAll(kind.upArguments());
      up.addAll(List.of("--dir", dir.toString(), "--replicas", String.valueOf(replicas),
          "--delay", String.valueOf(delay.toSeconds())));
      String out = script.run(UP_TIMEOUT, up.toArray(String[]::new));
      Properties p = new Properties();
      p.load(new StringReader(Files.exists(dir.resolve("topology.properties"))
          ? Files.readString(dir.resolve("topology.properties")) : out));
      Topology t = new Topology(script, dir, kind, p);
      log.info("{} {} topology up in {} ms: primary :{}, replicas {}", kind, t.version,
          (System.nanoTime() - started) / 1_000_000, t.primary.port(),
          t.replicas.stream().map(r -> r.name() + " :" + r.port()).toList());
      return t;
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare a topology directory: " + e.getMessage(), e);
    }
  }

  private static Server server(Properties p, String name) {
    return new Server(name, p.getProperty(name + ".host", "127.0.0.1"),
        Integer.parseInt(p.getProperty(name + ".port")),
        Long.parseLong(p.getProperty(name + ".serverId", "0")),
        p.getProperty(name + ".uuid", ""));
  }

  /** The GTID flavor of the servers. */
  public Flavor flavor() {
    return flavor;
  }

  /** Which servers run: the flavor and its release. */
  public ServerKind kind() {
    return kind;
  }

  /** The name {@code scripts/topology.sh} (and the benchmark reports) use for {@code flavor}. */
  public static String cliName(Flavor flavor) {
    return switch (flavor) {
      case MYSQL -> "mysql";
      case MARIADB -> "mariadb";
    };
  }

  /** {@code SELECT VERSION()} of the primary. */
  public String version() {
    return version;
  }

  /** A user with all privileges on every server (replication included). */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The current primary (after a {@link #promote}, the promoted server). */
  public synchronized Server primary() {
    return primary;
  }

  /** The servers that replicate now (from the primary or, in a chain, from another replica). */
  public synchronized List<Server> replicas() {
    return replicas;
  }

  /** The server named {@code replica<n>}, whatever its role now. */
  public synchronized Server replica(int n) {
    return server("replica" + n);
  }

  /** The server of that name ({@code primary}, {@code replica1}, ...), whatever its role now. */
  public synchronized Server server(String name) {
    Server s = servers.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no server '" + name + "' in " + this);
    }
    return s;
  }

  /** Whether {@code server} is the current primary. */
  public synchronized boolean isPrimary(Server server) {
    return primary.name().equals(server.name());
  }

  /**
   * Makes {@code server} the primary, as a failover tool does to its candidate: replication
   * stopped and reset (what it received but had not applied is discarded), then writable. The
   * other servers are left as they are: {@link #repoint} them, {@link #demote} the old primary.
   */
  public synchronized void promote(Server server) {
    script.run(COMMAND_TIMEOUT, "promote", "--dir", dir.toString(), "--server", server.name());
    primary = server;
    delays.remove(server.name());
    replicas = without(replicas, server);
  }

  /**
   * Points {@code replica}'s replication at {@code source} (GTID auto-positioning, same delay) and
   * returns once both replication threads run. A server that was not replicating (a demoted
   * primary) becomes a replica.
   */
  public synchronized void repoint(Server replica, Server source) {
    script.run(UP_TIMEOUT, "repoint", "--dir", dir.toString(), "--server", replica.name(),
        "--source", source.name());
    delays.putIfAbsent(replica.name(), Duration.ZERO);
    if (!replicas.contains(replica)) {
      List<Server> rs = new ArrayList<>(replicas);
      rs.add(replica);
      replicas = Collections.unmodifiableList(rs);
    }
  }

  /**
   * Makes {@code server} read-only ({@code super_read_only} on MySQL, so even accounts with SUPER
   * cannot write; MariaDB's {@code read_only} does not stop accounts with READ ONLY ADMIN) or
   * writable again.
   */
  public void setReadOnly(Server server, boolean readOnly) {
    script.run(COMMAND_TIMEOUT, "readonly", "--dir", dir.toString(), "--server", server.name(),
        readOnly ? "--on" : "--off");
  }

  /** Makes the old primary {@code server} read-only and a replica of {@code newPrimary}. */
  public void demote(Server server, Server newPrimary) {
    setReadOnly(server, true);
    repoint(server, newPrimary);
  }

  /**
   * A planned switchover to {@code candidate}: the primary made read-only, the candidate's delay
   * lifted and awaited until it has everything, the candidate promoted, every other replica and
   * the old primary re-pointed to it. No transaction is lost.
   *
   * @throws IllegalStateException if the candidate does not catch up within {@code timeout}
   */
  public synchronized void switchover(Server candidate, Duration timeout) throws SQLException {
    Server old = primary;
    setReadOnly(old, true);
    setDelay(candidate, Duration.ZERO);
    if (!awaitCaughtUp(candidate, timeout)) {
      throw new IllegalStateException(candidate.name() + " did not catch up with " + old.name()
          + " within " + timeout);
    }
    promote(candidate);
    for (Server r : List.copyOf(replicas)) {
      repoint(r, candidate);
    }
    repoint(old, candidate);
  }

  /**
   * An unplanned failover to {@code candidate} after the primary died ({@link #kill}): the
   * candidate promoted at once (what it had not applied is lost) and the other running replicas
   * re-pointed to it. The dead primary is left out.
   */
  public synchronized void failover(Server candidate) {
    promote(candidate);
    for (Server r : List.copyOf(replicas)) {
      repoint(r, candidate);
    }
  }

  /**
   * Starts a new, empty server that replicates everything from {@code source} with
   * {@code delay}; with no delay it returns once it has caught up.
   */
  public synchronized Server addReplica(Server source, Duration delay) {
    String out = script.run(UP_TIMEOUT, "add", "--dir", dir.toString(), "--source", source.name(),
        "--seconds", String.valueOf(delay.toSeconds()));
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(dir.resolve("topology.properties"))));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the topology after adding a replica: " + out, e);
    }
    Server added = server(p, "replica" + p.getProperty("replicas"));
    servers.put(added.name(), added);
    delays.put(added.name(), delay);
    List<Server> rs = new ArrayList<>(replicas);
    rs.add(added);
    replicas = Collections.unmodifiableList(rs);
    return added;
  }

  /** Stops {@code replica} for good (SIGKILL) and drops it from {@link #replicas()}. */
  public synchronized void removeReplica(Server replica) {
    kill(replica);
    replicas = without(replicas, replica);
  }

  private static List<Server> without(List<Server> list, Server server) {
    return list.stream().filter(s -> !s.name().equals(server.name())).toList();
  }

  /** A new JDBC connection to {@code server} as {@link #user()}. */
  public Connection connect(Server server) throws SQLException {
    return connect(server, "");
  }

  /** A new JDBC connection with extra Connector/J properties ({@code a=b&c=d}). */
  public Connection connect(Server server, String extraProperties) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(extraProperties), user, password);
  }

  /**
   * The PEM certificate of the CA that signed every server's certificate (made by {@code up} for
   * this topology; names 127.0.0.1, ::1 and localhost), for tests that verify the servers.
   */
  public Path tlsCa() {
    if (tlsCa == null) {
      throw new IllegalStateException("this topology was started without test certificates");
    }
    return tlsCa;
  }

  /**
   * {@link #tlsCa()} as a PKCS12 trust store with password {@link #TRUST_STORE_PASSWORD}, for
   * Connector/J's {@code trustCertificateKeyStoreUrl}, which reads no PEM. Made on first use.
   */
  public synchronized Path tlsTrustStore() {
    Path store = dir.resolve("truststore.p12");
    if (!Files.exists(store)) {
      try (InputStream in = Files.newInputStream(tlsCa());
           OutputStream out = Files.newOutputStream(store)) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("catchup-test-ca",
            CertificateFactory.getInstance("X.509").generateCertificate(in));
        ks.store(out, TRUST_STORE_PASSWORD.toCharArray());
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot write a trust store for " + tlsCa + ": " + e, e);
      }
    }
    return store;
  }

  /** The replication delay a replica currently applies with. */
  public Duration delay(Server replica) {
    return delays.getOrDefault(replica.name(), Duration.ZERO);
  }

  /** Changes a running replica's delay (whole seconds); no-op when it already has it. */
  public void setDelay(Server replica, Duration delay) {
    if (delay.equals(delays.get(replica.name()))) {
      return;
    }
    script.run(COMMAND_TIMEOUT, "delay", "--dir", dir.toString(), "--server", replica.name(),
        "--seconds", String.valueOf(delay.toSeconds()));
    delays.put(replica.name(), delay);
  }

  /**
   * Sets a delay under which no write shows on {@code replica} sooner than {@code atLeast} after
   * its commit. MariaDB counts MASTER_DELAY from the event's whole-second timestamp, so a delay of
   * N applies a write committed late in a second after as little as N-1 s: it gets one second
   * more. MySQL's SOURCE_DELAY already holds (1 shows writes about 2 s after commit).
   */
  public void setDelayAtLeast(Server replica, Duration atLeast) {
    setDelay(replica, flavor == Flavor.MARIADB ? atLeast.plusSeconds(1) : atLeast);
  }

  /** Kills a server abruptly (SIGKILL), as a crash would. */
  public void kill(Server server) {
    script.run(COMMAND_TIMEOUT, "stop", "--dir", dir.toString(), "--server", server.name());
  }

  /** Restarts a stopped server on the same port and data; a replica resumes replicating. */
  public void restart(Server server) {
    script.run(UP_TIMEOUT, "start", "--dir", dir.toString(), "--server", server.name());
  }

  /** The primary's executed GTIDs: {@code @@gtid_executed} (MySQL), {@code @@gtid_binlog_pos}. */
  public String primaryGtids() throws SQLException {
    try (Connection c = connect(primary()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(flavor == Flavor.MYSQL
             ? "SELECT @@global.gtid_executed" : "SELECT @@global.gtid_binlog_pos")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Waits on {@code replica} until it has applied everything the primary had executed when called.
   *
   * @return true when caught up, false on timeout
   */
  public boolean awaitCaughtUp(Server replica, Duration timeout) throws SQLException {
    String gtids = primaryGtids();
    try (Connection c = connect(replica);
         PreparedStatement ps = c.prepareStatement(flavor == Flavor.MYSQL
             ? "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)" : "SELECT MASTER_GTID_WAIT(?, ?)")) {
      ps.setString(1, gtids);
      // MySQL waits forever on 0 and MariaDB returns at once: never pass 0.
      ps.setDouble(2, Math.max(0.001, timeout.toMillis() / 1000.0));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 0;
      }
    }
  }

  /**
   * Creates {@code user} (host {@code %}) with {@code password} and exactly {@code grants} (GRANT
   * statements naming {@code 'user'@'%'}) on every server, replacing any earlier account of that
   * name. Unlogged ({@code sql_log_bin=0}), as the launcher creates {@link #user()}: no GTID is
   * spent and no replica has to catch up first. On the running servers: the primary and the
   * replicas; a MySQL server made read-only is made writable for the moment it takes.
   */
  public void createUser(String user, String password, List<String> grants) throws SQLException {
    List<Server> all = new ArrayList<>();
    synchronized (this) {
      all.add(primary);
      all.addAll(replicas);
    }
    for (Server s : all) {
      createUser(s, user, password, grants);
    }
  }

  /** {@link #createUser(String, String, List)} on one server only. */
  public void createUser(Server server, String user, String password, List<String> grants)
      throws SQLException {
    String account = "'" + user.replace("'", "''") + "'@'%'";
    try (Connection c = connect(server); Statement s = c.createStatement()) {
      boolean superReadOnly = flavor == Flavor.MYSQL
          && "1".equals(scalar(s, "SELECT @@global.super_read_only"));
      if (superReadOnly) {
        s.execute("SET GLOBAL super_read_only = OFF");
      }
      try {
        createUser(c, s, account, password, grants);
      } finally {
        if (superReadOnly) {
          s.execute("SET GLOBAL super_read_only = ON");
        }
      }
    }
  }

  private static String scalar(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void createUser(Connection c, Statement s, String account, String password,
      List<String> grants) throws SQLException {
    s.execute("SET SESSION sql_log_bin = 0");
    s.execute("DROP USER IF EXISTS " + account);
    try (PreparedStatement ps = c.prepareStatement("CREATE USER " + account + " IDENTIFIED BY ?")) {
      ps.setString(1, password);
      ps.execute();
    }
    for (String grant : grants) {
      s.execute(grant);
    }
  }

  /** Stops every server and removes the topology's data. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("stopping {} topology in {}", kind, dir);
    script.run(COMMAND_TIMEOUT, "down", "--dir", dir.toString());
  }

  @Override
  public String toString() {
    return kind + " " + version + " primary " + primary().name() + ":" + primary().port()
        + " replicas "
        + replicas().stream().map(r -> r.name() + ":" + r.port() + " delay " + delay(r).toSeconds() + "s")
        .toList();
  }
}
