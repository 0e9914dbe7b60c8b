package dev.catchup.testkit;

import dev.catchup.gtid.Flavor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
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
 *
 * <p>This class is the face tests use; the launcher's commands are in {@link ServerControl}, who
 * is primary and who replicates in {@link Roles}, accounts in {@link Accounts} and the test CA in
 * {@link TestCertificates}. Role changes hold this object's lock from the command to the record,
 * so two of them never interleave.
 */
public final class Topology implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Topology.class);
  /** Password of {@link #tlsTrustStore()}. */
  public static final String TRUST_STORE_PASSWORD = "catchup";

  private final ServerControl control;
  private final ServerKind kind;
  private final Flavor flavor;
  private final String version;
  private final String user;
  private final String password;
  private final Roles roles;
  private final TestCertificates certificates;
  private volatile boolean closed;

  private Topology(ServerControl control, ServerKind kind, Properties p) {
    this.control = control;
    this.kind = kind;
    this.flavor = Flavor.valueOf(p.getProperty("flavor").toUpperCase(Locale.ROOT));
    this.version = p.getProperty("version", "");
    this.user = p.getProperty("user");
    this.password = p.getProperty("password");
    this.roles = new Roles(p);
    this.certificates = new TestCertificates(p.getProperty("tlsCa", ""), control.dir());
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
    long started = System.nanoTime();
    log.info("starting {} topology: primary + {} replica(s), delay {}s", kind, replicas,
        delay.toSeconds());
    ServerControl control = ServerControl.up(kind, replicas, delay);
    Topology t = new Topology(control, kind, control.properties());
    log.info("{} {} topology up in {} ms in {}: {}", kind, t.version,
        (System.nanoTime() - started) / 1_000_000, control.dir(), t.roles);
    return t;
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
    return flavor.name().toLowerCase(Locale.ROOT);
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
  public Server primary() {
    return roles.primary();
  }

  /** The servers that replicate now (from the primary or, in a chain, from another replica). */
  public List<Server> replicas() {
    return roles.replicas();
  }

  /** The server named {@code replica<n>}, whatever its role now. */
  public Server replica(int n) {
    return server("replica" + n);
  }

  /** The server of that name ({@code primary}, {@code replica1}, ...), whatever its role now. */
  public Server server(String name) {
    Server s = roles.named(name);
    if (s == null) {
      throw new IllegalArgumentException("no server '" + name + "' in " + this);
    }
    return s;
  }

  /** Whether {@code server} is the current primary. */
  public boolean isPrimary(Server server) {
    return roles.isPrimary(server);
  }

  /**
   * Makes {@code server} the primary, as a failover tool does to its candidate: replication
   * stopped and reset (what it received but had not applied is discarded), then writable. The
   * other servers are left as they are: {@link #repoint} them, {@link #demote} the old primary.
   */
  public synchronized void promote(Server server) {
    control.promote(server);
    roles.promoted(server);
  }

  /**
   * Points {@code replica}'s replication at {@code source} (GTID auto-positioning, same delay) and
   * returns once both replication threads run. A server that was not replicating (a demoted
   * primary) becomes a replica.
   */
  public synchronized void repoint(Server replica, Server source) {
    control.repoint(replica, source);
    roles.replicating(replica);
  }

  /**
   * Makes {@code server} read-only ({@code super_read_only} on MySQL, so even accounts with SUPER
   * cannot write; MariaDB's {@code read_only} does not stop accounts with READ ONLY ADMIN) or
   * writable again.
   */
  public void setReadOnly(Server server, boolean readOnly) {
    control.setReadOnly(server, readOnly);
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
    Server old = primary();
    setReadOnly(old, true);
    setDelay(candidate, Duration.ZERO);
    if (!awaitCaughtUp(candidate, timeout)) {
      throw new IllegalStateException(candidate.name() + " did not catch up with " + old.name()
          + " within " + timeout);
    }
    failover(candidate);
    repoint(old, candidate);
  }

  /**
   * An unplanned failover to {@code candidate} after the primary died ({@link #kill}): the
   * candidate promoted at once (what it had not applied is lost) and the other running replicas
   * re-pointed to it. The dead primary is left out.
   */
  public synchronized void failover(Server candidate) {
    promote(candidate);
    for (Server r : replicas()) {
      repoint(r, candidate);
    }
  }

  /**
   * Starts a new, empty server that replicates everything from {@code source} with
   * {@code delay}; with no delay it returns once it has caught up.
   */
  public synchronized Server addReplica(Server source, Duration delay) {
    control.add(source, delay);
    return roles.added(control.properties(), delay);
  }

  /** Stops {@code replica} for good (SIGKILL) and drops it from {@link #replicas()}. */
  public synchronized void removeReplica(Server replica) {
    kill(replica);
    roles.removed(replica);
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
    return certificates.ca();
  }

  /**
   * {@link #tlsCa()} as a PKCS12 trust store with password {@link #TRUST_STORE_PASSWORD}, for
   * Connector/J's {@code trustCertificateKeyStoreUrl}, which reads no PEM. Made on first use.
   */
  public Path tlsTrustStore() {
    return certificates.trustStore(TRUST_STORE_PASSWORD);
  }

  /** The replication delay a replica currently applies with. */
  public Duration delay(Server replica) {
    return roles.delay(replica);
  }

  /** Changes a running replica's delay (whole seconds); no-op when it already has it. */
  public void setDelay(Server replica, Duration delay) {
    if (roles.hasDelay(replica, delay)) {
      return;
    }
    control.setDelay(replica, delay);
    roles.delayed(replica, delay);
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
    control.kill(server);
  }

  /** Restarts a stopped server on the same port and data; a replica resumes replicating. */
  public void restart(Server server) {
    control.restart(server);
  }

  /** The primary's executed GTIDs: {@code @@gtid_executed} (MySQL), {@code @@gtid_binlog_pos}. */
  public String primaryGtids() throws SQLException {
    // The testkit cannot use wire's Dialect (wire's own tests run on the testkit): two queries here.
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
    for (Server s : roles.running()) {
      createUser(s, user, password, grants);
    }
  }

  /** {@link #createUser(String, String, List)} on one server only. */
  public void createUser(Server server, String user, String password, List<String> grants)
      throws SQLException {
    try (Connection c = connect(server)) {
      Accounts.create(c, flavor, user, password, grants);
    }
  }

  /** Stops every server and removes the topology's data. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("stopping {} topology in {}", kind, control.dir());
    control.down();
  }

  @Override
  public String toString() {
    return kind + " " + version + " " + roles;
  }
}
