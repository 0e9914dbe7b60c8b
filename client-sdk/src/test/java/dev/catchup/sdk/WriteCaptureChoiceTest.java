package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
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
  void forBorrow_probeFailsThenServerTracks_queryForThatBorrowThenRepliesForGood() {
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
  void forBorrow_serverSaysNoTracking_queryForGoodWithoutAskingAgain() {
    ScriptedProbe probe = new ScriptedProbe();
    probe.answers.add("@@session.session_track_gtids is 'OFF'");
    WriteCaptureChoice choice = new WriteCaptureChoice(probe, REPLIES, QUERY);

    assertThat(choice.forBorrow(null)).isSameAs(QUERY);
    assertThat(choice.forBorrow(null)).isSameAs(QUERY);
    assertThat(choice.chosen()).isSameAs(QUERY);
    assertThat(probe.asked).isEqualTo(1);
  }
}
