package dev.catchup.testkit;

import dev.catchup.gtid.Flavor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Test accounts, created as the launcher creates its own: unlogged ({@code sql_log_bin=0}), so
 * no GTID is spent and no replica has to catch up before a test can use them.
 */
final class Accounts {
  private Accounts() {}

  /**
   * Creates {@code user}@{@code %} with {@code password} and exactly {@code grants} on the server
   * {@code c} is connected to, replacing any account of that name. A MySQL server made read-only
   * ({@code super_read_only}) is made writable for the moment it takes.
   */
  static void create(Connection c, Flavor flavor, String user, String password, List<String> grants)
      throws SQLException {
    String account = "'" + user.replace("'", "''") + "'@'%'";
    try (Statement s = c.createStatement()) {
      boolean superReadOnly = flavor == Flavor.MYSQL
          && "1".equals(scalar(s, "SELECT @@global.super_read_only"));
      if (superReadOnly) {
        s.execute("SET GLOBAL super_read_only = OFF");
      }
      try {
        create(c, s, account, password, grants);
      } finally {
        if (superReadOnly) {
          s.execute("SET GLOBAL super_read_only = ON");
        }
      }
    }
  }

  private static void create(Connection c, Statement s, String account, String password,
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

  private static String scalar(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
