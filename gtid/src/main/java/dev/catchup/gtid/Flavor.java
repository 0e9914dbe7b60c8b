package dev.catchup.gtid;

/** The two GTID dialects Catchup speaks. They cannot be mixed in one set. */
public enum Flavor {
  /** MySQL 5.7+ GTIDs: {@code uuid[:tag]:interval} sets, MySQL 8.4+ tags included. */
  MYSQL,
  /** MariaDB 10.0+ GTIDs: {@code domain-server-sequence} positions, one per replication domain. */
  MARIADB
}
