package dev.catchup.sdk;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records writes by asking the primary for the GTID after each commit and each autocommit use, for
 * primaries that do not report GTIDs in their replies: one extra query each (reported through
 * {@link CatchupMetrics#extraQuery} as {@code "primary"}). A GTID that cannot be read is never
 * dropped: the session's next read syncs with the primary's executed set instead.
 */
final class QueryCapture implements WriteCapture {
  private static final Logger log = LoggerFactory.getLogger(QueryCapture.class);

  private final ServerWait serverWait;
  private final CatchupMetrics metrics;

  QueryCapture(ServerWait serverWait, CatchupMetrics metrics) {
    this.serverWait = serverWait;
    this.metrics = metrics;
  }

  @Override
  public Recording start(Connection physical, Session session) {
    return new Recording() {
      @Override
      public void afterCommit() {
        record(physical, session);
      }

      @Override
      public void end() {
        try {
          if (physical.isClosed() || !physical.getAutoCommit()) {
            return; // uncommitted work is rolled back by the pool; commits were recorded already
          }
        } catch (SQLException e) {
          session.markUnknownWrite();
          return;
        }
        record(physical, session);
      }
    };
  }

  private void record(Connection c, Session session) {
    metrics.extraQuery("primary");
    try {
      session.recordWrite(serverWait.lastWritten(c));
    } catch (SQLException | RuntimeException e) {
      session.markUnknownWrite();
      log.debug("could not read the GTID of a write ({}); the next read syncs with the primary",
          e.getMessage());
    }
  }
}
