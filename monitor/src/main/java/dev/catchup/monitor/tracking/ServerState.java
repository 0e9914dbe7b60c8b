package dev.catchup.monitor.tracking;

/** How far what the monitor says of a server can be trusted right now. */
public enum ServerState {
  /** Confirmed recently and the binlog feed is connected. */
  UP,
  /**
   * The feed is disconnected or the last confirmation is older than the configured bound: what
   * the server has applied is not known, and it must not be treated as caught up.
   */
  UNKNOWN
}
