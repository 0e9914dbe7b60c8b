package dev.catchup.bench.failover;

import static dev.catchup.bench.harness.Results.fmt;

import dev.catchup.bench.failover.FailoverReport.Cell;
import dev.catchup.bench.failover.FailoverReport.FlavorResult;
import dev.catchup.bench.failover.FailoverReport.Round;
import dev.catchup.bench.harness.Results;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** Renders a {@link FailoverReport} as Markdown: every figure from the report, none typed here. */
final class FailoverMarkdown {
  private final FailoverReport r;
  private final Results md;

  FailoverMarkdown(FailoverReport report, Results md) {
    this.r = report;
    this.md = md;
  }

  void render() {
    md.head("Failover: the SDK while the primary is replaced", "the same figures and every round's");
    summary();
    md.machine(Results.CORES_AND_LOAD);
    md.parameters();
    howToRead();
    failures();
    rounds();
  }

  private void summary() {
    md.append("## Summary\n\n");
    md.append("Times are from the instant `promote` returned (the new primary writable), one figure "
        + "per round; counts are summed over the rounds. See \"How to read it\" below.\n\n");
    md.table("flavor", "mode", "kind", ">rounds", "promotion → first write, ms",
        "promotion → first read-your-writes read, ms", ">failed writes", ">failed reads",
        ">stale reads", ">reads failed as lost writes: reads / GTIDs named / sessions",
        ">writes actually lost: writes / sessions / named by a read", ">named, not lost");
    for (FlavorResult f : r.flavors()) {
      for (Cell c : f.cells()) {
        List<Round> rs = c.rounds();
        md.row(f.flavor(), c.mode(), c.kind(), rs.size(), times(rs, Round::firstWriteMs),
            times(rs, Round::firstReadMs), sum(rs, x -> total(x.failedWrites())),
            sum(rs, x -> total(x.failedReads())), sum(rs, Round::staleReads),
            sum(rs, x -> x.loss().lostReads()) + " / " + sum(rs, x -> x.loss().namedGtids())
                + " / " + sum(rs, x -> x.loss().namedSessions()),
            sum(rs, x -> x.loss().lostWrites()) + " / " + sum(rs, x -> x.loss().lostSessions())
                + " / " + sum(rs, x -> x.loss().lostWritesNamed()),
            sum(rs, x -> x.loss().namedNotLost()));
      }
    }
    md.append("\n");
  }

  private void howToRead() {
    FailoverOptions o = r.options();
    md.append("## How to read it\n\n");
    md.append(fmt("Per flavor one topology (a primary and %d replicas); per mode and kind %d "
            + "rounds, each with a new data source (and, in monitor mode, a new in-process monitor) "
            + "over the topology as it then is, and %d workload threads, each with its own SDK "
            + "session, looping: insert a new row, read the session's last acknowledged row back on "
            + "a read connection (`%s`, `maxWait` %s), think %d ms. A read is checked on its own: "
            + "a missing row or another value is a **stale read**. When a write fails, the next "
            + "read is of the session's previous row, so reads go on during the change.\n\n",
        o.replicas(), o.rounds(), o.threads(), FailoverBenchmark.POLICY, o.maxWait(),
        o.think().toMillis()));
    md.append("- **planned**: a switchover done with the testkit's steps: the primary made "
        + "read-only, the first replica caught up and promoted, the other replicas and the old "
        + "primary re-pointed to it. Nothing is lost.\n");
    md.append(fmt("- **unplanned**: replica k delayed k × %d s (MariaDB one second more, as "
        + "`Topology.setDelayAtLeast` does), the primary killed (SIGKILL), the replica that has "
        + "applied the most promoted at once (what it had received but not applied is discarded), "
        + "the others re-pointed to it. Then a new replica of the new primary replaces the dead "
        + "server for the next round.\n", o.delay().toSeconds()));
    md.append("- **direct**: the SDK alone (`topologyCheckInterval` " + o.checkInterval()
        + "): it looks for the new primary when a write finds the old one read-only or gone, and "
        + "every interval. **monitor**: the same data source also given the monitor's URL "
        + "(reconcile interval " + FailoverBenchmark.RECONCILE + "). Whether the SDK routes on "
        + "the monitor's topology or still finds the primary itself depends on the SDK of the "
        + "revision measured; the last column of \"Every round\" says whether it followed the "
        + "monitor when the round ended.\n\n");
    md.append("The figures:\n\n");
    md.append("- **promotion → first write**: to the first write acknowledged after `promote` "
        + "returned (it went to the new primary: the old one was read-only or dead).\n");
    md.append("- **promotion → first read-your-writes read**: to the end of the first checked read "
        + "that started after the promotion and returned its session's row.\n");
    md.append("- **failed writes / reads**: requests that threw, during the whole round (before the "
        + "change none fail); why is in \"Why requests failed\". A failed write is not read back "
        + "(its outcome may be unknown).\n");
    md.append("- **reads failed as lost writes**: reads that threw `LostWritesException` "
        + "(SQLState 22Z02); the session then accepts the loss (`Session.acceptLoss`). *GTIDs named*: "
        + "distinct GTIDs in their `lostGtids()` (MariaDB names the newest lost one per domain, so "
        + "at most one per session).\n");
    md.append("- **writes actually lost**: writes whose commit was acknowledged to the workload and "
        + "whose row the new primary does not have after the round (it replicates from nobody, so "
        + "it never will). Writes the old primary committed but whose acknowledgement never reached "
        + "the client (in flight when it was killed) are not counted: no session's token names "
        + "them, so no read can be refused for them. *Named by a read*: lost writes that a read of "
        + "their own session failed naming (each write's GTID is the change of its session's "
        + "`writtenToken()`; on MariaDB a named GTID names the earlier ones of its server and "
        + "domain). **Named, not lost**: named GTIDs of no lost write, a read refused for writes "
        + "that were not lost (0 expected).\n\n");
    md.append("Limits: one run on the machine named above; the servers, the monitor and the clients "
        + "share its cores, so the times include queueing. The time to the first write is bounded "
        + "by how the SDK learns of the change: at the first write that fails on the old primary, "
        + "or within one `topologyCheckInterval` (with the monitor: one reconcile interval for the "
        + "monitor to see it, plus the stream). It also includes the testkit's own steps that run "
        + "after `promote` (re-pointing replicas by shell script), during which reads may wait. Few "
        + "rounds: read the figures per round, not as percentiles.\n\n");
  }

