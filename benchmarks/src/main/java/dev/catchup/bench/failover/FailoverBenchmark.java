package dev.catchup.bench.failover;

import dev.catchup.bench.failover.FailoverOptions.Kind;
import dev.catchup.bench.failover.FailoverOptions.Mode;
import dev.catchup.bench.failover.FailoverReport.Cell;
import dev.catchup.bench.failover.FailoverReport.FlavorResult;
import dev.catchup.bench.failover.FailoverReport.Round;
import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.InProcessMonitor;
import dev.catchup.bench.harness.Launcher;
import dev.catchup.bench.harness.Progress;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.monitor.Monitor;
import dev.catchup.monitor.tracking.TrackerSettings;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupDataSourceBuilder;
import dev.catchup.sdk.ReadOptions;
import dev.catchup.sdk.ReadPolicy;
import dev.catchup.sdk.workload.CheckedWorkload;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of {@code scripts/bench-failover.sh}. Per flavor: one topology (a primary and N
 * replicas), then per mode (the SDK alone, the SDK with an in-process monitor) and kind (planned
 * switchover, unplanned failover) R rounds. A round builds a data source (and a monitor) over the
 * topology as it is, runs the {@link CheckedWorkload}, changes the primary ({@link Change}), waits
 * for the first write and read after the promotion, lets the workload run on for the settle time,
 * and counts the rows the new primary lacks. A planned round leaves the topology whole (the old
 * primary replicates from the new one); after an unplanned one a new replica of the new primary
 * replaces the dead server, so every round starts with N replicas. Writes {@code failover.md} and
 * {@code failover.json}.
 *
 * <p>Exit codes: 0 done, 1 a round failed, 2 bad arguments.
 */
final class FailoverBenchmark {
  static final ReadPolicy POLICY = ReadPolicy.WAIT_THEN_FALLBACK;
  /** How long a borrow waits for a dead server, as in the SDK's failover tests. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  /** The monitor's, at its documented default. */
  static final Duration RECONCILE = TrackerSettings.DEFAULTS.reconcileInterval();
  private static final String APP_USER = "bench_app";
  private static final String APP_PASSWORD = "app-secret";
  private static final Duration UP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CATCH_UP = Duration.ofSeconds(30);
  /** Id ranges per round: room for the most threads and the writer. */
  private static final long IDS_PER_ROUND = 32 * CheckedWorkload.IDS_PER_SESSION;

  private FailoverBenchmark() {}

  public static void main(String[] args) {
    Launcher.main("bench-failover", args, FailoverOptions::parse, FailoverOptions.USAGE,
        FailoverBenchmark::measure,
        (o, m) -> new FailoverReport(o, m.machine(), m.started(), m.seconds(), m.flavors()));
  }

