package dev.catchup.sdk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A read-your-writes workload through the SDK for tests that change the topology under it: each
 * thread has its own {@link Session} and, in a loop, inserts a new row then reads it back on a
 * read connection. A read that returns no row or another value is <em>stale</em>: the one outcome
 * that must never happen. Failed writes (their outcome may be unknown) are not read back. Counts
 * every outcome by kind, the longest read, and, after {@link #mark()}, when the first write and the
 * first read-your-writes read succeeded again.
 */
final class CheckedWorkload implements AutoCloseable {
  private final CatchupDataSource ds;
  private final String table;
  private final BiConsumer<Session, SQLException> onReadFailure;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong longestReadNanos = new AtomicLong();
  private final Map<String, AtomicLong> writeFailures = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> readFailures = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
  private volatile long markNanos = Long.MAX_VALUE;
  private final AtomicLong firstWriteAfterMark = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong firstReadAfterMark = new AtomicLong(Long.MAX_VALUE);

  /**
   * @param onReadFailure called with the session and the exception of each failed read (a test can
   *     accept lost writes there); may be a no-op
   */
  CheckedWorkload(CatchupDataSource ds, String table, BiConsumer<Session, SQLException> onReadFailure) {
    this.ds = ds;
    this.table = table;
    this.onReadFailure = onReadFailure;
  }

  /** Starts {@code n} threads named {@code prefix-k}. */
  CheckedWorkload start(int n, String prefix) {
    for (int k = 0; k < n; k++) {
      String name = prefix + "-" + k;
      Thread t = new Thread(() -> loop(name), name);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    return this;
  }

  private void loop(String name) {
    Session session = ds.newSession();
    for (long i = 0; !stop; i++) {
      String id = name + "-" + i;
      try (Connection c = session.getConnection()) {
        SdkFixtures.write(c, table, id, i);
      } catch (SQLException e) {
        count(writeFailures, e);
        pause();
        continue;
      } catch (RuntimeException e) {
        unexpected.add(e);
        return;
      }
      writes.incrementAndGet();
      long afterWrite = System.nanoTime();
      firstWriteAfterMark.accumulateAndGet(afterWrite, (a, b) -> b >= markNanos ? Math.min(a, b) : a);
      long start = System.nanoTime();
      try (Connection c = session.getReadConnection()) {
        long v = SdkFixtures.read(c, table, id);
        if (v != i) {
          stale.add(id + " read " + v + " instead of " + i);
        } else {
          reads.incrementAndGet();
          long end = System.nanoTime();
          firstReadAfterMark.accumulateAndGet(end, (a, b) -> start >= markNanos ? Math.min(a, b) : a);
        }
      } catch (SQLException e) {
        count(readFailures, e);
        onReadFailure.accept(session, e);
      } catch (RuntimeException e) {
        unexpected.add(e);
        return;
      } finally {
        longestReadNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
      }
    }
  }

  /** Failed requests are retried at once by the loop; a short pause keeps a dead server from spinning it. */
  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void count(Map<String, AtomicLong> into, SQLException e) {
    String key = e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : "/" + e.getSQLState());
    into.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** Marks the moment of a topology change: the first successes after it are recorded. */
  long mark() {
    markNanos = System.nanoTime();
    return markNanos;
  }

  /** Waits until {@code more} writes and reads succeeded after this call; false on timeout. */
  boolean awaitProgress(long more, Duration timeout) throws InterruptedException {
    long w = writes.get() + more;
    long r = reads.get() + more;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (writes.get() < w || reads.get() < r) {
      if (System.nanoTime() > deadline || !unexpected.isEmpty()) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10); // polling counters the threads advance; no event to await
    }
    return true;
  }

  long writes() {
    return writes.get();
  }

  long reads() {
    return reads.get();
  }

  List<String> stale() {
    return List.copyOf(stale);
  }

  List<Throwable> unexpected() {
    return List.copyOf(unexpected);
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

  /** From {@link #mark()} to the first successful write after it, or null if none yet. */
  Duration firstWriteAfterMark() {
    long t = firstWriteAfterMark.get();
    return t == Long.MAX_VALUE ? null : Duration.ofNanos(t - markNanos);
  }

  /** From {@link #mark()} to the end of the first successful read started after it, or null. */
  Duration firstReadAfterMark() {
    long t = firstReadAfterMark.get();
    return t == Long.MAX_VALUE ? null : Duration.ofNanos(t - markNanos);
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
    Map<String, Long> out = new java.util.TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Override
  public String toString() {
    return "writes=" + writes + " reads=" + reads + " stale=" + stale.size() + " writeFailures="
        + writeFailures() + " readFailures=" + readFailures() + " longestRead=" + longestRead();
  }

  /** Stops the threads and waits for them. */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
  }
}
