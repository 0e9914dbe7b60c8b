package dev.catchup.bench.monitor;

import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.ServerSessionStateController;
import dev.catchup.bench.harness.BenchTable;
import dev.catchup.dialect.Dialect;
import dev.catchup.bench.harness.Pace;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes single-row autocommit transactions to the primary at a fixed rate from one connection and
 * learns each one's GTID from the server's reply (session state tracking, as the SDK does), so that
 * no extra round trip sits between the commit and the time recorded for it.
 */
final class PacedBenchmarkWriter implements AutoCloseable {
  /**
   * One committed write.
   *
   * @param gtid its GTID
   * @param sentNanos {@link System#nanoTime()} just before the statement was sent
   * @param replyNanos {@link System#nanoTime()} just after the commit's reply arrived
   */
  record Write(GtidSet gtid, long sentNanos, long replyNanos) {}

  /**
   * A run of writes.
   *
   * @param writes every write, in commit order
   * @param achievedPerSecond writes divided by the time they took
   */
  record Run(List<Write> writes, double achievedPerSecond) {}

  private final Flavor flavor;
  private final Connection connection;
  private final PreparedStatement insert;
  // Connector/J holds listeners weakly: this field keeps ours alive as long as the connection.
  private final ServerSessionStateController.SessionStateChangesListener listener;
  private String lastGtid; // written and read by the writing thread, inside executeUpdate
  private int counter;

  PacedBenchmarkWriter(Topology t) throws SQLException {
    this.flavor = BenchTable.flavor(t);
    this.connection = t.connect(t.primary(), "trackSessionState=true");
    Dialect dialect = Dialect.of(flavor);
    BenchmarkSql.execute(connection, "SET SESSION " + dialect.trackingAssignment());
    this.listener = changes -> {
      for (var change : changes.getSessionStateChangesList()) {
        String gtid = dialect.gtidOf(change.getType(), change.getValues());
        if (gtid != null) {
          lastGtid = gtid;
        }
      }
    };
    connection.unwrap(JdbcConnection.class).getServerSessionStateController()
        .addSessionStateChangesListener(listener);
    this.insert = connection.prepareStatement("INSERT INTO " + BenchmarkSql.TABLE
        + " (writer, v) VALUES (0, ?)");
  }

  /**
   * Writes {@code perSecond} transactions a second for {@code duration}, on a fixed schedule (a
   * write that falls behind is sent at once, without skipping).
   */
  Run run(int perSecond, Duration duration) throws SQLException {
    int count = (int) Math.max(1, perSecond * duration.toMillis() / 1000);
    long interval = 1_000_000_000L / perSecond;
    List<Write> writes = new ArrayList<>(count);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Pace.parkUntil(start + i * interval);
      lastGtid = null;
      insert.setInt(1, ++counter);
      long sent = System.nanoTime();
      insert.executeUpdate();
      long reply = System.nanoTime();
      if (lastGtid == null || lastGtid.isBlank()) {
        throw new IllegalStateException("the server's reply carried no GTID: session state "
            + "tracking is not working on this connection");
      }
      writes.add(new Write(GtidSet.parse(flavor, lastGtid), sent, reply));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Run(writes, count / seconds);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