  private static FlavorResult measure(Topology t, FailoverOptions o, Progress progress)
      throws Exception {
    String name = Topology.cliName(t.flavor());
    BenchTable.create(t);
    List<Cell> cells = new ArrayList<>();
    int index = 0;
    for (Mode mode : o.modes()) {
      for (Kind kind : o.kinds()) {
        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= o.rounds(); r++) {
          progress.say("%s: %s, %s, round %d of %d: %s", name, mode.label(), kind.label(), r,
              o.rounds(), t);
          Round round = round(t, o, mode, kind, index++);
          progress.say("%s: %s, %s, round %d: %s -> %s, first write %s ms (writer %s ms), first "
                  + "read %s ms, stale %d, failed writes %s, failed reads %s, lost writes %d, named "
                  + "%d", name, mode.label(), kind.label(), r, round.oldPrimary(), round.newPrimary(),
              round.firstWriteMs(), round.writerFirstWriteMs(), round.firstReadMs(), round.staleReads(), round.failedWrites(),
              round.failedReads(), round.loss().lostWrites(), round.loss().namedGtids());
          rounds.add(round);
        }
        cells.add(new Cell(mode.label(), kind.label(), rounds));
      }
    }
    return new FlavorResult(name, t.version(), cells);
  }

  private static Round round(Topology t, FailoverOptions o, Mode mode, Kind kind, int index)
      throws Exception {
    List<Server> replicas = t.replicas();
    for (int k = 0; k < replicas.size(); k++) {
      if (kind == Kind.UNPLANNED) {
        // Staggered, so that the first replica is the most advanced and the others never hold a
        // transaction it lacks when it is promoted.
        t.setDelayAtLeast(replicas.get(k), o.delay().multipliedBy(k + 1L));
      } else {
        t.setDelay(replicas.get(k), Duration.ZERO);
      }
    }
    // Unlogged, so a replica added after the last round lacks it: made on every server each round.
    t.createUser(APP_USER, APP_PASSWORD, appGrants(t.flavor()));
    Round round;
    Monitor monitor = mode == Mode.MONITOR ? InProcessMonitor.start(t) : null;
    try {
      if (monitor != null) {
        InProcessMonitor.awaitUp(monitor.registry(), UP_TIMEOUT);
      }
      try (CatchupDataSource ds = dataSource(t, o, monitor)) {
        InProcessMonitor.awaitFollowing(ds, UP_TIMEOUT);
        round = measureRound(t, o, kind, ds, (index + 1L) * IDS_PER_ROUND);
      }
    } finally {
      if (monitor != null) {
        monitor.close();
      }
    }
    if (kind == Kind.UNPLANNED) {
      t.addReplica(t.primary(), Duration.ZERO);
    }
    return round;
  }

  private static Round measureRound(Topology t, FailoverOptions o, Kind kind, CatchupDataSource ds,
      long idBase) throws Exception {
    Change.Times change;
    Duration writerFirstWrite;
    Duration firstWrite;
    Duration firstRead;
    CheckedWorkload w = new CheckedWorkload(ds, BenchTable.TABLE, idBase, o.think(), FailureKey::of);
    try (w) {
      w.start(o.threads(), "failover-workload").startWriter("failover-writer");
      if (!w.awaitProgress((long) o.threads() * o.warmupReads(), UP_TIMEOUT)) {
        throw new IllegalStateException("the workload made no progress before the change: writes "
            + w.writeFailures() + ", reads " + w.readFailures());
      }
      change = kind == Kind.PLANNED ? Change.planned(t, CATCH_UP) : Change.unplanned(t);
      if (w.awaitRecovered(change.promotedNanos(), RECOVERY_TIMEOUT)) {
        TimeUnit.MILLISECONDS.sleep(o.settle().toMillis()); // the workload runs on meanwhile
      }
      writerFirstWrite = w.writerFirstWriteAfter(change.promotedNanos());
      firstWrite = w.firstWriteAfter(change.promotedNanos());
      firstRead = w.firstReadAfter(change.promotedNanos());
    }
    List<CheckedWorkload.Acked> acked = w.acked();
    Set<Long> present = present(t, idBase, idBase + IDS_PER_ROUND);
    LossAccount.Loss loss = LossAccount.of(t.flavor(), acked.stream().map(a -> new LossAccount.Write(
        a.session(), a.id(), LossAccount.writeGtid(a.before(), a.after()))).toList(), present,
        w.named(), newPrimary(t));
    return new Round(change.oldPrimary(), change.newPrimary(),
        millis(change.promotedNanos() - change.startedNanos()),
        millis(change.doneNanos() - change.promotedNanos()),
        millis(writerFirstWrite), millis(firstWrite), millis(firstRead), acked.size(), w.reads(),
        w.writerAcked().size(), w.writerFailures(),
        w.writerAcked().stream().filter(a -> !present.contains(a.id())).count(),
        w.writeFailures(), w.readFailures(), w.stale(),
        w.staleExamples(), millis(w.longestRead().toNanos()), ds.primaryName(),
        ds.routingHealth().followingMonitor(), loss);
  }

  /**
   * An application's account: {@code read_only} binds it (an account with every privilege may
   * write on a read-only MariaDB server), and it may read replication status, as the SDK's
   * discovery needs.
   */
  private static List<String> appGrants(Flavor flavor) {
    return List.of("GRANT SELECT, INSERT, UPDATE, DELETE, "
        + (flavor == Flavor.MYSQL ? "REPLICATION CLIENT" : "SLAVE MONITOR")
        + " ON *.* TO '" + APP_USER + "'@'%'");
  }

  private static CatchupDataSource dataSource(Topology t, FailoverOptions o, Monitor monitor) {
    CatchupDataSourceBuilder b = CatchupDataSource.builder()
        .flavor(t.flavor())
        .primary(t.primary().name(), t.primary().jdbcUrl())
        .credentials(APP_USER, APP_PASSWORD)
        .poolSize(o.threads() + 2)
        .connectTimeout(CONNECT_TIMEOUT)
        .topologyCheckInterval(o.checkInterval())
        .readOptions(ReadOptions.DEFAULTS.withPolicy(POLICY).withMaxWait(o.maxWait()));
    for (Server r : t.replicas()) {
      b.replica(r.name(), r.jdbcUrl());
    }
    if (monitor != null) {
      b.monitor(InProcessMonitor.url(monitor));
    }
    return b.build();
  }

  /** What the (new) primary has: every transaction it executed, by server on MariaDB. */
  private static LossAccount.NewPrimary newPrimary(Topology t) throws SQLException {
    try (Connection c = t.connect(t.primary()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(t.flavor() == Flavor.MYSQL
             ? "SELECT @@global.gtid_executed" : "SELECT @@global.gtid_binlog_state")) {
      rs.next();
      String text = rs.getString(1) == null ? "" : rs.getString(1).replace("\n", "");
      return t.flavor() == Flavor.MYSQL
          ? LossAccount.NewPrimary.mysql(GtidSet.parse(Flavor.MYSQL, text))
          : LossAccount.NewPrimary.mariadb(MariaDbBinlogState.parse(text));
    }
  }

  /** The round's rows the (new) primary has. */
  private static Set<Long> present(Topology t, long from, long to) throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Connection c = t.connect(t.primary());
         PreparedStatement ps = c.prepareStatement("SELECT id FROM " + BenchTable.TABLE
             + " WHERE id >= ? AND id < ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }

  private static Double millis(Duration d) {
    return d == null ? null : millis(d.toNanos());
  }
}
