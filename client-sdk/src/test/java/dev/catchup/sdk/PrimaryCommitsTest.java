package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Refusing tokens the primary never committed: when it asks the primary, and what it says. */
class PrimaryCommitsTest {
  private static final String P = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String X = "0badc0de-0000-4000-8000-000000000001";

  private static GtidSet mysql(String text) {
    return GtidSet.parse(Flavor.MYSQL, text);
  }

  /** A fake primary: its executed set, and how often it was asked. */
  private static final class FakePrimary implements PrimaryCommits.Source {
    final AtomicReference<GtidSet> executed = new AtomicReference<>();
    final AtomicInteger queries = new AtomicInteger();
    volatile CountDownLatch gate;
    volatile boolean down;

    @Override
    public GtidSet executed() throws SQLException {
      queries.incrementAndGet();
      if (gate != null) {
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (down) {
        throw new SQLException("Communications link failure", "08S01");
      }
      return executed.get();
    }
  }

  @Test
  void verify_tokenWithinWhatIsKnown_asksNothing() throws SQLException {
    FakePrimary primary = new FakePrimary();
    PrimaryCommits commits = new PrimaryCommits(primary, () -> mysql(P + ":1-100"));
    commits.verify(mysql(P + ":1-100"));
    assertThat(primary.queries.get()).isZero();
  }

  @Test
  void verify_tokenBeyondWhatIsKnown_asksOnce_andPassesWhenThePrimaryHasIt() throws SQLException {
    FakePrimary primary = new FakePrimary();
    primary.executed.set(mysql(P + ":1-120"));
    PrimaryCommits commits = new PrimaryCommits(primary, () -> mysql(P + ":1-100"));
    commits.verify(mysql(P + ":1-110"));
    commits.verify(mysql(P + ":1-115"));
    assertThat(primary.queries.get()).as("the second is within what the first query learned")
        .isEqualTo(1);
  }

  @Test
  void verify_tokenThePrimaryNeverCommitted_throwsNamingWhatItLacks() {
    FakePrimary primary = new FakePrimary();
    primary.executed.set(mysql(P + ":1-120"));
    PrimaryCommits commits = new PrimaryCommits(primary, () -> null);
    var e = assertThrows(UncommittedTokenException.class,
        () -> commits.verify(mysql(P + ":1-9223372036854775806,\n" + X + ":1-5")));
    assertThat(e.getSQLState()).isEqualTo(UncommittedTokenException.SQL_STATE);
    assertThat(e.missingGtids()).isEqualTo(mysql(P + ":121-9223372036854775806,\n" + X + ":1-5")
        .toString());
    assertThat(e.getMessage()).startsWith("the read's token names transactions the primary has not "
        + "committed: " + X + ":1-5," + P + ":121-9223372036854775806");
  }

  @Test
  void verify_mariadbSequenceBeyondThePrimary_throws() {
    FakePrimary primary = new FakePrimary();
    primary.executed.set(GtidSet.parse(Flavor.MARIADB, "0-1-100"));
    PrimaryCommits commits = new PrimaryCommits(primary, () -> null);
    var e = assertThrows(UncommittedTokenException.class,
        () -> commits.verify(GtidSet.parse(Flavor.MARIADB, "0-1-9223372036854775806,77-1-5")));
    assertThat(e.missingGtids()).isEqualTo("0-1-9223372036854775806,77-1-5");
  }

  @Test
  void verify_primaryCannotBeAsked_letsTheReadGoOnUnverified() throws SQLException {
    FakePrimary primary = new FakePrimary();
    primary.down = true;
    PrimaryCommits commits = new PrimaryCommits(primary, () -> null);
    commits.verify(mysql(X + ":1-5"));
    assertThat(primary.queries.get()).isEqualTo(1);
  }

  @Test
  void verify_concurrentReadsBeyondWhatIsKnown_shareQueries() throws Exception {
    FakePrimary primary = new FakePrimary();
    primary.executed.set(mysql(P + ":1-120"));
    primary.gate = new CountDownLatch(1);
    PrimaryCommits commits = new PrimaryCommits(primary, () -> null);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> reads = new ArrayList<>();
      Set<Thread> readers = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < 16; i++) {
        reads.add(pool.submit(() -> {
          readers.add(Thread.currentThread());
          try {
            commits.verify(mysql(X + ":1-5"));
            return false;
          } catch (UncommittedTokenException expected) {
            return true;
          }
        }));
      }
      // Every reader is queued behind the first query (or is it) before the primary answers:
      // all 16 parked, one in the query, the others on the lock. Waiting only for the first query
      // to start let a reader scheduled late on a loaded machine arrive after it and ask again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(readers.size() == 16 && readers.stream()
          .allMatch(t -> t.getState() == Thread.State.WAITING
              || t.getState() == Thread.State.TIMED_WAITING))
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(primary.queries.get()).isEqualTo(1);
      primary.gate.countDown();
      for (Future<Boolean> f : reads) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
      }
      // The first query may predate later arrivals, so they share one more: never one each.
      assertThat(primary.queries.get()).isBetween(1, 2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void verify_afterAChangeOfPrimary_whatTheOldOneHadAndTheMonitorsWordOfItCountForNothing()
      throws SQLException {
    FakePrimary primary = new FakePrimary();
    AtomicReference<Roles> roles = new AtomicReference<>(
        Roles.configured("db1", List.of("db2"), false));
    // The monitor calls db1 primary with P:1-100 (its last word of db1, say before db1 died).
    PrimaryCommits commits = new PrimaryCommits(primary,
        name -> name.equals("db1") ? mysql(P + ":1-100") : null, roles::get);
    commits.learn(mysql(P + ":1-110"));
    commits.verify(mysql(P + ":1-110"));
    assertThat(primary.queries.get()).isZero();
    roles.set(new Roles(1, "db2", List.of(), null)); // the new primary lost P:101-110 with db1
    primary.executed.set(mysql(P + ":1-100," + X + ":1-3"));
    assertThat(commits.snapshot().covers(mysql(P + ":1-50"))).isFalse();
    UncommittedTokenException e = assertThrows(UncommittedTokenException.class,
        () -> commits.verify(mysql(P + ":1-105")));
    assertThat(e.missingGtids()).isEqualTo(P + ":101-105");
    commits.learn(0, mysql(P + ":1-200")); // read before the change: too old to count
    assertThat(commits.known()).isEqualTo(mysql(P + ":1-100," + X + ":1-3"));
  }

  @Test
  void snapshot_monitorCallsTheNewPrimaryPrimary_itsWordOfThatServerCounts() {
    FakePrimary primary = new FakePrimary();
    AtomicReference<Roles> roles = new AtomicReference<>(new Roles(3, "db2", List.of("db1"), null));
    PrimaryCommits commits = new PrimaryCommits(primary,
        name -> name.equals("db2") ? mysql(P + ":1-100," + X + ":1-7") : null, roles::get);
    assertThat(commits.snapshot().covers(mysql(X + ":1-7"))).isTrue();
    assertThat(commits.snapshot(new Roles(4, "db1", List.of(), null)).fromMonitor())
        .as("the monitor does not call db1 primary").isNull();
    assertThat(primary.queries.get()).isZero();
  }
}
