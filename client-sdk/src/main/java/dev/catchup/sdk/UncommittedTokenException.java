package dev.catchup.sdk;

import java.sql.SQLNonTransientException;

/**
 * A read's token names transactions the primary has not committed, so no replica will ever have
 * them: a token forged or garbled on its way, or taken from another database cluster. The read is
 * refused at once instead of waiting {@code maxWait} and then loading the primary. Not transient:
 * the same token fails again. Branch on {@link #SQL_STATE} (or {@code instanceof}); the request that
 * carried the token is the one to reject (an HTTP 400, say).
 */
public final class UncommittedTokenException extends SQLNonTransientException {
  private static final long serialVersionUID = 1L;
  /**
   * The SQLState of this exception: class 22 (data exception), implementation-defined subclass
   * {@code Z01}, "token names transactions the primary has not committed".
   */
  public static final String SQL_STATE = "22Z01";
  private static final int MAX_MISSING_CHARS = 256;

  private final String missing;

  UncommittedTokenException(String missing) {
    super("the read's token names transactions the primary has not committed: "
        + abbreviate(missing) + " (a forged or garbled token, or one from another cluster); "
        + "refused without waiting", SQL_STATE);
    this.missing = missing;
  }

  /** The GTIDs of the token that the primary lacks, in server text form (not abbreviated). */
  public String missingGtids() {
    return missing;
  }

  private static String abbreviate(String s) {
    String flat = s.replace("\n", "");
    return flat.length() <= MAX_MISSING_CHARS ? flat : flat.substring(0, MAX_MISSING_CHARS) + "...";
  }
}
