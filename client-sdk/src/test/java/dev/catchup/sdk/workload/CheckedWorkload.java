package dev.catchup.sdk.workload;

import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.LostWritesException;
import dev.catchup.sdk.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A read-your-writes workload through the SDK's public API, for what changes the topology under it:
 * the SDK's failover tests and the failover benchmark (published in client-sdk's test jar). Each
 * checked session has a thread and loops: insert a new row (its id is its value, never written
 * before), then read the session's last acknowledged row on a read connection and check it: a
 * missing row or another value is a <em>stale</em> read, the one outcome that must never happen.
 * When the write failed (its outcome may be unknown), the read is of the previous acknowledged row,
 * so reads go on during the change. A read that fails with {@link LostWritesException} is recorded
 * and accepted ({@link Session#acceptLoss}), as an application that tells its user would, and that
 * row is not read again.
 *
 * <p>Beside them an optional <em>writer</em> ({@link #startWriter}), a session that only writes,
 * one row every {@link #WRITER_PACE}: it shows when writes work again whatever the reading sessions
 * are blocked in (a read waiting on a replica holds its thread up to {@code maxWait}). Its writes
 * are never read, so they are kept apart in every count.
 *
 * <p>Every outcome is recorded with {@link System#nanoTime()}, so times after a change are computed
 * afterwards from an instant the caller took ({@link #firstWriteAfter} and the like).
 */
public final class CheckedWorkload implements AutoCloseable {
  /** Ids per session: far more writes than a run makes. */
  public static final long IDS_PER_SESSION = 10_000_000L;
  public static final Duration WRITER_PACE = Duration.ofMillis(10);
  private static final int STALE_EXAMPLES = 5;
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(20);

  /**
   * An acknowledged write of session {@code session}, the session's written token's GTIDs before
   * and after it (null for the writer's), and when its commit returned.
   */
  public record Acked(int session, long id, GtidSet before, GtidSet after, long endNanos) {}

  /** A read of session {@code session} that failed with {@link LostWritesException#lostGtids()}. */
  public record Named(int session, GtidSet lost) {}

  private final CatchupDataSource ds;
  private final String write;
  private final String read;
  private final long idBase;
  private final Duration think;
  private final Function<Throwable, String> failureKey;
  private final AtomicInteger sessions = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Acked> writerAcked = new ConcurrentLinkedQueue<>();
  /** Successful reads' start and end. */
  private final ConcurrentLinkedQueue<long[]> reads = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Named> named = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicLong> writerFailures = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> writeFailures = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> readFailures = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
  private final AtomicLong stale = new AtomicLong();
  private final ConcurrentLinkedQueue<String> staleExamples = new ConcurrentLinkedQueue<>();
  private final AtomicLong longestReadNanos = new AtomicLong();

  /**
   * @param table a table of {@code (id, v BIGINT)} rows, {@code id} a number or text
   * @param idBase the first id: session {@code k} writes from {@code idBase + k * IDS_PER_SESSION}
   * @param think pause at the end of each cycle
   * @param failureKey how failed requests are grouped in the counts, e.g. {@link #byClass}
   */
  public CheckedWorkload(CatchupDataSource ds, String table, long idBase, Duration think,
      Function<Throwable, String> failureKey) {
    this.ds = ds;
    this.write = "INSERT INTO " + table + " (id, v) VALUES (?, ?)";
    this.read = "SELECT v FROM " + table + " WHERE id = ?";
    this.idBase = idBase;
    this.think = think;
    this.failureKey = failureKey;
  }

  /** Failures grouped by exception class and SQLState. */
  public static String byClass(Throwable e) {
    String state = e instanceof SQLException s && s.getSQLState() != null ? "/" + s.getSQLState() : "";
    return e.getClass().getSimpleName() + state;
  }

  /** Starts {@code n} checked sessions, a thread each, named {@code prefix-k}. */
  public CheckedWorkload start(int n, String prefix) {
    for (int i = 0; i < n; i++) {
      int k = sessions.getAndIncrement();
      startThread(() -> loop(k), prefix + "-" + k);
    }
    return this;
  }

  /** Starts the writer, a session of its own, on a thread named {@code name}. */
  public CheckedWorkload startWriter(String name) {
    int k = sessions.getAndIncrement();
    startThread(() -> writer(k), name);
    return this;
  }

  private void startThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void writer(int k) {
    Session session = ds.newSession();
    for (long i = 0; !stop; i++) {
      long id = idBase + k * IDS_PER_SESSION + i;
      try (Connection c = session.getConnection()) {
        write(c, id);
        writerAcked.add(new Acked(k, id, null, null, System.nanoTime()));
      } catch (SQLException | RuntimeException e) {
        count(writerFailures, e);
      }
      pause(WRITER_PACE);
    }
  }

  private void loop(int k) {
    Session session = ds.newSession();
    long last = -1;
    for (long i = 0; !stop; i++) {
      long id = idBase + k * IDS_PER_SESSION + i;
      GtidSet before = session.writtenToken().gtids();
      boolean committed = false;
      try (Connection c = session.getConnection()) {
        write(c, id);
        committed = true;
      } catch (SQLException | RuntimeException e) {
        count(writeFailures, e);
        if (!committed) {
          pause(PAUSE_AFTER_FAILURE);
        }
      }
      if (committed) {
        long end = System.nanoTime();
        acked.add(new Acked(k, id, before, session.writtenToken().gtids(), end));
        last = id;
      }
      if (last >= 0 && !stop) {
        last = read(session, k, last);
      }
      pause(think);
    }
  }

  private void write(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(write)) {
      ps.setString(1, Long.toString(id)); // text, so that a text id column keeps its index
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  /** Reads row {@code id} back; returns the row to read next time (-1: none until a write). */
  private long read(Session session, int k, long id) {
    long start = System.nanoTime();
    try (Connection c = session.getReadConnection(); PreparedStatement ps = c.prepareStatement(read)) {
      ps.setString(1, Long.toString(id));
      long v;
      try (ResultSet rs = ps.executeQuery()) {
        v = rs.next() ? rs.getLong(1) : -1;
      }
      if (v == id) {
        reads.add(new long[] {start, System.nanoTime()});
      } else if (stale.incrementAndGet() <= STALE_EXAMPLES) {
        staleExamples.add("row " + id + " read " + (v < 0 ? "missing" : v + " instead of " + id));
      }
      return id;
    } catch (LostWritesException e) {
      count(readFailures, e);
      named.add(new Named(k, e.lostGtids()));
      session.acceptLoss(e);
      return -1; // its writes may be the lost ones: read again after the next write
    } catch (SQLException | RuntimeException e) {
      count(readFailures, e);
      pause(PAUSE_AFTER_FAILURE);
      return id;
    } finally {
      longestReadNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
    }
  }

  /** A pause of the workload's pace (think time, or after a failure so a dead server is not spun on). */
  private static void pause(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void count(Map<String, AtomicLong> into, Throwable e) {
    if (e instanceof RuntimeException) {
      unexpected.add(e);
    }
    into.computeIfAbsent(failureKey.apply(e), key -> new AtomicLong()).incrementAndGet();
  }

  /**
   * Waits until the checked sessions made {@code more} more writes and reads each.
   *
   * @return false when they did not within {@code timeout}
   */
  public boolean awaitProgress(long more, Duration timeout) throws InterruptedException {
    long w = acked.size() + more;
    long r = reads.size() + more;
    return await(() -> acked.size() >= w && reads.size() >= r, timeout);
  }

  /**
   * Waits until a write of a checked session and of the writer completed, and a read started, at
   * or after {@code since} succeeded.
   *
   * @return false when not within {@code timeout}
   */
  public boolean awaitRecovered(long since, Duration timeout) throws InterruptedException {
    return await(() -> firstWriteAfter(since) != null && writerFirstWriteAfter(since) != null
        && firstReadAfter(since) != null, timeout);
  }

  private static boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10); // polling what the threads record; no event to await
    }
    return true;
  }

  /** From {@code since} ({@link System#nanoTime()}) to the first checked write that completed after it, or null. */
  public Duration firstWriteAfter(long since) {
    return firstAfter(acked, since);
  }

  /** The same for the writer. */
  public Duration writerFirstWriteAfter(long since) {
    return firstAfter(writerAcked, since);
  }

  private static Duration firstAfter(ConcurrentLinkedQueue<Acked> acked, long since) {
    return acked.stream().mapToLong(a -> a.endNanos() - since).filter(d -> d >= 0).min()
        .stream().mapToObj(Duration::ofNanos).findFirst().orElse(null);
  }

  /** From {@code since} to the end of the first successful read started after it, or null. */
  public Duration firstReadAfter(long since) {
    return reads.stream().filter(r -> r[0] - since >= 0).mapToLong(r -> r[1] - since).min()
        .stream().mapToObj(Duration::ofNanos).findFirst().orElse(null);
  }

  /** The checked sessions' acknowledged writes. */
  public List<Acked> acked() {
    return List.copyOf(acked);
  }

  /** The writer's acknowledged writes. */
  public List<Acked> writerAcked() {
    return List.copyOf(writerAcked);
  }

  public List<Named> named() {
    return List.copyOf(named);
  }

  /** Successful (not stale) reads. */
  public long reads() {
    return reads.size();
  }

  public long stale() {
    return stale.get();
  }

  /** The first stale reads, described. */
  public List<String> staleExamples() {
    return List.copyOf(staleExamples);
  }

  /** Runtime exceptions the requests threw (counted with the failures too): none expected. */
  public List<Throwable> unexpected() {
    return List.copyOf(unexpected);
  }

  public Map<String, Long> writerFailures() {
    return snapshot(writerFailures);
  }

  public Map<String, Long> writeFailures() {
    return snapshot(writeFailures);
  }

  public Map<String, Long> readFailures() {
    return snapshot(readFailures);
  }

  public Duration longestRead() {
    return Duration.ofNanos(longestReadNanos.get());
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Override
  public String toString() {
    return "writes=" + acked.size() + " reads=" + reads() + " stale=" + stale + " "
        + staleExamples + " writeFailures=" + writeFailures() + " readFailures=" + readFailures()
        + " longestRead=" + longestRead();
  }

  /**
   * Stops the threads and waits for them (a read may be waiting out {@code maxWait}).
   *
   * @throws IllegalStateException if a thread is still running a minute later
   */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(1));
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop within a minute");
      }
    }
  }
}
