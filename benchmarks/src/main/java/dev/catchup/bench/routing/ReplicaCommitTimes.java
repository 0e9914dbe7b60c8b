package dev.catchup.bench.routing;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.BinlogScan;
import dev.catchup.dialect.Dialect;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * A second, exact reference for when a write reached a MySQL replica: the replica's own commit
 * time ({@code immediate_commit_timestamp}, microseconds of the system clock the benchmark shares)
 * of the transaction that wrote a given {@code (id, value)}, read from the replica's binlog after a
 * run ({@code log_replica_updates} is on), matching the row images themselves. It needs no thread
 * to be scheduled at the right moment, unlike the poller, but the commit is written to the binlog a
 * little before readers can see it, so it is slightly early where the poller is late. MySQL only:
 * MariaDB's binlog carries whole seconds.
 */
final class ReplicaCommitTimes {
  private static final List<EventType> SKIPPED = List.of(EventType.DELETE_ROWS,
      EventType.EXT_DELETE_ROWS, EventType.QUERY, EventType.ROWS_QUERY, EventType.TRANSACTION_PAYLOAD);

  /** A position in a binary log. */
  record Position(String file, long position) {}

  /** A row value: the write it came from. */
  record Row(long id, long value) {}

  private ReplicaCommitTimes() {}

  /** The server's current binary log position (this harness runs on MySQL only). */
  static Position position(Connection c) throws SQLException {
    String sql = Dialect.MYSQL.binlogStatusQuery();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException(sql + " returned nothing: binary logging is off");
      }
      return new Position(rs.getString(1), rs.getLong(2));
    }
  }

  /**
   * Reads {@code server}'s binlog from {@code from} until every row of {@code wanted} has been seen
   * in a write or update of the benchmark table.
   *
   * @return the replica's commit time in microseconds since the epoch, per row
   * @throws TimeoutException if they are not all seen within {@code timeout}
   */
  static Map<Row, Long> read(Topology t, Server server, Position from, Set<Row> wanted,
      Duration timeout) throws IOException, InterruptedException, TimeoutException {
    Map<Row, Long> times = new ConcurrentHashMap<>();
    if (wanted.isEmpty()) {
      return Map.of();
    }
    Map<Long, Boolean> ourTable = new ConcurrentHashMap<>();
    long[] commitMicros = {-1};
    // One listener thread: the GTID event's time applies to the rows events that follow it.
    boolean all = BinlogScan.read(t, server, from.file(), from.position(), 0x7E00_0000L, SKIPPED,
        timeout, data -> {
          if (data instanceof GtidEventData g) {
            commitMicros[0] = g.getImmediateCommitTimestamp();
          } else if (data instanceof TableMapEventData tm) {
            ourTable.put(tm.getTableId(), BenchTable.TABLE.equals(tm.getTable()));
          } else if (data instanceof WriteRowsEventData w && ourTable.getOrDefault(w.getTableId(), false)) {
            w.getRows().forEach(after -> found(after, commitMicros[0], wanted, times));
          } else if (data instanceof UpdateRowsEventData u && ourTable.getOrDefault(u.getTableId(), false)) {
            u.getRows().forEach(row -> found(row.getValue(), commitMicros[0], wanted, times));
          }
          return times.size() == wanted.size();
        });
    if (!all) {
      throw new TimeoutException("found " + times.size() + " of " + wanted.size() + " rows in "
          + server.name() + "'s binlog within " + timeout);
    }
    return Map.copyOf(times);
  }

  private static void found(Serializable[] after, long micros, Set<Row> wanted, Map<Row, Long> times) {
    if (after.length < 2 || !(after[0] instanceof Number id) || !(after[1] instanceof Number v)) {
      return;
    }
    Row row = new Row(id.longValue(), v.longValue());
    if (wanted.contains(row)) {
      times.putIfAbsent(row, micros);
    }
  }
}
