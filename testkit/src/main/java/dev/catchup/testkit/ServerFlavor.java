package dev.catchup.testkit;

/** Which database server a topology runs. */
public enum ServerFlavor {
  MYSQL("mysql"),
  MARIADB("mariadb");

  private final String cliName;

  ServerFlavor(String cliName) {
    this.cliName = cliName;
  }

  /** The name {@code scripts/topology.sh} uses for this flavor. */
  public String cliName() {
    return cliName;
  }
}
