package dev.catchup.monitor.tracking;

/** The binlog connection of a tracker. */
public enum FeedState {
  CONNECTING,
  CONNECTED,
  DISCONNECTED
}
