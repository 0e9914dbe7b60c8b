package dev.catchup.bench.harness;

import com.zaxxer.hikari.HikariPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.concurrent.locks.LockSupport;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Samples HikariCP pools through their MBeans ({@code com.zaxxer.hikari:type=Pool (<name>)}, which
 * the pools register when {@code registerMbeans} is on) and a count of readers inside a read, every
 * {@code interval} on a thread of its own, until closed.
 */
public final class PoolSampler implements AutoCloseable {
  private final Map<String, HikariPoolMXBean> pools = new LinkedHashMap<>();
  private final List<String> replicaPools;
  private final IntSupplier readers;
  private final long intervalNanos;
  private final Thread thread;
  private final Map<String, List<int[]>> samples = new LinkedHashMap<>();
  private final List<Integer> readerSamples = new ArrayList<>();
  private final List<Integer> replicaTotals = new ArrayList<>();
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  /**
   * Per pool over the run.
   *
   * @param peakActive most connections in use at once
   * @param meanActive connections in use, averaged over the samples
   * @param peakAwaiting most threads waiting for a connection at once
   */
  public record PoolFigures(int peakActive, double meanActive, int peakAwaiting) {}

  /**
   * @param samples samples taken
   * @param pools per pool name
   * @param replicaPeakActive most connections in use at once, all replica pools together
   * @param replicaMeanActive the same averaged over the samples
   * @param readersPeak most reader threads inside a read (asking for the connection to closing it)
   * @param readersMean the same averaged
   */
  public record Figures(int samples, Map<String, PoolFigures> pools, int replicaPeakActive,
      double replicaMeanActive, int readersPeak, double readersMean) {}

  /**
   * @param poolNames every pool to sample
   * @param replicaPoolNames those counted as replica connections
   * @param readers readers inside a read now
   */
  public PoolSampler(List<String> poolNames, List<String> replicaPoolNames, IntSupplier readers,
      Duration interval) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (String name : poolNames) {
      ObjectName on;
      try {
        on = new ObjectName("com.zaxxer.hikari:type=Pool (" + name + ")");
      } catch (MalformedObjectNameException e) {
        throw new IllegalArgumentException("pool name '" + name + "' makes no MBean name", e);
      }
      if (!server.isRegistered(on)) {
        throw new IllegalStateException("no MBean " + on + ": is registerMbeans on, and the pool "
            + "name unique in this JVM?");
      }
      pools.put(name, JMX.newMBeanProxy(server, on, HikariPoolMXBean.class));
      samples.put(name, new ArrayList<>());
    }
    this.replicaPools = List.copyOf(replicaPoolNames);
    this.readers = readers;
    this.intervalNanos = interval.toNanos();
    this.thread = new Thread(this::run, "bench-pool-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until every pool holds {@code size} connections (pools fill in the background). */
  public static void awaitFull(List<String> poolNames, int size, Duration timeout) throws InterruptedException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String name : poolNames) {
      HikariPoolMXBean pool;
      try {
        pool = JMX.newMBeanProxy(server, new ObjectName("com.zaxxer.hikari:type=Pool (" + name + ")"),
            HikariPoolMXBean.class);
      } catch (MalformedObjectNameException e) {
        throw new IllegalArgumentException("pool name '" + name + "' makes no MBean name", e);
      }
      while (pool.getTotalConnections() < size) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("pool " + name + " did not open " + size
              + " connections within " + timeout + " (has " + pool.getTotalConnections() + ")");
        }
        Thread.sleep(10); // polling a pool that offers no callback
      }
    }
  }

  private void run() {
    long next = System.nanoTime();
    try {
      while (running) {
        Pace.parkUntil(next);
        if (!running) {
          break;
        }
        next = System.nanoTime() + intervalNanos;
        int replicaTotal = 0;
        for (Map.Entry<String, HikariPoolMXBean> e : pools.entrySet()) {
          int active = e.getValue().getActiveConnections();
          samples.get(e.getKey()).add(new int[] {active, e.getValue().getThreadsAwaitingConnection()});
          if (replicaPools.contains(e.getKey())) {
            replicaTotal += active;
          }
        }
        replicaTotals.add(replicaTotal);
        readerSamples.add(readers.getAsInt());
      }
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /**
   * Wakes a polling thread that {@link LockSupport#parkNanos parks} between polls, so that it sees
   * its stop flag, and waits for it to end.
   *
   * @return whether it ended within {@code timeout} (false also when this thread was interrupted)
   */
  public static boolean wake(Thread thread, Duration timeout) {
    LockSupport.unpark(thread);
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  /** Stops sampling and summarises (the samples are read after the sampler thread ended). */
  public Figures stop() {
    running = false;
    if (!wake(thread, Duration.ofSeconds(5))) {
      throw new IllegalStateException("the pool sampler did not stop within 5 s");
    }
    if (failure != null) {
      throw new IllegalStateException("sampling the pools failed: " + failure, failure);
    }
    Map<String, PoolFigures> out = new LinkedHashMap<>();
    samples.forEach((name, list) -> {
      int peak = 0;
      int peakAwaiting = 0;
      long sum = 0;
      for (int[] s : list) {
        peak = Math.max(peak, s[0]);
        peakAwaiting = Math.max(peakAwaiting, s[1]);
        sum += s[0];
      }
      out.put(name, new PoolFigures(peak, mean(sum, list.size()), peakAwaiting));
    });
    return new Figures(replicaTotals.size(), out,
        replicaTotals.stream().mapToInt(Integer::intValue).max().orElse(0),
        mean(replicaTotals.stream().mapToLong(Integer::longValue).sum(), replicaTotals.size()),
        readerSamples.stream().mapToInt(Integer::intValue).max().orElse(0),
        mean(readerSamples.stream().mapToLong(Integer::longValue).sum(), readerSamples.size()));
  }

  private static double mean(long sum, int n) {
    return n == 0 ? Double.NaN : Stats.round(sum / (double) n);
  }

  @Override
  public void close() {
    if (running) {
      stop();
    }
  }
}
