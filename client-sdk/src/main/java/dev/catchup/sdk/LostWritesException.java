package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.sql.SQLNonTransientException;

/**
 * A read's token names writes that were lost in a failover: the old primary committed them, no
 * surviving server received them, and the server promoted in its place never will (it replicates
 * from nobody). No server can serve the read without it being stale, so it fails at once, and
 * again for every read of a session that still requires them, until the application decides:
 * {@link Session#acceptLoss(LostWritesException)} drops exactly these GTIDs from the session's
 * token (the user's last writes are gone: show it, redo them, or carry on without them), or the
 * session is abandoned. Writes keep working for the session either way. Not transient: waiting
 * does not bring the writes back.
 *
 * <p>Branch on {@link #SQL_STATE} (or {@code instanceof}).
 */
public final class LostWritesException extends SQLNonTransientException {
  private static final long serialVersionUID = 1L;
  /**
   * The SQLState of this exception: class 22 (data exception), implementation-defined subclass
   * {@code Z02}, "token names writes lost in a failover" (beside
   * {@link UncommittedTokenException#SQL_STATE} {@code 22Z01}).
   */
  public static final String SQL_STATE = "22Z02";
  private static final int MAX_CHARS = 256;

  private final transient GtidSet lost;
  private final transient GtidSet retained;
  private final String primary;

  LostWritesException(GtidSet lost, GtidSet retained, String primary) {
    super("the read's token names writes lost in a failover: " + abbreviate(lost.toString())
        + " were committed by a former primary and the primary " + primary + " does not have "
        + "them, nor will any server; refused without waiting (Session.acceptLoss drops them "
        + "from the session's token)", SQL_STATE);
    this.lost = lost;
    this.retained = retained;
    this.primary = primary;
  }

  /** The lost GTIDs of the token (MariaDB: for each domain, the newest lost one). */
  public GtidSet lostGtids() {
    return lost;
  }

  /** The configured name of the primary that lacks them. */
  public String primary() {
    return primary;
  }

  /** What a session accepting the loss keeps requiring in place of the lost GTIDs. */
  GtidSet retained() {
    return retained;
  }

  private static String abbreviate(String s) {
    String flat = s.replace("\n", "");
    return flat.length() <= MAX_CHARS ? flat : flat.substring(0, MAX_CHARS) + "...";
  }
}
