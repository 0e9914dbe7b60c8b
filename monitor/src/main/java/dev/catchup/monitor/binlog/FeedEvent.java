package dev.catchup.monitor.binlog;

import java.util.UUID;

/** What the binlog callback hands the tracker thread: small values, nothing else. */
public sealed interface FeedEvent {
  /** A MySQL transaction's GTID event with its commit timestamps (microseconds since the epoch). */
  record MysqlGtid(UUID uuid, long gno, long originalCommitMicros, long immediateCommitMicros)
      implements FeedEvent {}

  /** A MariaDB transaction's GTID event; its header timestamp has whole-second precision. */
  record MariaDbGtid(long domain, long server, long sequence, long headerMillis) implements FeedEvent {}

  /**
   * Any other event that may end or carry a transaction the stream cannot decode (a MySQL 8.4+
   * tagged GTID arrives as an UNKNOWN event): worth a confirmation.
   */
  record Activity(boolean undecodedTransaction) implements FeedEvent {}

  /** The server said it is alive but has nothing new. */
  record Heartbeat() implements FeedEvent {}

  /** The feed connected, or lost its connection. */
  record Connection(FeedState state, String error) implements FeedEvent {}
}
