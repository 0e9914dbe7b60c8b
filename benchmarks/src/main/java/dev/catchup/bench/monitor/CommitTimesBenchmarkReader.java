package dev.catchup.bench.monitor;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import dev.catchup.bench.harness.BinlogScan;
import dev.catchup.bench.monitor.BenchmarkSql.BinlogPosition;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Reads a MySQL server's binlog after the fact for the commit timestamps its GTID events carry:
 * {@code original_commit_timestamp} (the commit on the primary) and
 * {@code immediate_commit_timestamp} (the commit on this server), both microseconds of the system
 * clock. Run after a measurement, so that it costs the measurement nothing.
 */
final class CommitTimesBenchmarkReader {
  private static final List<EventType> SKIPPED = List.of(EventType.WRITE_ROWS,
      EventType.EXT_WRITE_ROWS, EventType.UPDATE_ROWS, EventType.EXT_UPDATE_ROWS,
      EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS, EventType.TABLE_MAP, EventType.QUERY,
      EventType.ROWS_QUERY, EventType.TRANSACTION_PAYLOAD);

  /**
   * Commit times of one transaction, microseconds since the epoch.
   *
   * @param originalMicros commit on the primary
   * @param immediateMicros commit on the server whose binlog was read
   */
  record Times(long originalMicros, long immediateMicros) {}

  private CommitTimesBenchmarkReader() {}

  /**
   * Reads {@code server}'s binlog from {@code from} until every GTID of {@code wanted} (as
   * {@code uuid:gno}) has been seen.
   *
   * @return times per GTID
   * @throws TimeoutException if they are not all seen within {@code timeout}
   */
  static Map<String, Times> read(Topology t, Server server, BinlogPosition from, Set<String> wanted,
      Duration timeout) throws IOException, InterruptedException, TimeoutException {
    Map<String, Times> times = new ConcurrentHashMap<>();
    boolean all = BinlogScan.read(t, server, from.file(), from.position(), 0x7D00_0000L, SKIPPED,
        timeout, data -> {
          if (data instanceof GtidEventData g && g.getMySqlGtid() != null) {
            String key = g.getMySqlGtid().getServerId() + ":" + g.getMySqlGtid().getTransactionId();
            if (wanted.contains(key)) {
              times.put(key, new Times(g.getOriginalCommitTimestamp(), g.getImmediateCommitTimestamp()));
            }
          }
          return times.size() == wanted.size();
        });
    if (!all) {
      throw new TimeoutException("read " + times.size() + " of " + wanted.size() + " GTIDs from "
          + server.name() + "'s binlog within " + timeout);
    }
    return Map.copyOf(times);
  }
}
