package dev.catchup.bench.strategies;

import static dev.catchup.bench.harness.Results.counts;
import static dev.catchup.bench.harness.Results.fmt;
import static dev.catchup.bench.harness.Results.num3;

import dev.catchup.bench.harness.BenchTable;
import dev.catchup.bench.harness.Results;
import dev.catchup.bench.harness.Stats;
import dev.catchup.bench.strategies.StrategiesReport.DelayResult;
import dev.catchup.bench.strategies.StrategiesReport.FlavorResult;
import java.util.stream.Collectors;

/** Renders a {@link StrategiesReport} as Markdown: every figure from the report, none typed here. */
record StrategiesMarkdown(StrategiesReport r, Results md) {
  void render() {
    md.page("Read-your-writes strategies side by side", "the same figures, and more,", () -> {
      glance();
      fallbackShare();
      strategies();
      summary();
    }, Results.CORES_AND_LOAD, () -> {
      howToRead();
      details();
    });
  }

  /**
   * Under FALLBACK_TO_PRIMARY, the reads right after a write that a replica served, without and
   * with the monitor side by side: following the monitor should not send more of them to the
   * primary (issue 15).
   */
  private void fallbackShare() {
    String direct = "catchup-fallback-to-primary";
    String monitor = direct + "-monitor";
    boolean measured = r.flavors().stream().flatMap(f -> f.delays().stream())
        .flatMap(d -> d.strategies().stream()).anyMatch(s -> s.afterWriteReplicaShare() != null);
    if (!measured) {
      return; // a report from before the share was counted
    }
    md.append("## FALLBACK_TO_PRIMARY: reads right after a write on a replica\n\n");
    md.table("flavor", ">delay", ">threads", ">asking the replicas directly",
        ">following the monitor", ">all reads on a replica: direct / monitor",
        ">fallbacks: direct / monitor");
    boolean any = false;
    for (FlavorResult f : r.flavors()) {
      for (DelayResult d : f.delays()) {
        StrategyResult a = d.strategies().stream().filter(s -> s.id().equals(direct)).findFirst()
            .orElse(null);
        StrategyResult b = d.strategies().stream().filter(s -> s.id().equals(monitor)).findFirst()
            .orElse(null);
        if (a == null && b == null) {
          continue;
        }
        any = true;
        md.row(f.flavor(), d.delaySeconds() + " s", r.options().threads(), share(a), share(b),
            (a == null ? "-" : percent(a.replicaShare())) + " / "
                + (b == null ? "-" : percent(b.replicaShare())),
            (a == null ? "-" : counts(a.fallbacks(), "0")) + " / "
                + (b == null ? "-" : counts(b.fallbacks(), "0")));
      }
    }
    md.append(any ? "\nThe session's token binds its other reads too (they follow the write by a few"
        + " ms): *all reads* counts them with the reads right after the write.\n\n"
        : "\n(neither strategy ran)\n\n");
  }

  private static String share(StrategyResult s) {
    return s == null ? "-" : percent(s.afterWriteReplicaShare());
  }

  /** Stale reads, the figure the rest is the price of, for every flavor and delay. */
  private void glance() {
    md.append("## At a glance\n\n");
    md.table("flavor", ">delay", ">a write showed on the replica(s) after, median",
        ">naive split: reads after write that were stale", ">Catchup, all its strategies: stale reads",
        "Catchup: failed reads (policy)");
    for (FlavorResult f : r.flavors()) {
      for (DelayResult d : f.delays()) {
        StrategyResult naive = d.strategies().stream()
            .filter(s -> s.id().equals(StrategyResult.NAIVE)).findFirst().orElse(null);
        long stale = 0;
        long reads = 0;
        StringBuilder failed = new StringBuilder();
        for (StrategyResult s : d.strategies()) {
          if (s.id().startsWith("catchup-")) {
            stale += s.stale();
            reads += s.afterWriteReads() + s.otherReads() - s.failedReads();
            if (s.failedReads() > 0) {
              failed.append(failed.length() == 0 ? "" : "; ").append(fmt("%d of %d (`%s`)",
                  s.failedReads(), s.afterWriteReads() + s.otherReads(), s.id()));
            }
          }
        }
        md.row(f.flavor(), d.delaySeconds() + " s", ms(d.observedApplyMillis().p50()) + " ms",
            naive == null ? "-" : of(naive.staleAfterWrite(), naive.afterWriteReads()),
            of(stale, reads), failed.length() == 0 ? "0" : failed);
      }
    }
    md.append("\nCatchup's stale reads are counted over the reads that returned a row; failed reads "
        + "(`ReplicaNotCaughtUpException`, by policy) return none. Latency, load and every other "
        + "figure per strategy below.\n\n");
  }

