package dev.catchup.bench.routing;

import static dev.catchup.bench.harness.Results.counts;
import static dev.catchup.bench.harness.Results.fmt;
import static dev.catchup.bench.harness.Results.num3;
import static dev.catchup.bench.harness.Results.p50p99;

import dev.catchup.bench.harness.PoolSampler;
import dev.catchup.bench.harness.Results;
import dev.catchup.bench.harness.Stats;
import dev.catchup.bench.routing.RoutingReport.FlavorResult;
import dev.catchup.monitor.tracking.TrackerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link RoutingReport} as Markdown: every figure from the report, none typed here. */
record RoutingMarkdown(RoutingReport r, Results md) {
  void render() {
    md.page("Routing benchmark: the SDK with and without the monitor", "the same figures",
        this::summary, Results.CORES_AND_LOAD, () -> {
          howToRead();
          extraQueries();
          latency();
          waits();
          held();
          if (TimedAfterWriteMarkdown.any(r)) {
            TimedAfterWriteMarkdown.render(r, md);
          }
        });
  }

  private void summary() {
    md.append("## Summary\n\n");
    boolean timed = TimedAfterWriteMarkdown.any(r);
    List<String> head = new ArrayList<>(List.of("flavor",
        "extra queries per read: monitor covered / monitor right after write / "
            + "direct covered / direct right after write",
        "covered read vs raw JDBC, p50 / p99 ratio: monitor; direct",
        "uncovered read end − actual apply (poller), p50 / p99 ms: monitor; direct",
        "replica connections held, peak (mean): monitor; direct"));
    if (timed) {
      head.add("right after write, delay 0: read end − apply p50 / p99 ms (replica connections "
          + "peak, mean), per mode");
    }
    head.add("stale reads: Catchup, all phases; raw JDBC right after write");
    md.table(head.toArray(String[]::new));
    for (FlavorResult f : r.flavors()) {
      CoveredReads.ModeResult cm = covered(f, Mode.MONITOR);
      CoveredReads.ModeResult cd = covered(f, Mode.DIRECT);
      WriteThenRead.Result am = first(f.afterWrite(), Mode.MONITOR);
      WriteThenRead.Result ad = first(f.afterWrite(), Mode.DIRECT);
      WriteThenRead.Result ar = first(f.afterWrite(), Mode.RAW);
      WriteThenRead.Result wm = first(f.waits(), Mode.MONITOR);
      WriteThenRead.Result wd = first(f.waits(), Mode.DIRECT);
      WriteThenRead.Result hm = first(f.held(), Mode.MONITOR);
      WriteThenRead.Result hd = first(f.held(), Mode.DIRECT);
      List<Object> row = new ArrayList<>(List.of(f.flavor(), String.join(" / ",
              num3(cm.extraQueriesPerRead()), num3(am.extraQueriesPerRead()),
              num3(cd.extraQueriesPerRead()), num3(ad.extraQueriesPerRead())),
          num3(cm.p50RatioToRaw()) + " / " + num3(cm.p99RatioToRaw()) + "; "
              + num3(cd.p50RatioToRaw()) + " / " + num3(cd.p99RatioToRaw()),
          overhead(wm) + "; " + overhead(wd), heldConnections(hm) + "; " + heldConnections(hd)));
      if (timed) {
        row.add(TimedAfterWriteMarkdown.summary(f));
      }
      row.add(fmt("%d of %d; %s", catchupStaleOfReads(f)[0], catchupStaleOfReads(f)[1],
          ar == null ? "-" : fmt("%d of %d", ar.stale(), ar.reads())));
      md.row(row.toArray());
    }
    md.append(fmt("\nConnections: the first held-connections row of each mode (%d threads, pool %s)."
        + " Details and every other figure below.\n\n", r.options().heldThreads(),
        r.flavors().isEmpty() || first(r.flavors().get(0).held(), Mode.DIRECT) == null ? "-"
            : first(r.flavors().get(0).held(), Mode.DIRECT).poolSize()));
  }

