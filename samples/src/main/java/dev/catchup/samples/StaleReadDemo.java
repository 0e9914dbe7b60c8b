package dev.catchup.samples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.MonitorConfig;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupMetrics;
import dev.catchup.sdk.Consistency;
import dev.catchup.sdk.ReadPolicy;
import dev.catchup.sdk.Session;
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
 * service writes an order and reads it straight back: from the replica directly (naive read/write
 * splitting), then through Catchup's data source with the WAIT and FALLBACK_TO_PRIMARY policies.
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
    // The monitor's binlog client logs through java.util.logging: keep it in our log.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
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
    List<Result> results = new ArrayList<>();
    try (HikariDataSource writer = pool(topology.primary());
         HikariDataSource reader = pool(replica)) {
      results.add(drive("naive split", null, writer, reader));
    }
    System.out.println("Starting the Catchup monitor (tails the replica's binlog)...");
    try (Monitor monitor = Monitor.start(monitorConfig())) {
      for (ReadPolicy policy : List.of(ReadPolicy.WAIT, ReadPolicy.FALLBACK_TO_PRIMARY)) {
        for (boolean withMonitor : List.of(false, true)) {
          if (policy == ReadPolicy.FALLBACK_TO_PRIMARY && withMonitor) {
            continue;
          }
          RoutingCounts counts = new RoutingCounts();
          CatchupDataSource.Builder b = CatchupDataSource.builder()
              .flavor(flavor == ServerFlavor.MYSQL ? Flavor.MYSQL : Flavor.MARIADB)
              .primary(topology.primary().jdbcUrl())
              .replica(replica.name(), replica.jdbcUrl())
              .credentials(topology.user(), topology.password())
              .readPolicy(policy).maxWait(Duration.ofSeconds(10))
              .metrics(counts);
          if (withMonitor) {
            b.monitor("http://127.0.0.1:" + monitor.httpPort());
          }
          try (CatchupDataSource ds = b.build()) {
            if (withMonitor) {
              awaitFollowing(ds);
            }
            Result r = drive("catchup " + policy + (withMonitor ? " + monitor" : ""), ds, null, null);
            results.add(r.withRouting(counts));
          }
        }
      }
    }
    System.out.println();
    System.out.printf("%-32s %6s %6s %8s %8s %11s %10s %10s%n", "strategy", "reads", "stale",
        "replica", "primary", "extra SQL", "read p50", "read max");
    for (Result r : results) {
      System.out.printf("%-32s %6d %6d %8s %8s %11s %7.1f ms %7.1f ms%n", r.name, r.reads, r.stale,
          r.onReplica, r.onPrimary, r.extraQueries, r.p50Millis(), r.maxMillis());
    }
    System.out.println();
    Result naive = results.get(0);
    int catchupStale = results.stream().skip(1).mapToInt(Result::stale).sum();
    System.out.printf("Naive splitting served %d of %d reads stale. Catchup served %d stale.%n"
        + "- WAIT: every read stayed on the replica and waited there (one wait query per read) for "
        + "the write's GTID.%n"
        + "- WAIT + monitor: the same, but the wait happened in the process on the monitor's push: "
        + "no extra query, no connection held while waiting.%n"
        + "- FALLBACK_TO_PRIMARY: reads the replica could not serve yet went to the primary (without "
        + "the monitor, one check query on the replica decides it).%n",
        naive.stale, naive.reads, catchupStale);
  }

  /**
   * Each thread writes an order on the primary and reads it back at once, in a loop: on the replica
   * directly when {@code ds} is null, else through Catchup.
   */
  private Result drive(String name, CatchupDataSource ds, HikariDataSource writer,
      HikariDataSource reader) throws Exception {
    System.out.printf("%s: %d threads x %d write-then-read...%n", name, threads, writesPerThread);
    AtomicInteger stale = new AtomicInteger();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          Session session = ds == null ? null : ds.newSession();
          for (int i = 0; i < writesPerThread; i++) {
            long id;
            try (Connection w = session == null ? writer.getConnection() : session.getConnection()) {
              id = insertOrder(w);
            }
            long start = System.nanoTime();
            boolean found;
            try (Connection r = session == null ? reader.getConnection() : session.getReadConnection()) {
              found = exists(r, id);
            }
            latencies.add(System.nanoTime() - start);
            if (!found) {
              stale.incrementAndGet();
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
    int reads = threads * writesPerThread;
    return new Result(name, reads, stale.get(), ds == null ? String.valueOf(reads) : "?",
        ds == null ? "0" : "?", "0", latencies);
  }

  private MonitorConfig monitorConfig() {
    return new MonitorConfig(flavor == ServerFlavor.MYSQL ? Flavor.MYSQL : Flavor.MARIADB,
        topology.user(), topology.password(),
        new MonitorConfig.Server("primary", topology.primary().host(), topology.primary().port()),
        topology.replicas().stream()
            .map(r -> new MonitorConfig.Server(r.name(), r.host(), r.port())).toList(),
        Duration.ofSeconds(3), TrackerSettings.DEFAULTS,
        new HttpSettings("127.0.0.1", 0, null, Duration.ofSeconds(1), Duration.ofSeconds(30)));
  }

  private static void awaitFollowing(CatchupDataSource ds) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!ds.routingHealth().followingMonitor()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the data source did not connect to the monitor: "
            + ds.routingHealth().reason());
      }
      Thread.sleep(20);
    }
  }

  /** A plain pool, as a service doing its own read/write splitting would have. */
  private HikariDataSource pool(Server server) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(server.jdbcUrl());
    c.setUsername(topology.user());
    c.setPassword(topology.password());
    c.setMaximumPoolSize(threads);
    return new HikariDataSource(c);
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

  private static boolean exists(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM demo_orders WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Counts where Catchup routed reads. */
  private static final class RoutingCounts implements CatchupMetrics {
    final AtomicInteger replica = new AtomicInteger();
    final AtomicInteger primary = new AtomicInteger();
    final AtomicInteger extra = new AtomicInteger();

    @Override
    public void extraQuery(String server) {
      extra.incrementAndGet();
    }

    @Override
    public void readRouted(Target target, String name, Consistency consistency) {
      (target == Target.REPLICA ? replica : primary).incrementAndGet();
    }
  }

  private record Result(String name, int reads, int stale, String onReplica, String onPrimary,
      String extraQueries, List<Long> nanos) {
    Result withRouting(RoutingCounts c) {
      return new Result(name, reads, stale, String.valueOf(c.replica.get()),
          String.valueOf(c.primary.get()), String.valueOf(c.extra.get()), nanos);
    }

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
