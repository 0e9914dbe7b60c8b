package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The routed connection's bookkeeping against a fake {@link ConnectionSource}: when it borrows,
 * what it replays, what every commit and close tells the write recording. No server: routing and
 * recording themselves are covered by the integration tests.
 */
class RoutedConnectionTest {
  private final List<String> events = new ArrayList<>();
  private final Session session = new Session(null, CatchupMetrics.NONE,
      new SessionState(Flavor.MYSQL, ReadOptions.DEFAULTS));

  /** Lends one fake physical connection, on a replica for reads and on the primary otherwise. */
  private final class FakeSource implements ConnectionSource {
    @Override
    public Connection open(Session s, boolean readOnly, ReadOptions options) {
      return new RoutedConnection(this, s, readOnly, options);
    }

    @Override
    public Borrowed borrow(Session s, boolean readOnly, ReadOptions options) {
      events.add(readOnly ? "borrow replica" : "borrow primary");
      WriteCapture.Recording recording = readOnly ? WriteCapture.Recording.NONE
          : new WriteCapture.Recording() {
            @Override
            public void afterCommit() {
              events.add("recorded commit");
            }

            @Override
            public void end() {
              events.add("recording ended");
            }
          };
      return new Borrowed(physical(), readOnly ? "r1" : null, recording);
    }
  }

  /** A physical connection that logs the calls that matter here and hands out bare statements. */
  private Connection physical() {
    boolean[] autoCommit = {true};
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, m, args) -> switch (m.getName()) {
          case "getAutoCommit" -> autoCommit[0];
          case "setAutoCommit" -> {
            autoCommit[0] = (Boolean) args[0];
            events.add("autocommit " + args[0]);
            yield null;
          }
          case "createStatement" -> Proxy.newProxyInstance(getClass().getClassLoader(),
              new Class<?>[] {Statement.class}, (p, sm, sa) -> null);
          case "commit", "rollback", "close" -> {
            events.add(m.getName());
            yield null;
          }
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  private Connection open(boolean readOnly) throws SQLException {
    return new FakeSource().open(session, readOnly, ReadOptions.DEFAULTS);
  }

  @Test
  void open_noStatementRuns_borrowsNothing() throws SQLException {
    Connection c = open(false);
    c.setAutoCommit(false);
    c.commit();
    c.close();

    assertThat(events).isEmpty();
  }

  @Test
  void transaction_onPrimary_settingsReplayedAndEveryCommitRecordedBeforeTheReturn()
      throws SQLException {
    try (Connection c = open(false)) {
      c.setAutoCommit(false);
      c.createStatement();
      c.commit();
      c.createStatement();
      c.rollback();
    }

    assertThat(events).containsExactly("borrow primary", "autocommit false", "commit",
        "recorded commit", "rollback", "recorded commit", "recording ended", "close");
  }

  @Test
  void statement_onReplica_recordsNothing() throws SQLException {
    try (Connection c = open(true)) {
      c.createStatement();
      c.commit();
    }

    assertThat(events).containsExactly("borrow replica", "commit", "close");
  }

  @Test
  void setReadOnly_insideATransactionThatRan_refusedAndTheConnectionKept() throws SQLException {
    try (Connection c = open(false)) {
      c.setAutoCommit(false);
      Statement s = c.createStatement();

      var e = assertThrows(SQLException.class, () -> c.setReadOnly(true));

      assertThat(e.getMessage()).isEqualTo("cannot change read-only inside a transaction that "
          + "already ran statements; commit or roll back first");
      assertThat(e.getSQLState()).isEqualTo("25000");
      assertThat(s.getConnection()).as("statements lead back to the routed connection").isSameAs(c);
      assertThat(events).containsExactly("borrow primary", "autocommit false");
    }
  }

  @Test
  void setReadOnly_betweenTransactions_returnsThePrimaryAndTheNextStatementGoesToAReplica()
      throws SQLException {
    try (Connection c = open(false)) {
      c.createStatement();
      c.setReadOnly(true);
      c.createStatement();
    }

    assertThat(events).containsExactly("borrow primary", "recording ended", "close",
        "borrow replica", "close");
  }
}
