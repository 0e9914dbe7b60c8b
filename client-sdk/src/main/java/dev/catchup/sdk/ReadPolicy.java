package dev.catchup.sdk;

/**
 * What a read does when no replica has its token yet. Never serves a stale read: every policy either
 * reads somewhere that has the token or throws {@link ReplicaNotCaughtUpException}.
 */
public enum ReadPolicy {
  /** Wait on a replica up to the deadline; past it, throw. */
  WAIT,
  /** Read on the primary at once. */
  FALLBACK_TO_PRIMARY,
  /** Wait on a replica up to the deadline; past it, read on the primary (the default). */
  WAIT_THEN_FALLBACK,
  /** Throw at once: callers that would rather report an error than wait or load the primary. */
  FAIL
}
