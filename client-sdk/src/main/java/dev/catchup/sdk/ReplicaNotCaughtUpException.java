package dev.catchup.sdk;

import java.sql.SQLTransientException;
import java.time.Duration;

/**
 * A read could not be served by a replica that has its token, and its policy forbids the primary.
 * Transient: the same read may succeed once the replica catches up.
 */
public final class ReplicaNotCaughtUpException extends SQLTransientException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_MISSING_CHARS = 512;

  private final String replica;
  private final String missing;
  private final Duration waited;

  ReplicaNotCaughtUpException(String replica, String missing, Duration waited, String why) {
    super("replica " + replica + " has not applied " + abbreviate(missing) + " after waiting "
        + waited.toMillis() + " ms" + (why == null ? "" : " (" + why + ")"), "HY000");
    this.replica = replica;
    this.missing = missing;
    this.waited = waited;
  }

  /** Name of the replica the read was meant for ({@code "none"} when none was reachable). */
  public String replica() {
    return replica;
  }

  /** The GTIDs of the token the replica still lacked, in server text form. */
  public String missingGtids() {
    return missing;
  }

  /** How long the read waited before giving up. */
  public Duration waited() {
    return waited;
  }

  private static String abbreviate(String s) {
    String flat = s.replace("\n", "");
    return flat.length() <= MAX_MISSING_CHARS ? flat : flat.substring(0, MAX_MISSING_CHARS) + "...";
  }
}
