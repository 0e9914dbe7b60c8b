package dev.catchup.sdk;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How writes on a primary connection reach their session: from the server's replies
 * ({@link GtidCapture}, no extra round trip) or by a query after each commit and use
 * ({@link QueryCapture}, when the primary does not report GTIDs). {@link WriteCaptureChoice} picks
 * one per primary.
 */
interface WriteCapture {

  /** Starts recording writes made on {@code physical} into {@code session}, for one borrow. */
  Recording start(Connection physical, Session session) throws SQLException;

  /** One borrow's recording. */
  interface Recording {
    /** Records nothing: for a replica's connection, whose transactions are not the primary's. */
    Recording NONE = new Recording() {
      @Override
      public void afterCommit() {}

      @Override
      public void end() {}
    };

    /** After {@code commit()} or {@code rollback()} on the connection. */
    void afterCommit();

    /** Before the connection goes back to its pool: records what is left and stops recording. */
    void end();
  }
}
