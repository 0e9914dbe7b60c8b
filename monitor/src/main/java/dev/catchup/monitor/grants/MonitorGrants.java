package dev.catchup.monitor.grants;

import dev.catchup.dialect.Dialect;
import dev.catchup.gtid.Flavor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The privileges the monitor's database user needs, per flavor and mode: one table, read by the
 * start-time check and its messages, by the test fixtures that create the monitor's user, and shown
 * in monitor/README.md ("User and grants"). Each was found by running the monitor's statements on
 * MySQL 9.7 and MariaDB 10.11 without it. The user is one account on every server (created on the
 * primary, it replicates), so it holds the union of what the primary and the replicas need.
 */
public final class MonitorGrants {
  /** The schema the heartbeat writer creates on the primary. */
  public static final String HEARTBEAT_SCHEMA = "catchup_monitor";

  /**
   * One privilege and why the monitor needs it.
   *
   * @param privilege as the server's {@code GRANT} spells it
   * @param on {@code *.*} or the heartbeat schema
   * @param why the statement that needs it, and where it runs
   * @param heartbeatOnly needed only with {@code heartbeatInterval} set
   */
  public record Grant(String privilege, String on, String why, boolean heartbeatOnly) {}

  private static final String SCHEMA_ON = HEARTBEAT_SCHEMA + ".*";
  private static final Grant DUMP = global("REPLICATION SLAVE",
      "the binlog dump that tails each server's binlog");
  private static final Grant CREATE = schema("CREATE",
      "the heartbeat writer's CREATE DATABASE and CREATE TABLE IF NOT EXISTS, on the primary");
  private static final Grant INSERT = schema("INSERT",
      "the heartbeat writer's INSERT ... ON DUPLICATE KEY UPDATE, on the primary");
  private static final Grant UPDATE = schema("UPDATE",
      "the same statement's UPDATE part, on the primary");

  private static final List<Grant> MYSQL = List.of(
      DUMP,
      global("REPLICATION CLIENT", Dialect.MYSQL.binlogStatusQuery() + ", where each feed starts, "
          + "on every server; " + Dialect.MYSQL.replicaStatusQuery() + ", the replication threads "
          + "and each server's source (the topology), on every server"),
      CREATE, INSERT, UPDATE,
      schema("SELECT", "reading the heartbeat row for heartbeat lag, on replicas"));

  private static final List<Grant> MARIADB = List.of(
      DUMP,
      global("BINLOG MONITOR", Dialect.MARIADB.binlogStatusQuery() + ", where each feed starts, on "
          + "every server; REPLICATION CLIENT is an alias"),
      global("SLAVE MONITOR", Dialect.MARIADB.replicaStatusQuery() + ", the replication threads "
          + "/check reads and each server's source (the topology), on every server; REPLICA "
          + "MONITOR is an alias"),
      CREATE, INSERT, UPDATE,
      schema("SELECT", "reading the heartbeat row, on replicas; MariaDB also asks it of the "
          + "writer's ON DUPLICATE KEY UPDATE, on the primary"));

  private static Grant global(String privilege, String why) {
    return new Grant(privilege, "*.*", why, false);
  }

  private static Grant schema(String privilege, String why) {
    return new Grant(privilege, SCHEMA_ON, why, true);
  }

  private MonitorGrants() {}

  /** Every privilege the monitor needs on {@code flavor}, with or without the heartbeat row. */
  public static List<Grant> required(Flavor flavor, boolean heartbeat) {
    return (flavor == Flavor.MYSQL ? MYSQL : MARIADB).stream()
        .filter(g -> heartbeat || !g.heartbeatOnly()).toList();
  }

  /**
   * The {@code GRANT} statements giving {@code account} ({@code 'user'@'host'}) exactly
   * {@link #required}: one per scope, in table order.
   */
  public static List<String> statements(Flavor flavor, boolean heartbeat, String account) {
    return statements(required(flavor, heartbeat), account);
  }

  static List<String> statements(List<Grant> grants, String account) {
    Map<String, List<String>> byScope = new LinkedHashMap<>();
    for (Grant g : grants) {
      byScope.computeIfAbsent(g.on(), k -> new ArrayList<>()).add(g.privilege());
    }
    List<String> out = new ArrayList<>();
    byScope.forEach((on, privileges) ->
        out.add("GRANT " + String.join(", ", privileges) + " ON " + on + " TO " + account));
    return List.copyOf(out);
  }

  /** {@code 'user'@'host'}, quoted as GRANT wants it. */
  public static String account(String user, String host) {
    return quote(user) + "@" + quote(host);
  }

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