  private void strategies() {
    md.append("## Strategies\n\n");
    md.table("id", "what it does");
    r.strategies().forEach((id, what) -> md.row("`" + id + "`", what));
    md.append("\n");
  }

  private void summary() {
    md.append("## Results\n\n");
    for (FlavorResult f : r.flavors()) {
      for (DelayResult d : f.delays()) {
        md.append(fmt("### %s %s, %d replica(s), replication delay %d s\n\n", f.flavor(),
            f.serverVersion(), f.replicas(), d.delaySeconds()));
        Stats apply = d.observedApplyMillis();
        md.append(fmt("Before the strategies ran, a probe write showed on the replica(s) %s ms "
            + "after its commit reply (median of %d; max %s).\n\n", ms(apply.p50()), apply.n(),
            ms(apply.max())));
        md.table("strategy", ">stale reads: after write / other", ">reads on a replica",
            ">primary reads/s (× primary-only)",
            "read after write, ms p50 / p99 / max (× naive p50 / p99)",
            "other reads, ms p50 / p99 / max (× naive p50 / p99)", "write, ms p50 / p99",
            "extra queries per read: reported / on the wire",
            ">readers waiting at once / connections they held, peak", ">failed reads");
        for (StrategyResult s : d.strategies()) {
          StrategyResult.Ratios q = s.ratios();
          md.row("`" + s.id() + "`", of(s.staleAfterWrite(), s.afterWriteReads()) + " / "
                  + of(s.staleOther(), s.otherReads()), percent(s.replicaShare()),
              fmt("%.1f (%s)", s.primaryReadsPerSecond(), times(q.primaryReadsVsPrimaryOnly())),
              fmt("%s (%s / %s)", latency(s.afterWriteMillis()), times(q.afterWriteP50VsNaive()),
                  times(q.afterWriteP99VsNaive())),
              fmt("%s (%s / %s)", latency(s.otherMillis()), times(q.otherP50VsNaive()),
                  times(q.otherP99VsNaive())),
              ms(s.writeMillis().p50()) + " / " + ms(s.writeMillis().p99()),
              num3(s.extraQueriesPerRead()) + " / " + num3(s.wireExtraPerRead()),
              s.readersWaitingPeak() + " / " + s.connectionsInWaitPeak(),
              s.failedReads() == 0 ? "0" : of(s.failedReads(), s.afterWriteReads() + s.otherReads()));
        }
        md.append("\n");
      }
    }
  }

