package dev.catchup.monitor.binlog;

/** The binlog connection of a tracker. */
public enum FeedState {
  CONNECTING,
  CONNECTED,
  DISCONNECTED
}
