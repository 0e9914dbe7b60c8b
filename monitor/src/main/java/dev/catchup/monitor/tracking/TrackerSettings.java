package dev.catchup.monitor.tracking;

import java.time.Duration;

/**
 * Timing of every tracker.
 *
 * @param reconcileInterval how often each server is confirmed (and replication threads read) when
 *     no binlog event asks for it sooner; also the heartbeat interval asked of the server
 * @param reconnectBackoffMin first wait before reconnecting a lost binlog feed
 * @param reconnectBackoffMax cap of the exponential back-off
 * @param heartbeatInterval null for no heartbeat; else how often the monitor writes the heartbeat
 *     row on the primary ({@code catchup_monitor.heartbeat}) that gives sub-second lag on any flavor
 */
public record TrackerSettings(Duration reconcileInterval, Duration reconnectBackoffMin,
    Duration reconnectBackoffMax, Duration heartbeatInterval) {
  public static final TrackerSettings DEFAULTS = new TrackerSettings(Duration.ofMillis(500),
      Duration.ofMillis(200), Duration.ofSeconds(10), null);

  public TrackerSettings {
    check("reconcileInterval", reconcileInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
    check("reconnectBackoffMin", reconnectBackoffMin, Duration.ofMillis(10), Duration.ofMinutes(1));
    check("reconnectBackoffMax", reconnectBackoffMax, reconnectBackoffMin, Duration.ofMinutes(10));
    if (heartbeatInterval != null) {
      check("heartbeatInterval", heartbeatInterval, Duration.ofMillis(50), Duration.ofMinutes(1));
    }
  }

  /** Without the heartbeat row, or with it at {@code interval}. */
  public TrackerSettings withHeartbeat(Duration interval) {
    return new TrackerSettings(reconcileInterval, reconnectBackoffMin, reconnectBackoffMax, interval);
  }

  private static void check(String name, Duration d, Duration min, Duration max) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + d);
    }
  }
}
