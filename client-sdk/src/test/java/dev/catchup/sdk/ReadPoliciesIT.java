package dev.catchup.sdk;

import static dev.catchup.sdk.SdkFixtures.read;
import static dev.catchup.sdk.SdkFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every consistency level and read policy on real topologies whose replicas apply with a one-second
 * delay, so a read right after a write finds them behind (see {@link #whileBehind}).
 */
class ReadPoliciesIT {
  private static final Logger log = LoggerFactory.getLogger(ReadPoliciesIT.class);
  private static final String TABLE = "policy_rows";
  /** No write shows on a replica sooner than this after its commit. */
  private static final Duration DELAY = Duration.ofSeconds(1);
  /**
   * How long routing may take from a read's first statement to its query on a replica, with room
   * for a short pause: milliseconds in a normal run.
   */
  private static final Duration ROUTING = Duration.ofMillis(200);
  private Topology t;
  private SdkFixtures.CountingMetrics metrics;
  private CatchupDataSource ds;

  void setUp(Flavor flavor) throws SQLException {
    t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, TABLE);
    for (Server r : t.replicas()) {
      t.setDelayAtLeast(r, DELAY);
    }
    metrics = new SdkFixtures.CountingMetrics();
    ds = SdkFixtures.builder(t).metrics(metrics).build();
  }

  @AfterEach
  void tearDown() {
    if (ds != null) {
      ds.close();
    }
  }

  @AfterAll
  static void resetDelays() {
    Topologies.resetDelays();
  }

  /** Writes a fresh row in {@code session}; returns its id. */
  private String writeRow(Session session, long v) throws SQLException {
    String id = UUID.randomUUID().toString();
    try (Connection c = session.getConnection()) {
      write(c, TABLE, id, v);
    }
    return id;
  }

  private long readWith(Session s, ReadOptions o, String id) throws SQLException {
    try (Connection c = s.getReadConnection(o)) {
      return read(c, TABLE, id);
    }
  }

  /** A write, then a read: what the read gave or how it failed, and the session. */
  private record Outcome(Session session, long value, SQLException error) {
    /** What the read gave; fails if it failed. */
    long read() {
      if (error != null) {
        throw new AssertionError("the read failed: " + error, error);
      }
      return value;
    }

    /** How the read failed, which must be with a {@code type}. */
    <T extends SQLException> T failure(Class<T> type) {
      assertThat((Throwable) error).as("the read's failure").isInstanceOf(type);
      return type.cast(error);
    }
  }

  /**
   * A write then a read (or several), returning what the reads gave rather than asserting on it: an
   * attempt whose {@link Window} closed too late is discarded (see {@link #whileBehind}).
   */
  @FunctionalInterface
  private interface Attempt<T> {
    T run(Window w) throws SQLException;
  }

  /**
   * The span of an attempt during which the replicas must not have applied its writes: from its
   * start (or {@link #open}) to its end (or {@link #closeAt}).
   */
  private static final class Window {
    private long start = System.nanoTime();
    private long end;

    /** Starts the window now, for an attempt whose first steps need no replica behind. */
    void open() {
      start = System.nanoTime();
    }

    /** Ends the window {@code ahead} from now, for an attempt whose last steps need none behind. */
    void closeAt(Duration ahead) {
      end = System.nanoTime() + ahead.toNanos();
    }

    Duration length() {
      if (end == 0) {
        end = System.nanoTime();
      }
      return Duration.ofNanos(end - start);
    }
  }

  /** A fresh session writes {@code v}, then reads it with {@code o}, the replicas still behind. */
  private Outcome writeThenRead(long v, ReadOptions o) throws SQLException {
    return whileBehind(w -> {
      Session s = ds.newSession();
      String id = writeRow(s, v);
      try {
        return new Outcome(s, readWith(s, o, id), null);
      } catch (SQLException e) {
        return new Outcome(s, 0, e);
      }
    });
  }

  /**
   * Runs {@code attempt} until its {@link Window} is shorter than {@link #DELAY}: no replica can
   * have applied a write made in it before it closed, which is what the tests here are about. One
   * that took longer (this thread stalled on a loaded machine) shows nothing and is run again with
   * the metrics cleared, at most three times in all; the delay, and the time of a normal run, stay
   * as they are.
   */
  private <T> T whileBehind(Attempt<T> attempt) throws SQLException {
    for (int n = 1; ; n++) {
      metrics.counts.clear();
      Window w = new Window();
      T outcome = attempt.run(w);
      Duration took = w.length();
      if (took.compareTo(DELAY) < 0) {
        return outcome;
      }
      log.info("attempt {} took {} ms, past the delay: the replicas may have applied its writes; "
          + "again", n, took.toMillis());
      // A policy that makes the read itself slow fails here too, saying so through the outcome.
      assertThat(n).as("3 attempts each took longer than the %s delay (the last: %d ms, giving %s):"
          + " a stalled machine, or a read slower than it should be", DELAY, took.toMillis(),
          outcome).isLessThan(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void fail_throwsAtOnce_namingReplicaAndMissingGtids(Flavor flavor) throws SQLException {
    setUp(flavor);
    Outcome read = writeThenRead(7, ReadOptions.DEFAULTS.withPolicy(ReadPolicy.FAIL));
    var e = read.failure(ReplicaNotCaughtUpException.class);
    Session s = read.session();
    assertThat(e.replica()).isIn(ds.replicaNames());
    assertThat(s.writtenToken().gtids().toString()).isNotEmpty();
    assertThat(e.missingGtids()).isEqualTo(s.writtenToken().gtids().toString());
    assertThat(e.getMessage()).contains(e.replica()).contains("has not applied")
        .contains("after waiting");
    assertThat(e.waited()).isLessThan(Duration.ofMillis(900));
    assertEquals(1, metrics.get("failed"));
    assertEquals(0, metrics.get("PRIMARY"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void wait_pastDeadline_throws_afterWaitingTheBudget(Flavor flavor) throws SQLException {
    setUp(flavor);
    Outcome read = writeThenRead(7,
        ReadOptions.DEFAULTS.withPolicy(ReadPolicy.WAIT).withMaxWait(Duration.ofMillis(300)));
    var e = read.failure(ReplicaNotCaughtUpException.class);
    assertThat(e.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    assertEquals(1, metrics.get("wait-timeout"));
    assertEquals(0, metrics.get("PRIMARY"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void wait_withinDeadline_readsOnReplica(Flavor flavor) throws SQLException {
    setUp(flavor);
    ReadOptions wait = ReadOptions.DEFAULTS.withPolicy(ReadPolicy.WAIT)
        .withMaxWait(Duration.ofSeconds(20));
    // The wait ends after the delay: what must fall within it is the read's routing, so that the
    // replica it waits on still lacks the write (a wait on one that has it counts as reached too).
    Outcome read = whileBehind(w -> {
      Session s = ds.newSession();
      String id = writeRow(s, 8);
      try (Connection c = s.getReadConnection(wait)) {
        w.closeAt(ROUTING); // the read is routed at its first statement, next
        return new Outcome(s, read(c, TABLE, id), null);
      }
    });
    assertEquals(8, read.read());
    assertEquals(1, metrics.get("REPLICA"));
    assertEquals(1, metrics.get("wait-reached"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void waitThenFallback_pastBound_readsOnPrimary(Flavor flavor) throws SQLException {
    setUp(flavor);
    Outcome read = writeThenRead(9, ReadOptions.DEFAULTS
        .withPolicy(ReadPolicy.WAIT_THEN_FALLBACK).withMaxWait(Duration.ofMillis(200)));
    assertEquals(9, read.read());
    assertEquals(1, metrics.get("PRIMARY"));
    assertEquals(1, metrics.get("fallback:NOT_CAUGHT_UP"));
    assertEquals(1, metrics.get("wait-timeout"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void fallbackToPrimary_readsOnPrimaryWithoutWaiting(Flavor flavor) throws SQLException {
    setUp(flavor);
    Outcome read = writeThenRead(10, ReadOptions.DEFAULTS.withPolicy(ReadPolicy.FALLBACK_TO_PRIMARY));
    assertEquals(10, read.read());
    assertEquals(1, metrics.get("PRIMARY"));
    assertEquals(0, metrics.get("wait-reached") + metrics.get("wait-timeout"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void eventual_readsReplicaAsIs_andMissesTheWrite(Flavor flavor) throws SQLException {
    setUp(flavor);
    Outcome read = writeThenRead(11, ReadOptions.DEFAULTS.withConsistency(Consistency.EVENTUAL));
    assertEquals(-1, read.read());
    assertEquals(1, metrics.get("REPLICA"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void primary_readsOnPrimary(Flavor flavor) throws SQLException {
    setUp(flavor);
    Session s = ds.newSession();
    String id = writeRow(s, 12);
    assertEquals(12, readWith(s, ReadOptions.DEFAULTS.withConsistency(Consistency.PRIMARY), id));
    assertEquals(1, metrics.get("PRIMARY"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void strong_seesWritesMadeOutsideTheSdk(Flavor flavor) throws SQLException {
    setUp(flavor);
    ReadOptions wait = ReadOptions.DEFAULTS.withPolicy(ReadPolicy.WAIT).withMaxWait(Duration.ofSeconds(20));
    String[] id = new String[1];
    Outcome read;
    try (Connection raw = t.connect(t.primary())) {
      read = whileBehind(w -> {
        id[0] = UUID.randomUUID().toString();
        write(raw, TABLE, id[0], 13); // not through Catchup: no token knows it
        Session fresh = ds.newSession();
        return new Outcome(fresh, readWith(fresh, wait, id[0]), null);
      });
    }
    assertEquals(-1, read.read(), "READ_YOUR_WRITES knows nothing of that write");
    assertEquals(13, readWith(read.session(), wait.withConsistency(Consistency.STRONG), id[0]));
    assertEquals(2, metrics.get("REPLICA"));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void readYourWritesAndCausal_honourTokenFromAnotherService(Flavor flavor)
      throws SQLException {
    setUp(flavor);
    Session writer = ds.newSession();
    String id = writeRow(writer, 14);
    String header = writer.token().encode();

    try (CatchupDataSource other = SdkFixtures.builder(t).build()) {
      Session reader = other.newSession().observe(header);
      ReadOptions wait = ReadOptions.DEFAULTS.withPolicy(ReadPolicy.WAIT)
          .withMaxWait(Duration.ofSeconds(20));
      // The token names the same user's writes made elsewhere: the default level honours it.
      assertEquals(14, readWith(reader, wait, id), "READ_YOUR_WRITES honours observed tokens");
      assertEquals(14, readWith(reader, wait.withConsistency(Consistency.CAUSAL), id));
      assertThat(reader.token().gtids().contains(writer.token().gtids())).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void malformedToken_rejectedBeforeAnySql(Flavor flavor) throws SQLException {
    setUp(flavor);
    Session s = ds.newSession();
    var e = assertThrows(IllegalArgumentException.class, () -> s.observe("mysql/'; DROP TABLE x; --"));
    assertThat(e.getMessage()).contains("invalid consistency token");
    String otherFlavor = flavor == Flavor.MYSQL ? "mariadb/0-1-5"
        : "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1";
    assertThat(assertThrows(IllegalArgumentException.class, () -> s.observe(otherFlavor))
        .getMessage()).contains("but the data source is");
    assertThat(s.token().isEmpty()).isTrue();
    assertThat(metrics.counts).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void fallbackLimit_shedsReadsPastTheCap_neverServesStale(Flavor flavor) throws SQLException {
    setUp(flavor);
    // How the reads of one attempt ended.
    record Shedding(int onPrimary, int shed) {}
    // Each read comes right after its own write, with every replica behind, so that each is a
    // fallback. The cap's bucket holds 2 and gains 2 a second: over a loop shorter than the delay,
    // 2 or 3 fall back and the rest are shed. A slower loop (a stalled thread) would let more
    // through, or find a replica caught up, and is run again.
    Shedding result = whileBehind(w -> {
      try (CatchupDataSource capped = SdkFixtures.builder(t).metrics(metrics)
          .readPolicy(ReadPolicy.FALLBACK_TO_PRIMARY).maxPrimaryFallbacksPerSecond(2).build()) {
        Session s = capped.newSession();
        w.open(); // the bucket is full by now however long the pools took to start
        int onPrimary = 0;
        int shed = 0;
        for (int i = 0; i < 10; i++) {
          String id = UUID.randomUUID().toString();
          try (Connection c = s.getConnection()) {
            write(c, TABLE, id, i);
          }
          try (Connection c = s.getReadConnection()) {
            assertEquals(i, read(c, TABLE, id), "never stale");
            onPrimary++;
          } catch (ReplicaNotCaughtUpException e) {
            assertThat(e.getMessage()).contains("over the limit of 2.0 a second");
            shed++;
          }
        }
        w.closeAt(Duration.ZERO); // before the pools close, which needs no replica behind
        return new Shedding(onPrimary, shed);
      }
    });
    assertThat(result.onPrimary()).isBetween(2, 3);
    assertEquals(10, result.onPrimary() + result.shed());
    assertEquals(result.onPrimary(), metrics.get("PRIMARY"));
    assertEquals(result.onPrimary(), metrics.get("fallback:NOT_CAUGHT_UP"));
    assertEquals(result.shed(), metrics.get("failed"));
  }
}
