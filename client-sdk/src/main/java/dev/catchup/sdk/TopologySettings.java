package dev.catchup.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How the data source follows the topology without a monitor: whether the primary also serves
 * reads ({@code readsOnPrimary}), and how often every server is asked its role
 * ({@code checkInterval}; also whenever a write finds the primary gone or read-only). Every
 * instance is valid: the constructor checks each value.
 */
record TopologySettings(boolean readsOnPrimary, Duration checkInterval) {

  private static final Duration SHORTEST = Duration.ofMillis(100);
  private static final Duration LONGEST = Duration.ofHours(1);

  static final TopologySettings DEFAULTS = new TopologySettings(false, Duration.ofSeconds(5));

  TopologySettings {
    Objects.requireNonNull(checkInterval, "topologyCheckInterval must not be null");
    if (checkInterval.compareTo(SHORTEST) < 0 || checkInterval.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("topologyCheckInterval must be between PT0.1S and PT1H, "
          + "was " + checkInterval);
    }
  }

  TopologySettings withReadsOnPrimary(boolean value) {
    return new TopologySettings(value, checkInterval);
  }

  TopologySettings withCheckInterval(Duration interval) {
    return new TopologySettings(readsOnPrimary, interval);
  }
}