  private static String overhead(WriteThenRead.Result w) {
    if (w == null || w.apply() == null) {
      return "-";
    }
    Stats vs = w.apply().readEndMinusReplicaCommitMillis();
    return p50p99(w.apply().overheadMillis())
        + (vs == null ? "" : " (vs replica commit " + p50p99(vs) + ")");
  }

  private static String heldConnections(WriteThenRead.Result h) {
    return h == null || h.pools() == null ? "-"
        : fmt("%d (%.2f)", h.pools().replicaPeakActive(), h.pools().replicaMeanActive());
  }

  /** Catchup's stale reads and reads over every phase: {@code {stale, reads}}. */
  private static long[] catchupStaleOfReads(FlavorResult f) {
    long[] n = new long[2];
    for (CoveredReads.ModeResult m : f.covered().modes()) {
      if (!m.mode().equals(Mode.RAW.label())) {
        n[0] += m.stale();
        n[1] += m.reads();
      }
    }
    for (List<WriteThenRead.Result> phase : List.of(f.afterWrite(), f.waits(), f.held(),
        f.timed())) {
      for (WriteThenRead.Result w : phase) {
        if (TimedAfterWriteMarkdown.isCatchup(w)) {
          n[0] += w.stale();
          n[1] += w.reads();
        }
      }
    }
    return n;
  }

