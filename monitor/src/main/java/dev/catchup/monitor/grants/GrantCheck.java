package dev.catchup.monitor.grants;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.connect.ServerEndpoint;
import dev.catchup.monitor.grants.MonitorGrants.Grant;
import dev.catchup.monitor.heartbeat.HeartbeatWriter;
import dev.catchup.monitor.topology.Role;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the monitor's user holds {@link MonitorGrants#required} on a server by running what
 * the monitor runs there, as it runs it, and reading the server's refusals: parsing
 * {@code SHOW GRANTS} would miss roles, aliases and wildcards, a refusal cannot. The binlog dump is
 * asked for as the feed asks for it (no SQL statement needs exactly REPLICATION SLAVE on MariaDB).
 * Only "access denied" answers count as missing grants; any other failure leaves the question to
 * the trackers, which report what they meet. In heartbeat mode the check on the primary is the
 * writer's own first write (create the schema and table if absent, upsert the row).
 */
public final class GrantCheck {
  private static final Logger log = LoggerFactory.getLogger(GrantCheck.class);
  private static final int DB_ACCESS_DENIED = 1044;
  private static final int TABLE_ACCESS_DENIED = 1142;
  private static final int COLUMN_ACCESS_DENIED = 1143;
  private static final int SPECIFIC_ACCESS_DENIED = 1227;
  private static final Pattern DENIED_COMMAND = Pattern.compile("^(\\w+) command denied");

  private final Flavor flavor;
  private final boolean heartbeat;
  private final Duration timeout;

  public GrantCheck(Flavor flavor, boolean heartbeat, Duration timeout) {
    this.flavor = flavor;
    this.heartbeat = heartbeat;
    this.timeout = timeout;
  }

  /**
   * What the monitor's user lacks on one server.
   *
   * @param server the server
   * @param account the account the server matched the user to ({@code 'user'@'host'})
   * @param grants the privileges refused, in table order
   */
  record Missing(ServerEndpoint server, String account, List<Grant> grants) {
    /** Names the server, the account, each grant with its reason, and the statements to run. */
    String message() {
      StringBuilder b = new StringBuilder(server.toString()).append(": ").append(account)
          .append(" lacks ");
      for (int i = 0; i < grants.size(); i++) {
        Grant g = grants.get(i);
        b.append(i == 0 ? "" : ", ").append(g.privilege()).append(" ON ").append(g.on())
            .append(" (for ").append(g.why()).append(')');
      }
      b.append("; run: ");
      MonitorGrants.statements(grants, account).forEach(s -> b.append(s).append("; "));
      return b.toString().trim();
    }
  }

  /**
   * Checks every server. Throws when a server it reaches runs a release Catchup does not support
   * ({@link UnsupportedServerException}, before any grant is looked at) or lacks a grant; returns
   * the servers it could not check (unreachable, or refusing the login), for the trackers to check
   * later.
   */
  public List<ServerEndpoint> verify(ServerEndpoint primary, List<ServerEndpoint> replicas) {
    List<String> unsupported = new ArrayList<>();
    List<Missing> missing = new ArrayList<>();
    List<ServerEndpoint> unchecked = new ArrayList<>();
    List<ServerEndpoint> all = new ArrayList<>();
    all.add(primary);
    all.addAll(replicas);
    for (ServerEndpoint e : all) {
      try {
        Missing m = check(e, e == primary ? Role.PRIMARY : Role.REPLICA);
        if (!m.grants().isEmpty()) {
          missing.add(m);
        }
      } catch (UnsupportedServerException ex) {
        unsupported.addAll(ex.refusals());
      } catch (SQLException ex) {
        log.warn("{}: cannot check the monitor user's grants now ({}); checking once it answers",
            e, firstLine(ex.getMessage()));
        unchecked.add(e);
      }
    }
    if (!unsupported.isEmpty()) {
      throw new UnsupportedServerException(unsupported);
    }
    if (!missing.isEmpty()) {
      throw new MissingGrantsException(missing);
    }
    log.info("the monitor user {} has every grant it needs on {} of {} server(s)", primary.user(),
        all.size() - unchecked.size(), all.size());
    return List.copyOf(unchecked);
  }

  /**
   * For a server that could not be checked at start, once reachable: logs what it lacks once, as
   * an error, and returns that message for the server's status, or null when nothing is missing.
   *
   * @throws SQLException when the server could not be asked (nothing was checked: ask again)
   */
  public String checkLater(ServerEndpoint e, Role role) throws SQLException {
    try {
      Missing m = check(e, role);
      if (m.grants().isEmpty()) {
        log.info("{}: the monitor user's grants are complete", e);
        return null;
      }
      String message = "missing grants (see monitor/README.md, User and grants): " + m.message();
      log.error("{}", message);
      return message;
    } catch (UnsupportedServerException ex) {
      log.error("{}", ex.getMessage());
      return ex.getMessage();
    }
  }

