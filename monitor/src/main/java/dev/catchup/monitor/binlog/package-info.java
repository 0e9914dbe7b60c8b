/**
 * Tailing one server's binlog: {@link dev.catchup.monitor.binlog.BinlogFeed} follows the stream
 * from the server's current position, resumes after a disconnect (or from the current position
 * when its binlog was purged), and only turns events into small
 * {@link dev.catchup.monitor.binlog.FeedEvent} values on the tracker's queue: GTIDs with their
 * commit times, activity, heartbeats and the connection's {@link
 * dev.catchup.monitor.binlog.FeedState}. What the server has made visible is decided elsewhere
 * ({@code tracking}), by reading it.
 */
package dev.catchup.monitor.binlog;
