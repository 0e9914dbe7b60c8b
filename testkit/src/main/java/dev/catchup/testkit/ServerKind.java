package dev.catchup.testkit;

import dev.catchup.gtid.Flavor;
import java.util.ArrayList;
import java.util.List;

/**
 * Which server binaries a topology runs: the servers Catchup is tested on. Several kinds share a
 * {@link Flavor} (the GTID flavor, which is what the code under test branches on); the kind only
 * says which release of it {@code scripts/topology.sh} starts and where the binaries come from.
 *
 * <p>Most tests run on {@link #of(Flavor) the default kind} of each flavor; tests that touch SQL
 * whose spelling or behaviour may change between releases (replication status columns, GTID
 * variables, session tracking, binlog events, privileges) take a {@code ServerKind} parameter
 * ({@code @EnumSource(ServerKind.class)}) and so also run on the other releases.
 */
public enum ServerKind {
  /** MySQL 9 (9.7 today) from a cached Debian sid root: Debian 12 ships no MySQL. */
  MYSQL_9(Flavor.MYSQL, null, "9."),
  /** MariaDB 10.11 LTS, Debian 12's own package. */
  MARIADB_10_11(Flavor.MARIADB, null, "10.11."),
  /** MariaDB 11.8 LTS from a second Debian sid root (its packages conflict with MySQL's). */
  MARIADB_11_8(Flavor.MARIADB, "11.8", "11.8.");

  private final Flavor flavor;
  private final String scriptVersion;
  private final String versionPrefix;

  ServerKind(Flavor flavor, String scriptVersion, String versionPrefix) {
    this.flavor = flavor;
    this.scriptVersion = scriptVersion;
    this.versionPrefix = versionPrefix;
  }

  /** The kind most tests run on for {@code flavor}: MySQL 9 or MariaDB 10.11. */
  public static ServerKind of(Flavor flavor) {
    return switch (flavor) {
      case MYSQL -> MYSQL_9;
      case MARIADB -> MARIADB_10_11;
    };
  }

  /** The GTID flavor of these servers. */
  public Flavor flavor() {
    return flavor;
  }

  /** What {@code SELECT VERSION()} of these servers starts with, e.g. {@code 11.8.}. */
  public String versionPrefix() {
    return versionPrefix;
  }

  /** The name of the servers for {@code topology.sh install}: {@code mysql}, {@code mariadb-11.8}. */
  String installName() {
    String name = Topology.cliName(flavor);
    return scriptVersion == null ? name : name + "-" + scriptVersion;
  }

  /** The arguments of {@code topology.sh up} that choose these servers. */
  List<String> upArguments() {
    List<String> args = new ArrayList<>(List.of("--flavor", Topology.cliName(flavor)));
    if (scriptVersion != null) {
      args.addAll(List.of("--version", scriptVersion));
    }
    return List.copyOf(args);
  }

  /** A short name for logs and test reports, e.g. {@code mariadb-11.8}. */
  @Override
  public String toString() {
    return installName();
  }
}
