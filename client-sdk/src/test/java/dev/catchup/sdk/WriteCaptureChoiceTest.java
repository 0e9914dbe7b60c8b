package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class WriteCaptureChoiceTest {
  private static final WriteCapture REPLIES = (c, s) -> null;
  private static final WriteCapture QUERY = (c, s) -> null;

  /** Answers probes from a script: a string is what the server said, an exception a failure. */
  private static final class ScriptedProbe implements WriteCaptureChoice.Probe {
    final Deque<Object> answers = new ArrayDeque<>();
    int asked;

    @Override
    public String trackingProblem(Connection c) throws SQLException {
      asked++;
      Object a = answers.pop();
      if (a instanceof SQLException e) {
        throw e;
      }
      return a == NULL ? null : (String) a;
    }
  }

  private static final Object NULL = new Object();

  /** A distinct connection object; the scripted probe never calls it. */
  private static Connection connection() {
    return (Connection) java.lang.reflect.Proxy.newProxyInstance(
        WriteCaptureChoiceTest.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, m, args) -> {
          throw new UnsupportedOperationException(m.getName());
        });
  }

  @Test
  void forBorrow_probeFailsThenServerTracks_queryForThatBorrowThenRepliesForGood()
      throws SQLException {
    ScriptedProbe probe = new ScriptedProbe();
    probe.answers.add(new SQLException("connection reset", "08S01"));
    probe.answers.add(NULL);
    WriteCaptureChoice choice = new WriteCaptureChoice(probe, REPLIES, QUERY);

    Connection first = connection();
    assertThat(choice.forBorrow(first)).as("undecided: the always-correct query").isSameAs(QUERY);
    assertThat(choice.chosen()).as("a failed probe decides nothing").isNull();
    assertThat(choice.forBorrow(first)).as("the same borrow is not probed twice").isSameAs(QUERY);
    assertThat(choice.forBorrow(connection())).isSameAs(REPLIES);
    assertThat(choice.forBorrow(connection())).isSameAs(REPLIES);
    assertThat(probe.asked).as("asked until answered, then never again").isEqualTo(2);
  }

  @Test
  void forBorrow_serverSaysNoTracking_queryForGoodWithoutAskingAgain() throws SQLException {
    ScriptedProbe probe = new ScriptedProbe();
    probe.answers.add("@@session.session_track_gtids is 'OFF'");
    WriteCaptureChoice choice = new WriteCaptureChoice(probe, REPLIES, QUERY);

    assertThat(choice.forBorrow(null)).isSameAs(QUERY);
    assertThat(choice.forBorrow(null)).isSameAs(QUERY);
    assertThat(choice.chosen()).isSameAs(QUERY);
    assertThat(probe.asked).isEqualTo(1);
  }

  /** A pooled connection as far as the choice sees it: open or closed, and whether it was closed. */
  private static final class Pooled {
    boolean closed;
    int closes;
    final Connection connection = (Connection) java.lang.reflect.Proxy.newProxyInstance(
        WriteCaptureChoiceTest.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "isClosed" -> closed;
          case "close" -> {
            closed = true;
            closes++;
            yield null;
          }
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  @Test
  void borrow_probeBreaksTheConnection_anotherIsTakenAndTheBrokenOneGoesBack() throws Exception {
    Pooled broken = new Pooled();
    Pooled good = new Pooled();
    Deque<Pooled> pool = new ArrayDeque<>(java.util.List.of(broken, good));
    WriteCaptureChoice choice = new WriteCaptureChoice(c -> {
      broken.closed = true; // the pool evicts a connection that failed under the probe
      throw new SQLException("connection reset", "08S01");
    }, REPLIES, QUERY);

    Connection c = choice.borrow(() -> pool.pop().connection);

    assertThat(c).isSameAs(good.connection);
    assertThat(broken.closes).as("the broken one's borrow is handed back").isEqualTo(1);
    assertThat(choice.chosen()).as("a failed probe decides nothing").isNull();
  }

  @Test
  void borrow_afterTheChoice_neitherProbesNorChecksTheConnection() throws Exception {
    ScriptedProbe probe = new ScriptedProbe();
    probe.answers.add(NULL);
    WriteCaptureChoice choice = new WriteCaptureChoice(probe, REPLIES, QUERY);
    choice.forBorrow(connection());

    Connection c = connection(); // answers no call at all
    assertThat(choice.borrow(() -> c)).isSameAs(c);
    assertThat(probe.asked).isEqualTo(1);
  }

  /**
   * Issue 14: a primary older than Catchup's minimum fails the borrow with the probe's message, the
   * connection goes back, nothing is decided; once the server is upgraded the next borrow proceeds.
   */
  @Test
  void borrow_unsupportedServer_failsWithItsMessage_andAsksAgainNextTime() throws Exception {
    String refusal = "the primary runs MySQL 8.0.36, older than Catchup's minimum MySQL 8.2.0";
    ScriptedProbe probe = new ScriptedProbe();
    probe.answers.add(new SQLFeatureNotSupportedException(refusal, "0A000"));
    probe.answers.add(new SQLFeatureNotSupportedException(refusal, "0A000"));
    probe.answers.add(NULL);
    WriteCaptureChoice choice = new WriteCaptureChoice(probe, REPLIES, QUERY);
    Pooled old = new Pooled();

    SQLException e = org.junit.jupiter.api.Assertions.assertThrows(
        SQLFeatureNotSupportedException.class, () -> choice.borrow(() -> old.connection));
    assertThat(e.getMessage()).isEqualTo(refusal);
    assertThat(old.closes).as("the refused borrow is handed back").isEqualTo(1);
    assertThat(choice.chosen()).as("a refusal decides nothing").isNull();
    Pooled again = new Pooled();
    org.junit.jupiter.api.Assertions.assertThrows(SQLFeatureNotSupportedException.class,
        () -> choice.start(again.connection, null));
    assertThat(again.closes).isEqualTo(1);

    Pooled upgraded = new Pooled();
    assertThat(choice.borrow(() -> upgraded.connection)).isSameAs(upgraded.connection);
    assertThat(choice.chosen()).isSameAs(REPLIES);
    assertThat(probe.asked).isEqualTo(3);
  }

  @Test
  void start_captureFails_connectionGoesBackToThePool() {
    ScriptedProbe probe = new ScriptedProbe();
    probe.answers.add(NULL);
    WriteCapture failing = (c, s) -> {
      throw new SQLException("listener not registered");
    };
    WriteCaptureChoice choice = new WriteCaptureChoice(probe, failing, QUERY);
    Pooled pooled = new Pooled();

    var e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
        () -> choice.start(pooled.connection, null));

    assertThat(e.getMessage()).isEqualTo("listener not registered");
    assertThat(pooled.closes).as("no primary connection is left whose writes go unrecorded")
        .isEqualTo(1);
  }
}
