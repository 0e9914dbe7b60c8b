package dev.catchup.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a read is served: its consistency, its policy when no replica has the token yet, and how long
 * it may wait. Immutable; {@code with*} methods return changed copies.
 *
 * @param consistency what the read must see
 * @param policy what it does when no replica has that yet
 * @param maxWait the longest it waits for a replica, between 0 and {@link #MAX_WAIT_LIMIT}
 */
public record ReadOptions(Consistency consistency, ReadPolicy policy, Duration maxWait) {
  /** Upper bound for {@link #maxWait}: a read that needs longer should not be waiting. */
  public static final Duration MAX_WAIT_LIMIT = Duration.ofHours(1);

  /**
   * The library's defaults: {@code READ_YOUR_WRITES}, {@code WAIT_THEN_FALLBACK}, up to 5 seconds.
   * Not a data source's configured options: derive per-read options from
   * {@link CatchupDataSource#defaultReadOptions()} or a {@link Session#readOptions()} to keep them.
   */
  public static final ReadOptions DEFAULTS =
      new ReadOptions(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT_THEN_FALLBACK, Duration.ofSeconds(5));

  /** Validates every field; the message names the field, its value and the rule. */
  public ReadOptions {
    Objects.requireNonNull(consistency, "consistency must not be null");
    Objects.requireNonNull(policy, "policy must not be null");
    Objects.requireNonNull(maxWait, "maxWait must not be null");
    if (maxWait.isNegative() || maxWait.compareTo(MAX_WAIT_LIMIT) > 0) {
      throw new IllegalArgumentException("maxWait must be between PT0S and " + MAX_WAIT_LIMIT
          + ", was " + maxWait);
    }
  }

  public ReadOptions withConsistency(Consistency c) {
    return new ReadOptions(c, policy, maxWait);
  }

  public ReadOptions withPolicy(ReadPolicy p) {
    return new ReadOptions(consistency, p, maxWait);
  }

  public ReadOptions withMaxWait(Duration d) {
    return new ReadOptions(consistency, policy, d);
  }
}
