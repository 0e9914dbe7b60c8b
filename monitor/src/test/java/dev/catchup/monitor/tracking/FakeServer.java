package dev.catchup.monitor.tracking;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedEvent;
import dev.catchup.monitor.topology.Role;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fake of a tracker's queries, for tests that run its rounds on the test thread (its binlog feed
 * never started): the server's executed set is everything the "binlog" ({@link #queue}) has
 * delivered so far; a read can deliver more events while it runs, as the feed thread does during a
 * real query, or fail, as a server that went away does. Each flavor's events and sets: MySQL's
 * GTID events and {@code uuid:1-n} sets, MariaDB's GTID events and {@code domain-server-seq}
 * positions.
 */
final class FakeServer implements ServerQueries {
  private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
  private static final long DOMAIN = 0;
  private static final long SERVER_ID = 1;

  final BlockingQueue<FeedEvent> queue = new ArrayBlockingQueue<>(10_000);
  final Flavor flavor;
  long committed;
  int executedReads;
  int threadReads;
  int deliverDuringNextRead;
  /** Thrown by the next read of the executed set (which still counts), then cleared. */
  SQLException failNextRead;

  FakeServer(Flavor flavor) {
    this.flavor = flavor;
  }

  /** Commits {@code n} transactions: each is queued as the binlog would show it. */
  void commit(int n) {
    for (int i = 0; i < n; i++) {
      committed++;
      queue.add(flavor == Flavor.MYSQL ? new FeedEvent.MysqlGtid(SOURCE, committed, 0, 0)
          : new FeedEvent.MariaDbGtid(DOMAIN, SERVER_ID, committed, 0));
    }
  }

  /** Every transaction from the first to {@code last}, in the flavor's notation. */
  static GtidSet upTo(Flavor flavor, long last) {
    return flavor == Flavor.MYSQL ? MysqlGtidSet.parse(SOURCE + ":1-" + last)
        : MariaDbGtidSet.of(DOMAIN, SERVER_ID, last);
  }

  @Override
  public GtidSet executed(Role role) throws SQLException {
    executedReads++;
    if (failNextRead != null) {
      SQLException e = failNextRead;
      failNextRead = null;
      throw e;
    }
    GtidSet visible = committed == 0 ? GtidSet.empty(flavor) : upTo(flavor, committed);
    commit(deliverDuringNextRead); // committed after the read's snapshot: not in its answer
    deliverDuringNextRead = 0;
    return visible;
  }

  @Override
  public Duration heartbeatLag() {
    return null;
  }

  @Override
  public void threads(Role role) {
    threadReads++;
  }

  @Override
  public void close() {}
}