  private void howToRead() {
    StrategiesOptions o = r.options();
    md.append("## How to read this\n\n");
    md.append(fmt("""
        Per flavor the run starts a fresh topology (a primary and %d replica(s) on loopback, \
        GTID replication) and the Catchup monitor in-process with its documented defaults. For \
        each replication delay (%s s) every strategy runs %d s, in %d slices of %d ms, the \
        strategies taking turns slice by slice so that background noise spreads over all of them. \
        A slice ends when its time is up and every thread has finished the cycle it was in, so \
        strategies that wait run a little longer than the others. %s The replicas are not \
        drained between slices: at a delay they always hold the last moments' writes, as they \
        would in production. Before each delay's slices, a few probe writes time how long the \
        servers actually take to show a write on the replicas at that delay (the line under each \
        heading): a configured delay is not exactly the apply time.

        **Workload.** %d client threads, each with a session of its own, loop: write one of the \
        thread's %d rows with a value never written before (an upsert in autocommit: the first \
        pass inserts, later passes update), read that row back at once (the *read after write*), \
        then read %d rows picked at random from a catalog of %d rows written before the \
        measurement and never during it (the *other reads*), then pause %d ms. Every read is the \
        same point `%s`. Pools hold one connection per thread per server and are kept full, so \
        opening connections is not measured.

        **Stale reads** are counted by the benchmark, not by any strategy: a read after write is \
        stale when it does not return the value the thread just wrote (a missing row counts); an \
        other read is stale when it does not return the value the primary has for that row (read \
        back from the primary after seeding; nothing writes those rows afterwards). Failed reads \
        are not stale reads; they are counted apart.

        **Latency** of a read runs from asking for the read connection to closing it: routing, \
        any wait, the SELECT. Failed reads are left out of it. A write runs from borrowing the \
        primary connection to closing it. *× naive* is the strategy's percentile over the naive \
        split's at the same delay in this run.

        **Primary reads/s** are successful reads that ran on the primary, per second of the \
        strategy's measured time; *× primary-only* over the primary-only strategy's at the same \
        delay. The workload is a closed loop: a strategy that makes reads slower also makes \
        fewer of them, so compare the share of reads on a replica too. The primary's own \
        `Com_select` per second (every SELECT it ran, the monitor's included) is in the details.

        **Extra queries per read**: *reported* is what the strategy's routing says it ran of its \
        own, divided by the reads attempted: Catchup through `CatchupMetrics.extraQuery` (GTID \
        checks and waits on replicas, reading the primary's executed set), the GTID wait \
        strategy its waits; *on the wire* is counted independently by a Connector/J query \
        interceptor on every measured pool: every statement other than the benchmark's own \
        SELECT and upsert (GTID waits and checks, driver and pool statements), per read.

        **Waiting readers / connections they held**: the most client threads at once between \
        asking for a read connection and getting it (routing, and waiting when the strategy \
        waits), and the most database connections at once inside a GTID wait statement \
        (`WAIT_FOR_EXECUTED_GTID_SET` / `MASTER_GTID_WAIT`, counted as each enters and leaves \
        it; on MariaDB the zero-timeout check Catchup runs under `FAIL` and \
        `FALLBACK_TO_PRIMARY` is the same function and counts too). Both are exact peaks, not \
        samples. Catchup following the monitor waits in the process and holds no connection.

        At a delay, a waiting strategy's read-after-write latency is mostly the servers' apply \
        time. MySQL applies a delayed transaction at least the configured seconds after its \
        commit, later by an amount that depends on when the write committed (see the probe \
        line), so waiting strategies can differ at a delay by a fraction of a second for that \
        reason alone; `routing-bench.md` measures the wait beyond the apply itself. Every cycle \
        writes, so the sticky strategy keeps every read on the primary unless the think time is \
        longer than its window.

        One run on a small shared machine: treat differences of a few percent, or of a fraction \
        of a millisecond, as noise; the stale-read counts do not depend on timing luck in the \
        same way, but a short run can miss rare ones. These are measurements, never test \
        assertions.

        """, r.flavors().isEmpty() ? o.replicas() : r.flavors().get(0).replicas(),
        o.delays().stream().map(String::valueOf).collect(Collectors.joining(", ")), o.seconds(),
        o.rounds(), o.slice().toMillis(), o.warmup().isZero() ? "There was no warm-up."
            : fmt("An unmeasured warm-up slice of %d ms per strategy came first.",
                o.warmup().toMillis()), o.threads(), Workload.ROWS_PER_THREAD, o.otherReads(),
        o.catalogRows(), o.think().toMillis(), BenchTable.READ));
  }

  private void details() {
    md.append("## Details\n\n");
    md.table("flavor", ">delay", "strategy", ">cycles/s", "reads attempted: after write / other",
        "reads by target", "server waits (timed out), mean ms",
        "in-process waits (timed out), mean ms", "fallbacks", ">primary Com_select/s",
        "routing switches", "failures", "failed read, ms p50 / max");
    for (FlavorResult f : r.flavors()) {
      for (DelayResult d : f.delays()) {
        for (StrategyResult s : d.strategies()) {
          md.row(f.flavor(), d.delaySeconds() + " s", "`" + s.id() + "`",
              fmt("%.1f", s.cyclesPerSecond()), s.afterWriteReads() + " / " + s.otherReads(),
              counts(s.readsByTarget(), "-"), fmt("%d (%d), %s", s.serverWaits(),
                  s.serverWaitTimeouts(), num3(s.serverWaitMeanMillis())),
              fmt("%d (%d), %s", s.inProcessWaits(), s.inProcessWaitTimeouts(),
                  num3(s.inProcessWaitMeanMillis())), counts(s.fallbacks(), "-"),
              fmt("%.1f", s.primarySelectsPerSecond()), counts(s.routingSwitches(), "-"),
              counts(s.failures(), "-"), s.failedReadMillis().n() == 0 ? "-"
                  : ms(s.failedReadMillis().p50()) + " / " + ms(s.failedReadMillis().max()));
        }
      }
    }
    md.append("\nStatements on the wire by server and kind, and `Com_select` per server, are in "
        + "the JSON file.\n");
  }

  private static String of(long n, long of) {
    return fmt("%d of %d", n, of);
  }

  private static String latency(Stats s) {
    return s.n() == 0 ? "-" : fmt("%s / %s / %s", ms(s.p50()), ms(s.p99()), ms(s.max()));
  }

  private static String ms(double v) {
    return Double.isFinite(v) ? fmt(v >= 100 ? "%.0f" : "%.2f", v) : "-";
  }

  private static String times(Double v) {
    return v == null ? "-" : fmt("×%s", v >= 100 ? fmt("%.0f", v) : fmt("%.2f", v));
  }

  private static String percent(Double v) {
    return v == null ? "-" : fmt("%.1f%%", v * 100);
  }
}