  private void failures() {
    md.append("## Why requests failed\n\n");
    md.append("Summed over the rounds; the reason is the exception's message up to its first `;`, "
        + "with numbers and UUIDs as `#`.\n\n");
    md.table("flavor", "mode", "kind", "request", "exception SQLState: reason", ">count");
    boolean any = false;
    for (FlavorResult f : r.flavors()) {
      for (Cell c : f.cells()) {
        for (String request : List.of("write", "read")) {
          Map<String, Long> sum = new TreeMap<>();
          for (Round x : c.rounds()) {
            (request.equals("write") ? x.failedWrites() : x.failedReads())
                .forEach((k, v) -> sum.merge(k, v, Long::sum));
          }
          for (Map.Entry<String, Long> e : sum.entrySet()) {
            md.row(f.flavor(), c.mode(), c.kind(), request, "`" + e.getKey() + "`", e.getValue());
            any = true;
          }
        }
      }
    }
    if (!any) {
      md.row("", "", "", "", "none", 0);
    }
    md.append("\n");
  }

  private void rounds() {
    md.append("## Every round\n\n");
    md.table("flavor", "mode", "kind", ">round", "primary", ">change start → promotion, ms",
        ">promotion → others re-pointed, ms", ">first write, ms", ">first read, ms", ">writes",
        ">reads", ">longest read, ms", "SDK's primary at end", "following the monitor at end",
        "stale reads");
    for (FlavorResult f : r.flavors()) {
      for (Cell c : f.cells()) {
        for (int i = 0; i < c.rounds().size(); i++) {
          Round x = c.rounds().get(i);
          md.row(f.flavor(), c.mode(), c.kind(), i + 1, x.oldPrimary() + " → " + x.newPrimary(),
              fmt("%.0f", x.changeToPromotionMs()), fmt("%.0f", x.promotionToRepointedMs()),
              ms(x.firstWriteMs()), ms(x.firstReadMs()), x.writes(), x.reads(),
              fmt("%.0f", x.longestReadMs()), x.sdkPrimaryAtEnd(),
              x.followingMonitorAtEnd() ? "yes" : "no",
              x.staleReads() == 0 ? "0" : x.staleReads() + ": " + String.join("; ", x.staleExamples()));
        }
      }
    }
    md.append("\n");
  }

  private static String times(List<Round> rs, Function<Round, Double> f) {
    return rs.stream().map(x -> ms(f.apply(x))).collect(Collectors.joining(", "));
  }

  private static String ms(Double v) {
    return v == null ? "none" : fmt("%.0f", v);
  }

  private static long sum(List<Round> rs, ToLongFunction<Round> f) {
    return rs.stream().mapToLong(f).sum();
  }

  private static long total(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }
}