  private void howToRead() {
    RoutingOptions o = r.options();
    md.append("## How to read this\n\n");
    md.append(fmt("""
        Per flavor the run starts a fresh topology (a primary and %d replica(s) on loopback, \
        replication delay 0) and the monitor in-process with its documented defaults, and compares \
        three ways of reading the same row with the same point `SELECT v FROM routing_bench WHERE \
        id = ?`: **raw JDBC** (a plain HikariCP pool per server, reads in rotation over the \
        replicas, no guarantee), **Catchup + monitor** (`CatchupDataSource` following the \
        monitor's `/stream`) and **Catchup direct** (the same data source without a monitor, which \
        asks the replica with a check or wait query). Catchup reads use `READ_YOUR_WRITES`, policy \
        `%s` and `maxWait` %s: a read never goes to the primary on purpose. Every pool is kept \
        full (minimum idle = maximum), so that opening connections is not measured. Every write \
        is an upsert of a value never written before, and every read is compared with the value \
        its own thread or session wrote: a different value is a *stale* read, counted by the \
        benchmark, not by Catchup.

        **Extra queries** are what the SDK reports through `CatchupMetrics.extraQuery(server)`: \
        queries routing ran of its own (GTID checks and waits on replicas, reading the primary's \
        executed set), divided by the reads. *In-process waits* are reads that waited for the \
        monitor's push (`waitedForMonitor`), *server waits* reads that ran a wait query on a \
        replica (`waited`; in direct mode a covered read runs one too, which returns at once). \
        In direct mode the SDK remembers per replica what it confirmed for any session, so a \
        read whose token an earlier session's wait already covered runs no query: that is why \
        direct mode can show fewer than one extra query per read when several threads write at \
        once.

        **Covered reads** (sections 1 and 2, delay 0): in batches, %d sessions each write one \
        row; the benchmark waits until every replica has applied everything the primary committed \
        (with the server's own wait function on a connection of its own; in monitor mode until \
        the monitor's registry confirmed it and one probe read, not measured, saw the SDK's view \
        cover it); then reads each row once through its session, in write order, and times each \
        read from asking for the connection to closing it. So each read's token is newer than \
        anything the SDK confirmed before, as for a session that reads a little after its write. \
        The three modes take turns batch by batch (%d warm-up reads per mode, then %d measured), \
        so that background noise spreads over all of them. The *ratio* is the mode's percentile \
        over raw JDBC's. *Com_select per read* is the replica's own `SHOW GLOBAL STATUS LIKE \
        'Com_select'` increase over the reading windows only, divided by the reads: the read \
        itself counts 1, a wait query 1 more; the monitor's tracker also confirms on a timer \
        (every %s by default) with a SELECT, which lands in a window now and then.

        **Right after the write** (section 1, delay 0): %d threads, each with its own session and \
        row, write and read back at once, %d cycles per mode in all. Raw JDBC's stale reads here \
        are what naive read/write splitting serves without any delay configured.

        **Uncovered reads** (section 3): the replicas apply with a %d s delay; %d threads write \
        and read at once, %d times each, with the SDK's default pool size. The benchmark times, \
        independently of Catchup and the monitor, when each write became visible on each \
        replica: one thread per replica polls the phase's rows every %s on a connection of its \
        own. *Apply* is from the write's commit reply to the return of the first poll that saw \
        the row; *read end* from the same commit reply to the end of the read through Catchup \
        (both end with a SELECT that returned the row); *read end − apply* is how much later than \
        the poller Catchup had its answer: the cost of waiting for the monitor's push (binlog \
        event, confirmation read, publish, `/stream`, wake-up) or for the server-side wait to \
        return. The polling period makes *apply* late by up to one period, so the difference can be \
        understated by as much, and a negative value means Catchup answered within one polling \
        period of the poller. The poller is one thread among many on two cores: when many \
        readers wake at once it can be scheduled late, which makes *apply* late and the \
        difference smaller, even negative. So on MySQL a second reference is read after each \
        run, needing no thread to be on time: the replica's own commit of each write \
        (`immediate_commit_timestamp` in its binlog, microseconds of the same system clock), \
        matched by the row values in the binlog's row images; *read end − replica commit* \
        includes the moment between that commit being written and becoming visible to readers, \
        so it slightly overstates where the poller understates. (MariaDB's binlog has whole \
        seconds only.) The *apply* columns show what the servers actually did with the \
        configured delay, which is not the same as the delay itself. A thread waits for its row \
        on every replica before writing again. The held-connections runs below are timed the \
        same way and appear in this table too.

        **Connections held** (section 4): %d threads write and read at once, %d times each, at \
        the same delay, first with one connection per thread per pool, then with the SDK's \
        default pool size when that is smaller than the readers waiting on one replica. A sampler \
        reads each HikariCP pool's MBean (`com.zaxxer.hikari:type=Pool (catchup-<server>)`, \
        registered with `configurePools(c -> c.setRegisterMbeans(true))`) every %s: active \
        connections, threads waiting for a connection, and the number of benchmark threads inside \
        a read (from asking for the connection to closing it; nearly all of that is waiting). \
        Mean and peak are over the samples of the whole run. When more direct-mode readers wait \
        than a replica pool has connections, the others wait to borrow one, for at most the \
        SDK's replica connect timeout; the *fallbacks* and *reads by target* columns show what \
        the SDK then did with them.

        One run on a small shared machine: treat differences of a few percent, or of a fraction \
        of a millisecond, as noise. These are measurements, never test assertions.

        """, o.replicas(), Access.POLICY, Access.MAX_WAIT, o.batch(),
        r.flavors().isEmpty() ? o.warmupReads() : r.flavors().get(0).covered().warmupReads(),
        r.flavors().isEmpty() ? o.coveredReads() : r.flavors().get(0).covered().measuredReads(),
        human(TrackerSettings.DEFAULTS.reconcileInterval()), o.afterWriteThreads(),
        o.afterWriteReads(), o.delaySeconds(), o.waitThreads(), o.waitRounds(),
        human(WriteThenRead.POLL_INTERVAL), o.heldThreads(), o.heldRounds(),
        human(WriteThenRead.SAMPLE_INTERVAL)));
  }

