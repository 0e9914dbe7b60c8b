package dev.catchup.sdk;

/**
 * What a read must see. The safety/performance switch, per data source, session or read.
 *
 * <p>A session's token ({@link Session#token()}) is its own writes plus every token it
 * {@linkplain Session#observe(String) observed}. An observed token names writes the same user (or
 * request, or job) made through another service, so the default level honours it: a read never
 * misses them, with default settings, whichever service made them.
 */
public enum Consistency {
  /** Any replica, as it is: fastest, may be stale. Ignores the session's token. */
  EVENTUAL,
  /**
   * The session's whole token: every write this session made and every token it observed from
   * elsewhere (another service's writes, passed in a header or a job payload). The default.
   */
  READ_YOUR_WRITES,
  /**
   * The same as {@link #READ_YOUR_WRITES}, which now honours observed tokens too.
   *
   * @deprecated kept so that code written when only this level honoured observed tokens keeps
   *     compiling and behaving the same; use {@link #READ_YOUR_WRITES}.
   */
  @Deprecated
  CAUSAL,
  /**
   * Everything the primary had committed when the read started: one query on the primary for its
   * executed set, then a replica that has it.
   */
  STRONG,
  /** Read on the primary. */
  PRIMARY
}
