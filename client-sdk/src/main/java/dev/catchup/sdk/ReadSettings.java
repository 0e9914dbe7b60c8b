package dev.catchup.sdk;

import java.util.Objects;

/**
 * How reads behave unless a session or a read says otherwise ({@code defaults}), and how many of
 * them may fall back to the primary per second ({@code maxPrimaryFallbacksPerSecond}, 0 for no
 * cap). Every instance is valid: the constructor checks each value.
 */
record ReadSettings(ReadOptions defaults, double maxPrimaryFallbacksPerSecond) {

  static final ReadSettings DEFAULTS = new ReadSettings(ReadOptions.DEFAULTS, 0);

  ReadSettings {
    Objects.requireNonNull(defaults, "readOptions must not be null");
    if (!(maxPrimaryFallbacksPerSecond >= 0) || maxPrimaryFallbacksPerSecond > 1_000_000) {
      throw new IllegalArgumentException("maxPrimaryFallbacksPerSecond must be between 0 (no cap) "
          + "and 1000000, was " + maxPrimaryFallbacksPerSecond);
    }
  }

  ReadSettings withDefaults(ReadOptions defaults) {
    return new ReadSettings(defaults, maxPrimaryFallbacksPerSecond);
  }

  ReadSettings withMaxPrimaryFallbacksPerSecond(double perSecond) {
    return new ReadSettings(defaults, perSecond);
  }
}