  private void extraQueries() {
    md.append("## 1. Extra queries per read, reads by target, stale reads\n\n");
    md.table("flavor", "phase", "mode", ">pool", ">reads", ">extra queries", ">**per read**",
        "by server", ">in-process waits", ">server waits", "Com_select per read (replica)",
        "reads by target", "fallbacks", ">stale", ">failed", "routing switches");
    for (FlavorResult f : r.flavors()) {
      for (CoveredReads.ModeResult m : f.covered().modes()) {
        boolean raw = m.mode().equals(Mode.RAW.label());
        md.row(f.flavor(), "covered, delay 0", m.mode(), "-", fmt("%,d", m.reads()),
            raw ? "-" : m.extraQueries(),
            "**" + (raw ? "- (none by construction)" : num3(m.extraQueriesPerRead())) + "**", "-",
            raw ? "-" : m.inProcessWaits(), raw ? "-" : m.serverWaits(),
            perReplica(m.comSelectPerRead()), counts(m.readsByTarget(), "none"), "-", m.stale(),
            m.failures(), raw ? "-" : counts(m.routingSwitches(), "none"));
      }
      for (List<WriteThenRead.Result> phase : List.of(f.afterWrite(), f.waits(), f.held())) {
        for (WriteThenRead.Result w : phase) {
          boolean raw = w.mode().equals(Mode.RAW.label());
          md.row(f.flavor(), w.label(), w.mode(), w.poolSize(), fmt("%,d", w.reads()),
              raw ? "-" : w.extraQueries(),
              "**" + (raw ? "- (none by construction)" : num3(w.extraQueriesPerRead())) + "**",
              raw ? "-" : counts(w.extraQueriesByServer(), "none"),
              raw ? "-" : waitsWithTimeouts(w.inProcessWaits(), w.inProcessWaitTimeouts()),
              raw ? "-" : waitsWithTimeouts(w.serverWaits(), w.serverWaitTimeouts()), "-",
              counts(w.readsByTarget(), "none"), raw ? "-" : counts(w.fallbacks(), "none"),
              w.stale(), w.failures(), raw ? "-" : counts(w.routingSwitches(), "none"));
        }
      }
    }
    md.append("\n*Reads by target* counts reads that returned; *failed* reads threw (for example "
        + "`ReplicaNotCaughtUpException`). *In-process* and *server waits* show \"reached "
        + "(+ timed out)\" when any timed out.\n\n");
  }

  private void latency() {
    md.append("## 2. Covered read latency against raw JDBC on the same replica(s)\n\n");
    md.append("Milliseconds per read, from asking for the connection to closing it:\n\n");
    md.table("flavor", "mode", ">reads", ">p50", ">p90", ">p99", ">max", ">min", ">mean",
        ">p50 / raw p50", ">p99 / raw p99", ">extra queries per read");
    for (FlavorResult f : r.flavors()) {
      for (CoveredReads.ModeResult m : f.covered().modes()) {
        Stats s = m.readMillis();
        boolean raw = m.mode().equals(Mode.RAW.label());
        md.row(f.flavor(), m.mode(), fmt("%,d", s.n()), num3(s.p50()), num3(s.p90()), num3(s.p99()),
            num3(s.max()), num3(s.min()), num3(s.mean()), num3(m.p50RatioToRaw()),
            num3(m.p99RatioToRaw()), raw ? "-" : num3(m.extraQueriesPerRead()));
      }
    }
    md.append("\n");
  }

