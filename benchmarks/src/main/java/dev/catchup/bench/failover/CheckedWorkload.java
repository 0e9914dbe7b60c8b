package dev.catchup.bench.failover;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.LostWritesException;
import dev.catchup.sdk.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read-your-writes workload of a round, through the SDK's public API. Each thread has its own
 * {@link Session} and loops: insert a new row (its id is its value, never written before), then
 * read the session's last acknowledged row on a read connection and check it: a missing row or
 * another value is a <em>stale</em> read. When the write failed, the read is of the previous
 * acknowledged row, so reads go on during the change. A read that fails with
 * {@link LostWritesException} is recorded and accepted ({@link Session#acceptLoss}), as an
 * application that tells its user would, and that row is not read again.
 *
 * <p>Beside them a <em>writer</em>, a session of its own that only writes, one row every
 * {@link #WRITER_PACE}: it shows when writes work again whatever the reading sessions are blocked
 * in (a read waiting on a replica holds its thread up to {@code maxWait}). Its writes are never
 * read, so they are kept apart from the checked sessions' in every count.
 *
 * <p>Every outcome is recorded with {@link System#nanoTime()}, so the times after the promotion are
 * computed afterwards from the instant the harness took when {@code promote} returned.
 */
final class CheckedWorkload {
  /** Ids per session per round: far more writes than a round makes. */
  static final long IDS_PER_SESSION = 10_000_000L;
  private static final int STALE_EXAMPLES = 5;
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(20);
  static final Duration WRITER_PACE = Duration.ofMillis(10);

  /** An acknowledged write and when its commit returned. */
  record Acked(LossAccount.Write write, long endNanos) {}

  private final CatchupDataSource ds;
  private final long idBase;
  private final Duration think;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Acked> writerAcked = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicLong> writerFailures = new ConcurrentHashMap<>();
  /** Successful reads' start and end. */
  private final ConcurrentLinkedQueue<long[]> reads = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<LossAccount.Named> named = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicLong> writeFailures = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> readFailures = new ConcurrentHashMap<>();
  private final AtomicLong stale = new AtomicLong();
  private final ConcurrentLinkedQueue<String> staleExamples = new ConcurrentLinkedQueue<>();
  private final AtomicLong readCount = new AtomicLong();
  private final AtomicLong longestReadNanos = new AtomicLong();

  /**
   * @param idBase the first id of the round: session {@code k} writes from
   *     {@code idBase + k * IDS_PER_SESSION}
   * @param think pause at the end of each cycle
   */
  CheckedWorkload(CatchupDataSource ds, long idBase, Duration think) {
    this.ds = ds;
    this.idBase = idBase;
    this.think = think;
  }

  /**
   * Starts {@code n} checked sessions, {@code 0..n-1}, and the writer, session {@code n}, a thread
   * each.
   */
  CheckedWorkload start(int n) {
    for (int k = 0; k < n; k++) {
      int session = k;
      startThread(() -> loop(session), "failover-workload-" + k);
    }
    startThread(() -> writer(n), "failover-writer");
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
        BenchTable.write(c, id, id);
        writerAcked.add(new Acked(new LossAccount.Write(k, id, null), System.nanoTime()));
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
        BenchTable.write(c, id, id);
        committed = true;
      } catch (SQLException | RuntimeException e) {
        count(writeFailures, e);
        if (!committed) {
          pause(PAUSE_AFTER_FAILURE);
        }
      }
      if (committed) {
        long end = System.nanoTime();
        GtidSet gtid = LossAccount.writeGtid(before, session.writtenToken().gtids());
        acked.add(new Acked(new LossAccount.Write(k, id, gtid), end));
        last = id;
      }
      if (last >= 0 && !stop) {
        last = read(session, k, last);
      }
      pause(think);
    }
  }

  /** Reads row {@code id} back; returns the row to read next time (-1: none until a write). */
  private long read(Session session, int k, long id) {
    long start = System.nanoTime();
    try (Connection c = session.getReadConnection()) {
      long v = BenchTable.read(c, id);
      long end = System.nanoTime();
      if (v == id) {
        reads.add(new long[] {start, end});
        readCount.incrementAndGet();
      } else {
        stale.incrementAndGet();
        if (staleExamples.size() < STALE_EXAMPLES) {
          staleExamples.add("row " + id + " read " + (v < 0 ? "missing" : v + " instead of " + id));
        }
      }
      return id;
    } catch (LostWritesException e) {
      count(readFailures, e);
      named.add(new LossAccount.Named(k, e.lostGtids()));
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

  private static void count(Map<String, AtomicLong> into, Throwable e) {
    into.computeIfAbsent(FailureKey.of(e), key -> new AtomicLong()).incrementAndGet();
  }

  /**
   * Waits until {@code more} reads succeeded after this call.
   *
   * @return false when they did not within {@code timeout}
   */
  boolean awaitReads(long more, Duration timeout) throws InterruptedException {
    long target = readCount.get() + more;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (readCount.get() < target) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10); // polling counters the threads advance; no event to await
    }
    return true;
  }

  /**
   * Waits until a write of a checked session and of the writer completed, and a read started, at
   * or after {@code since} succeeded.
   *
   * @return false when not within {@code timeout}
   */
  boolean awaitRecovered(long since, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (firstWriteAfter(since) == null || writerFirstWriteAfter(since) == null
        || firstReadAfter(since) == null) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10); // as above
    }
    return true;
  }

  /**
   * Nanoseconds from {@code since} to the first acknowledged write of a checked session that
   * completed after it.
   */
  Long firstWriteAfter(long since) {
    return firstAfter(acked, since);
  }

  /** The same for the writer. */
  Long writerFirstWriteAfter(long since) {
    return firstAfter(writerAcked, since);
  }

  private static Long firstAfter(ConcurrentLinkedQueue<Acked> acked, long since) {
    OptionalLong first = acked.stream().mapToLong(a -> a.endNanos() - since).filter(d -> d >= 0)
        .min();
    return first.isPresent() ? first.getAsLong() : null;
  }

  /** Nanoseconds from {@code since} to the end of the first successful read started after it. */
  Long firstReadAfter(long since) {
    OptionalLong first = reads.stream().filter(r -> r[0] - since >= 0)
        .mapToLong(r -> r[1] - since).min();
    return first.isPresent() ? first.getAsLong() : null;
  }

  List<Acked> acked() {
    return List.copyOf(acked);
  }

  /** The writer's acknowledged writes. */
  List<Acked> writerAcked() {
    return List.copyOf(writerAcked);
  }

  Map<String, Long> writerFailures() {
    return snapshot(writerFailures);
  }

  List<LossAccount.Named> named() {
    return List.copyOf(named);
  }

  long reads() {
    return readCount.get();
  }

  long stale() {
    return stale.get();
  }

  List<String> staleExamples() {
    return List.copyOf(staleExamples);
  }

  Map<String, Long> writeFailures() {
    return snapshot(writeFailures);
  }

  Map<String, Long> readFailures() {
    return snapshot(readFailures);
  }

  Duration longestRead() {
    return Duration.ofNanos(longestReadNanos.get());
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Stops the threads and waits for them (a read may be waiting out {@code maxWait}).
   *
   * @throws IllegalStateException if a thread is still running a minute later
   */
  void stop() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(1));
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop within a minute");
      }
    }
  }
}
