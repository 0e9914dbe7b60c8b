package dev.catchup.dialect;

import dev.catchup.gtid.Flavor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's release as {@code SELECT VERSION()} reports it: which flavor it is (MariaDB says so in
 * the text) and its major, minor and patch numbers. Distribution suffixes are ignored
 * ({@code 10.11.19-MariaDB-0+deb12u1}, {@code 11.8.9-MariaDB-4 from Debian-log},
 * {@code 8.4.3-log}), and so is the {@code 5.5.5-} prefix older MariaDB servers put before their
 * version for old replication clients.
 *
 * @param flavor MariaDB when the text names it, else MySQL
 * @param major e.g. 8
 * @param minor e.g. 4
 * @param patch e.g. 3
 */
public record ServerVersion(Flavor flavor, int major, int minor, int patch)
    implements Comparable<ServerVersion> {
  private static final Pattern NUMBERS = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,6})");
  private static final String MARIADB_PREFIX = "5.5.5-";
  private static final Comparator<ServerVersion> ORDER = Comparator.comparingInt(ServerVersion::major)
      .thenComparingInt(ServerVersion::minor).thenComparingInt(ServerVersion::patch);

  public ServerVersion {
    Objects.requireNonNull(flavor, "flavor");
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("version numbers must not be negative, were " + major
          + "." + minor + "." + patch);
    }
  }

  /**
   * Parses what {@code SELECT VERSION()} (or the handshake) reports.
   *
   * @throws IllegalArgumentException when the text does not start with {@code major.minor.patch}
   */
  public static ServerVersion parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a server version must start with major.minor.patch, "
          + "was null");
    }
    boolean mariadb = text.toLowerCase(Locale.ROOT).contains("mariadb");
    String numbers = mariadb && text.startsWith(MARIADB_PREFIX)
        ? text.substring(MARIADB_PREFIX.length()) : text;
    Matcher m = NUMBERS.matcher(numbers);
    if (!m.lookingAt()) {
      throw new IllegalArgumentException("a server version must start with major.minor.patch, "
          + "was '" + text + "'");
    }
    return new ServerVersion(mariadb ? Flavor.MARIADB : Flavor.MYSQL, Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /** Runs {@code SELECT VERSION()} on {@code c} and parses the answer. */
  public static ServerVersion of(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      String text = rs.getString(1);
      try {
        return parse(text);
      } catch (IllegalArgumentException e) {
        throw new SQLException("cannot read the server's version: " + e.getMessage(), "HY000", e);
      }
    }
  }

  /** A version of {@code flavor}, for tables of minimums. */
  public static ServerVersion of(Flavor flavor, int major, int minor, int patch) {
    return new ServerVersion(flavor, major, minor, patch);
  }

  /** Orders by major, minor, patch; the flavor is not compared. */
  @Override
  public int compareTo(ServerVersion other) {
    return ORDER.compare(this, other);
  }

  /** True when this release comes before {@code other} (the flavor is not compared). */
  public boolean olderThan(ServerVersion other) {
    return compareTo(other) < 0;
  }

  /** {@code MySQL 8.4.3}, {@code MariaDB 10.11.19}. */
  @Override
  public String toString() {
    return (flavor == Flavor.MARIADB ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
  }
}