  private void waits() {
    md.append(fmt("## 3. Uncovered reads (delay %d s): Catchup's answer against the actual apply\n\n",
        r.options().delaySeconds()));
    md.append("Milliseconds from the write's commit reply; *read end − apply* per read, then its "
        + "percentiles:\n\n");
    md.table("flavor", "run", "mode", ">samples", "apply (poller) p50 / p99", "read end p50 / p99",
        "**read end − apply p50 / p99**", "min / max", ">mean", "replica commit (binlog) p50 / p99",
        "**read end − replica commit p50 / p99**", "min / max", ">in-process wait mean",
        ">server wait mean", "read p50 / p99", ">polls", ">seen by the first poll");
    for (FlavorResult f : r.flavors()) {
      for (List<WriteThenRead.Result> phase : List.of(f.waits(), f.held())) {
        for (WriteThenRead.Result w : phase) {
          WriteThenRead.Apply a = w.apply();
          if (a == null) {
            continue;
          }
          Stats o = a.overheadMillis();
          Stats rc = a.replicaCommitMillis();
          Stats vs = a.readEndMinusReplicaCommitMillis();
          md.row(f.flavor(), w.label(), w.mode(), a.samples(), p50p99(a.applyMillis()),
              p50p99(a.readEndMillis()), "**" + p50p99(o) + "**", num3(o.min()) + " / " + num3(o.max()),
              num3(o.mean()), rc == null ? "-" : p50p99(rc),
              "**" + (vs == null ? "-" : p50p99(vs)) + "**",
              vs == null ? "-" : num3(vs.min()) + " / " + num3(vs.max()),
              num3(w.inProcessWaitMeanMillis()), num3(w.serverWaitMeanMillis()),
              p50p99(w.readMillis()), fmt("%,d", a.polls()), a.firstPoll());
        }
      }
    }
    md.append("\n*Seen by the first poll*: rows that no poll had missed (their apply time is only an "
        + "upper bound); expected 0 with a delay.\n\n");
  }

  private void held() {
    md.append(fmt("## 4. Database connections held by waiting readers (delay %d s)\n\n",
        r.options().delaySeconds()));
    md.table("flavor", "mode", ">pool (per server)", ">threads", ">samples",
        "readers inside a read, mean / peak", "**replica connections active, mean / peak**",
        ">threads waiting for a replica connection, peak", "primary connections active, mean / peak",
        "reads by target", "fallbacks", ">failed", ">stale", "read p50 / p99 ms", ">seconds");
    for (FlavorResult f : r.flavors()) {
      for (List<WriteThenRead.Result> phase : List.of(f.waits(), f.held())) {
        for (WriteThenRead.Result w : phase) {
          PoolSampler.Figures p = w.pools();
          if (p == null) {
            continue;
          }
          int awaiting = 0;
          String primary = "-";
          for (Map.Entry<String, PoolSampler.PoolFigures> e : p.pools().entrySet()) {
            if (e.getKey().equals(Access.Catchup.POOL_PREFIX + "primary")) {
              primary = fmt("%.2f / %d", e.getValue().meanActive(), e.getValue().peakActive());
            } else {
              awaiting = Math.max(awaiting, e.getValue().peakAwaiting());
            }
          }
          md.row(f.flavor(), w.mode(), w.poolSize(), w.threads(), fmt("%,d", p.samples()),
              fmt("%.2f / %d", p.readersMean(), p.readersPeak()),
              fmt("**%.2f / %d**", p.replicaMeanActive(), p.replicaPeakActive()), awaiting, primary,
              counts(w.readsByTarget(), "none"), counts(w.fallbacks(), "none"), w.failures(),
              w.stale(), p50p99(w.readMillis()), fmt("%.1f", w.seconds()));
        }
      }
    }
    md.append("\nThe first rows of each flavor are the uncovered-reads runs of section 3 (fewer "
        + "threads), sampled the same way.\n\n");
  }

  private static CoveredReads.ModeResult covered(FlavorResult f, Mode mode) {
    return f.covered().modes().stream().filter(m -> m.mode().equals(mode.label())).findFirst()
        .orElseThrow();
  }

  private static WriteThenRead.Result first(List<WriteThenRead.Result> rs, Mode mode) {
    return rs.stream().filter(w -> w.mode().equals(mode.label())).findFirst().orElse(null);
  }

  private static String waitsWithTimeouts(long reached, long timedOut) {
    return timedOut == 0 ? String.valueOf(reached) : fmt("%d (+%d)", reached, timedOut);
  }

  private static String perReplica(Map<String, Double> m) {
    return m == null || m.isEmpty() ? "-" : m.entrySet().stream()
        .map(e -> e.getKey() + " " + num3(e.getValue())).collect(Collectors.joining(", "));
  }

  /** {@code 500 ms}, {@code 1 ms}: a setting as a person writes it. */
  private static String human(Duration d) {
    return d.toMillis() + " ms";
  }
}
