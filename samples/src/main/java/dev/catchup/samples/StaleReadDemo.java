package dev.catchup.samples;

import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerFlavor;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed story on real servers: a primary and a replica applying with a one-second delay. A
 * service writes an order and reads it straight back from the replica (naive read/write splitting),
 * then does the same reading only once the replica has the write's GTID.
 *
 * <p>Usage: {@code StaleReadDemo [--flavor mysql|mariadb] [--delay SECONDS] [--threads N]
 * [--writes-per-thread N]}
 */
public final class StaleReadDemo {
  private final Topology topology;
  private final ServerFlavor flavor;
  private final int threads;
  private final int writesPerThread;

  private StaleReadDemo(Topology topology, int threads, int writesPerThread) {
    this.topology = topology;
    this.flavor = topology.flavor();
    this.threads = threads;
    this.writesPerThread = writesPerThread;
  }

  public static void main(String[] args) throws Exception {
    ServerFlavor flavor = ServerFlavor.MYSQL;
    int delay = 1;
    int threads = 8;
    int writes = 3;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--flavor" -> flavor = ServerFlavor.valueOf(value.toUpperCase(Locale.ROOT));
        case "--delay" -> delay = Integer.parseInt(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--writes-per-thread" -> writes = Integer.parseInt(value);
        default -> {
          System.err.println("unknown option " + args[i] + "; options: --flavor mysql|mariadb "
              + "--delay SECONDS --threads N --writes-per-thread N");
          System.exit(2);
        }
      }
      i++;
    }
    System.out.printf("Starting a local %s primary and a replica applying with a %d s delay...%n",
        flavor.cliName(), delay);
    try (Topology t = Topology.start(flavor, 1, Duration.ofSeconds(delay))) {
      System.out.printf("Up: %s%n%n", t);
      new StaleReadDemo(t, threads, writes).run();
    }
  }

  private void run() throws Exception {
    try (Connection c = topology.connect(topology.primary()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS demo_orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, "
          + "item VARCHAR(64) NOT NULL)");
    }
    Server replica = topology.replica(1);
    if (!topology.awaitCaughtUp(replica, Duration.ofSeconds(60))) {
      throw new IllegalStateException("replica did not receive the demo table within 60 s");
    }
    Result naive = drive("naive split", false);
    Result gtid = drive("wait for GTID", true);
    System.out.println();
    System.out.printf("%-16s %8s %8s %12s %12s%n", "strategy", "reads", "stale", "read p50", "read max");
    for (Result r : List.of(naive, gtid)) {
      System.out.printf("%-16s %8d %8d %9.1f ms %9.1f ms%n", r.name, r.reads, r.stale,
          r.p50Millis(), r.maxMillis());
    }
    System.out.println();
    System.out.printf("Naive splitting served %d of %d reads stale; waiting for the write's GTID served "
        + "%d stale.%n", naive.stale, naive.reads, gtid.stale);
  }

  /** Each thread writes an order on the primary and reads it back on the replica, in a loop. */
  private Result drive(String name, boolean waitForGtid) throws Exception {
    System.out.printf("%s: %d threads x %d write-then-read...%n", name, threads, writesPerThread);
    AtomicInteger stale = new AtomicInteger();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          try (Connection primary = topology.connect(topology.primary());
               Connection replica = topology.connect(topology.replica(1))) {
            for (int i = 0; i < writesPerThread; i++) {
              long id = insertOrder(primary);
              String gtid = waitForGtid ? lastGtid(primary) : null;
              long start = System.nanoTime();
              if (gtid != null) {
                waitOnReplica(replica, gtid);
              }
              boolean found = exists(replica, id);
              latencies.add(System.nanoTime() - start);
              if (!found) {
                stale.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(name, threads * writesPerThread, stale.get(), latencies);
  }

  private static long insertOrder(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO demo_orders (item) VALUES ('book')",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.executeUpdate();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private String lastGtid(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        flavor == ServerFlavor.MYSQL ? "SELECT @@global.gtid_executed" : "SELECT @@last_gtid")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void waitOnReplica(Connection c, String gtid) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(flavor == ServerFlavor.MYSQL
        ? "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)" : "SELECT MASTER_GTID_WAIT(?, ?)")) {
      ps.setString(1, gtid);
      ps.setDouble(2, 30);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getInt(1) != 0) {
          throw new IllegalStateException("replica did not reach " + gtid + " within 30 s");
        }
      }
    }
  }

  private static boolean exists(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM demo_orders WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private record Result(String name, int reads, int stale, List<Long> nanos) {
    double p50Millis() {
      List<Long> sorted = new ArrayList<>(nanos);
      Collections.sort(sorted);
      return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
    }

    double maxMillis() {
      return nanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
    }
  }
}
