package dev.catchup.sdk;

/** What a read must see. The safety/performance switch, per data source, session or read. */
public enum Consistency {
  /** Any replica, as it is: fastest, may be stale. */
  EVENTUAL,
  /** Every write this session made (the default). */
  READ_YOUR_WRITES,
  /**
   * Every write this session made and every token it received from elsewhere (another service's
   * writes, passed in a header or a job payload).
   */
  CAUSAL,
  /**
   * Everything the primary had committed when the read started: one query on the primary for its
   * executed set, then a replica that has it.
   */
  STRONG,
  /** Read on the primary. */
  PRIMARY
}