  /**
   * The grants {@code e} refuses, for the statements a tracker of {@code role} runs there.
   *
   * @throws UnsupportedServerException when {@code e} runs a release Catchup does not support
   */
  Missing check(ServerEndpoint e, Role role) throws SQLException {
    List<Grant> table = MonitorGrants.required(flavor, heartbeat);
    Set<Grant> refused = new LinkedHashSet<>();
    String account;
    try (Connection c = DriverManager.getConnection(e.jdbcUrl(), e.user(), e.password())) {
      VersionCheck.require(e, flavor, c);
      account = account(c);
      boolean mysql = flavor == Flavor.MYSQL;
      Dialect dialect = Dialect.of(flavor);
      if (denied(c, dialect.binlogStatusQuery())) {
        refused.add(grant(table, mysql ? "REPLICATION CLIENT" : "BINLOG MONITOR"));
      }
      if (dumpRefused(e)) {
        refused.add(grant(table, "REPLICATION SLAVE"));
      }
      // Every server, primary too: its tracker reads where it replicates from (the topology).
      if (denied(c, dialect.replicaStatusQuery())) {
        refused.add(grant(table, mysql ? "REPLICATION CLIENT" : "SLAVE MONITOR"));
      }
      if (heartbeat && role == Role.PRIMARY) {
        refused.addAll(heartbeatWriteRefused(c, table));
      }
      if (heartbeat && role == Role.REPLICA && denied(c, HeartbeatWriter.LAG_SQL)) {
        refused.add(schemaGrant(table, "SELECT"));
      }
    }
    List<Grant> ordered = table.stream().filter(refused::contains).toList();
    return new Missing(e, account, ordered);
  }

  private static String account(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
      rs.next();
      String current = rs.getString(1);
      int at = current.lastIndexOf('@');
      return MonitorGrants.account(current.substring(0, at), current.substring(at + 1));
    }
  }

  /** Runs {@code sql}: true when the server refuses it for want of a privilege. */
  private static boolean denied(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
      return false;
    } catch (SQLException e) {
      if (isDenial(e)) {
        return true;
      }
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        throw e; // the connection itself failed: nothing was checked
      }
      return false; // e.g. a heartbeat table not replicated yet: not a privilege question
    }
  }

  /** The writer's first write, statement by statement; the privilege named when it is refused. */
  private static List<Grant> heartbeatWriteRefused(Connection c, List<Grant> table)
      throws SQLException {
    for (String sql : HeartbeatWriter.WRITE_STATEMENTS) {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        if (!isDenial(e)) {
          if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            throw e;
          }
          return List.of(); // e.g. a read-only primary: the writer will say so
        }
        if (e.getErrorCode() == DB_ACCESS_DENIED) {
          return List.of(schemaGrant(table, "CREATE"));
        }
        Matcher m = DENIED_COMMAND.matcher(e.getMessage() == null ? "" : e.getMessage());
        String command = m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "";
        Grant named = table.stream().filter(g -> g.heartbeatOnly() && g.privilege().equals(command))
            .findFirst().orElse(null);
        // A privilege the table does not name: say every heartbeat grant rather than guess.
        return named != null ? List.of(named)
            : table.stream().filter(Grant::heartbeatOnly).toList();
      }
    }
    return List.of();
  }

  /** JDBC's communication errors run to several lines; the first says what happened. */
  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  private static boolean isDenial(SQLException e) {
    int code = e.getErrorCode();
    return code == DB_ACCESS_DENIED || code == TABLE_ACCESS_DENIED || code == COLUMN_ACCESS_DENIED
        || code == SPECIFIC_ACCESS_DENIED;
  }

  /**
   * Asks for the binlog stream as the feed does and stops at the first event. A refusal comes as an
   * error packet after the login, so it is read from the client's failure callback.
   */
  private boolean dumpRefused(ServerEndpoint e) throws SQLException {
    BinaryLogClient client = new BinaryLogClient(e.host(), e.port(), e.user(), e.password());
    // As the feed connects: an account that requires TLS refuses a plain login (1045), which would
    // leave the grants unchecked; and in a verifying mode the password never goes out in clear.
    e.tls().configure(client, e.host(), e.port());
    // Like the feed: an id no real server uses, so no replica's connection is replaced.
    client.setServerId(0x7F00_0000L + ThreadLocalRandom.current().nextInt(1 << 24));
    client.setKeepAlive(false);
    client.setBinlogFilename(""); // the oldest binary log the server has
    client.setBinlogPosition(4);
    if (flavor == Flavor.MARIADB) {
      client.setMariaDbSlaveCapability(4);
    }
    CountDownLatch answered = new CountDownLatch(1);
    AtomicBoolean streamed = new AtomicBoolean();
    AtomicReference<Exception> failure = new AtomicReference<>();
    client.registerEventListener(event -> {
      streamed.set(true);
      answered.countDown();
    });
    client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
      @Override
      public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
        failure.set(ex);
        answered.countDown();
      }

      @Override
      public void onDisconnect(BinaryLogClient c) {
        answered.countDown();
      }
    });
    try {
      client.connect(timeout.toMillis());
      answered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | TimeoutException ex) {
      if (ex instanceof ServerException se && se.getErrorCode() == SPECIFIC_ACCESS_DENIED) {
        return true;
      }
      throw new SQLException("binlog dump probe failed: " + ex.getMessage(), "08000", ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while checking grants", "08000", ex);
    } finally {
      disconnect(client);
    }
    return !streamed.get() && failure.get() instanceof ServerException se
        && se.getErrorCode() == SPECIFIC_ACCESS_DENIED;
  }

  private static void disconnect(BinaryLogClient client) {
    try {
      client.disconnect();
    } catch (IOException ex) {
      log.debug("closing the grant probe's binlog connection failed: {}", ex.getMessage());
    }
  }

  private static Grant grant(List<Grant> table, String privilege) {
    return table.stream().filter(g -> g.privilege().equals(privilege) && !g.heartbeatOnly())
        .findFirst().orElseThrow();
  }

  private static Grant schemaGrant(List<Grant> table, String privilege) {
    return table.stream().filter(g -> g.privilege().equals(privilege) && g.heartbeatOnly())
        .findFirst().orElseThrow();
  }
}
