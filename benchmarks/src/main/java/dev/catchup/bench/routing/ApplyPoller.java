package dev.catchup.bench.routing;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.Pace;
import dev.catchup.bench.harness.PoolSampler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells, independently of Catchup and the monitor, when a written row became visible on one
 * replica: a thread of its own polls the benchmark's rows on its own connection every
 * {@code interval} with one SELECT over the phase's id range, and completes a row's future with the
 * {@link System#nanoTime()} at which the first poll that returned the expected value came back.
 * Rows are registered after their write's commit reply; nothing is polled while none is pending.
 */
final class ApplyPoller implements AutoCloseable {
  private final String replica;
  private final Connection connection;
  private final long lo;
  private final long hi;
  private final long intervalNanos;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long polls;
  private volatile SQLException failure;

  /** A row waited for: its expected value, and whether a poll started after registering missed it. */
  private record Pending(long value, long registeredNanos, CompletableFuture<Visible> visible,
      AtomicBoolean missed) {}

  /**
   * When a row was first seen.
   *
   * @param nanos {@link System#nanoTime()} when the first poll that saw it returned
   * @param firstPoll true when no poll that started after the row was registered had missed it:
   *     the row may have been visible well before, so the time is only an upper bound
   */
  record Visible(long nanos, boolean firstPoll) {}

  /**
   * @param connection a connection of the poller's own to {@code replica}, closed with the poller
   * @param lo lowest id polled
   * @param hi highest id polled
   */
  ApplyPoller(String replica, Connection connection, long lo, long hi, Duration interval) {
    this.replica = replica;
    this.connection = connection;
    this.lo = lo;
    this.hi = hi;
    this.intervalNanos = interval.toNanos();
    this.thread = new Thread(this::run, "bench-apply-poller-" + replica);
    thread.setDaemon(true);
    thread.start();
  }

  String replica() {
    return replica;
  }

  /** Watches for row {@code id} to hold {@code value}; register after the write's commit reply. */
  CompletableFuture<Visible> expect(long id, long value) {
    if (id < lo || id > hi) {
      throw new IllegalArgumentException("id must be between " + lo + " and " + hi + ", was " + id);
    }
    Pending p = new Pending(value, System.nanoTime(), new CompletableFuture<>(),
        new AtomicBoolean());
    pending.put(id, p);
    SQLException f = failure;
    if (f != null) {
      p.visible().completeExceptionally(f);
    }
    return p.visible();
  }

  /** Polls run so far. */
  long polls() {
    return polls;
  }

  private void run() {
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT id, v FROM " + BenchTable.TABLE + " WHERE id BETWEEN ? AND ?")) {
      ps.setLong(1, lo);
      ps.setLong(2, hi);
      long next = System.nanoTime();
      while (running) {
        Pace.parkUntil(next);
        if (!running) {
          break;
        }
        next = System.nanoTime() + intervalNanos;
        if (pending.isEmpty()) {
          continue;
        }
        long started = System.nanoTime();
        try (ResultSet rs = ps.executeQuery()) {
          long returned = System.nanoTime();
          polls++;
          while (rs.next()) {
            long id = rs.getLong(1);
            Pending p = pending.get(id);
            // Values only grow per row, and a writer waits for its row before writing it again.
            if (p != null && rs.getLong(2) >= p.value() && pending.remove(id, p)) {
              p.visible().complete(new Visible(returned, !p.missed().get()));
            }
          }
          for (Pending p : pending.values()) {
            if (started - p.registeredNanos() > 0) {
              p.missed().set(true);
            }
          }
        }
      }
    } catch (SQLException e) {
      failure = e;
      pending.values().forEach(p -> p.visible().completeExceptionally(e));
    }
  }

  @Override
  public void close() throws SQLException {
    running = false;
    PoolSampler.wake(thread, Duration.ofSeconds(5));
    connection.close();
  }
}
