package dev.catchup.bench.routing;

import static dev.catchup.bench.harness.Results.counts;
import static dev.catchup.bench.harness.Results.fmt;
import static dev.catchup.bench.harness.Results.num3;
import static dev.catchup.bench.harness.Results.p50p99;

import dev.catchup.bench.harness.PoolSampler;
import dev.catchup.bench.harness.Results;
import dev.catchup.bench.harness.Stats;
import dev.catchup.bench.routing.RoutingReport.FlavorResult;

/**
 * Section 5 of {@code routing-bench.md}: a read right after its write at delay 0, its end against
 * the replica's actual apply, beside the replica connections the readers held, for Catchup with and
 * without the monitor and a proxy-style GTID wait.
 */
final class TimedAfterWriteMarkdown {
  /** The goal of issue 15 for Catchup following the monitor, in ms: p50, p99. */
  static final double GOAL_P50 = 0.5;
  static final double GOAL_P99 = 2.0;

  private TimedAfterWriteMarkdown() {}

  /** Whether the report has section 5 (reports from before it do not). */
  static boolean any(RoutingReport r) {
    return r.flavors().stream().anyMatch(f -> !f.timed().isEmpty());
  }

  /** The summary's cell for {@code f}: read end − apply p50 / p99 and connections, per mode. */
  static String summary(FlavorResult f) {
    StringBuilder out = new StringBuilder();
    for (WriteThenRead.Result w : f.timed()) {
      if (w.apply() == null) {
        continue;
      }
      out.append(out.isEmpty() ? "" : "; ").append(w.mode()).append(' ')
          .append(p50p99(w.apply().overheadMillis())).append(" (")
          .append(w.pools() == null ? "-" : fmt("%d, %.2f", w.pools().replicaPeakActive(),
              w.pools().replicaMeanActive())).append(')');
    }
    return out.isEmpty() ? "-" : out.toString();
  }

  static void render(RoutingReport r, Results md) {
    md.append("## 5. Right after the write (delay 0): the read's end against the actual apply\n\n");
    md.append(fmt("Each of %d threads writes its row and reads it back at once, %d times per mode "
        + "(`--after-write-reads` over the threads); milliseconds, *read end − apply* per read, "
        + "then its percentiles. The goal for Catchup following the monitor: p50 ≤ %s ms, p99 ≤ "
        + "%s ms against the poller. Connections: the replica pools' active connections sampled "
        + "every %d ms while the threads run (a read's own query counts too), peak and mean. "
        + "Following the monitor, a read right after its own write waits server-side on a replica "
        + "the monitor shows current for at most 20 ms (the monitor's confirmation trails the "
        + "replica's apply by a few ms), then in the process.\n\n", r.options().afterWriteThreads(),
        Math.max(1, r.options().afterWriteReads() / r.options().afterWriteThreads()),
        num3(GOAL_P50), num3(GOAL_P99), WriteThenRead.SAMPLE_INTERVAL.toMillis()));
    md.table("flavor", "mode", ">samples", "apply (poller) p50 / p99",
        "**read end − apply p50 / p99**", "min / max", "**read end − replica commit p50 / p99**",
        "**replica connections active, peak / mean**", ">in-process waits (mean ms)",
        ">server waits (mean ms)", "reads by target", "fallbacks", ">failed", ">stale",
        "read p50 / p99 ms");
    for (FlavorResult f : r.flavors()) {
      for (WriteThenRead.Result w : f.timed()) {
        WriteThenRead.Apply a = w.apply();
        if (a == null) {
          continue;
        }
        Stats o = a.overheadMillis();
        Stats vs = a.readEndMinusReplicaCommitMillis();
        PoolSampler.Figures p = w.pools();
        md.row(f.flavor(), w.mode(), a.samples(), p50p99(a.applyMillis()), "**" + p50p99(o) + "**",
            num3(o.min()) + " / " + num3(o.max()), "**" + (vs == null ? "-" : p50p99(vs)) + "**",
            p == null ? "-" : fmt("**%d / %.2f**", p.replicaPeakActive(), p.replicaMeanActive()),
            waits(w.inProcessWaits(), w.inProcessWaitTimeouts(), w.inProcessWaitMeanMillis()),
            waits(w.serverWaits(), w.serverWaitTimeouts(), w.serverWaitMeanMillis()),
            counts(w.readsByTarget(), "none"), counts(w.fallbacks(), "none"), w.failures(),
            w.stale(), p50p99(w.readMillis()));
      }
    }
    md.append("\nA thread waits for its row on every replica before it writes again, so polls and "
        + "writes never overlap. *Replica commit*: MySQL only, the write's commit time in the "
        + "replica's binlog. *Server waits*: reads that ran a wait query on a replica "
        + "(+ those that timed out); Catchup following the monitor waits server-side only for a "
        + "token younger than its bound while the monitor shows a replica current, and at most "
        + "that bound, then in the process.\n\n");
  }

  /** Whether {@code w} measured Catchup (not raw JDBC nor the proxy-style wait). */
  static boolean isCatchup(WriteThenRead.Result w) {
    return w.mode().equals(Mode.MONITOR.label()) || w.mode().equals(Mode.DIRECT.label());
  }

  private static String waits(long reached, long timedOut, Double mean) {
    String n = timedOut == 0 ? String.valueOf(reached) : fmt("%d (+%d)", reached, timedOut);
    return mean == null ? n : n + " (" + num3(mean) + ")";
  }
}
