package dev.catchup.bench.failover;

import static dev.catchup.bench.harness.Results.fmt;

import dev.catchup.bench.failover.FailoverReport.Cell;
import dev.catchup.bench.failover.FailoverReport.FlavorResult;
import dev.catchup.bench.failover.FailoverReport.Round;
import dev.catchup.bench.harness.Results;
import dev.catchup.sdk.workload.CheckedWorkload;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** Renders a {@link FailoverReport} as Markdown: every figure from the report, none typed here. */
record FailoverMarkdown(FailoverReport r, Results md) {
  void render() {
    md.page("Failover: the SDK while the primary is replaced", "the same figures and every round's",
        this::summary, Results.CORES_AND_LOAD, () -> {
          howToRead();
          failures();
          rounds();
        });
  }

  private void summary() {
    md.append("## Summary\n\n");
    md.append("Times are from the instant `promote` returned (the new primary writable), one figure "
        + "per round; counts are summed over the rounds. See \"How to read it\" below.\n\n");
    md.table("flavor", "mode", "kind", ">rounds", "promotion → first write (writer), ms",
        "promotion → first read-your-writes read, ms", ">failed writes: writer + sessions",
        ">failed reads", ">stale reads",
        ">reads failed as lost writes: reads / sessions / GTIDs named",
        ">writes actually lost: writes / sessions / named by their session's read",
        ">refused without a loss: sessions / named GTIDs the new primary has");
    for (FlavorResult f : r.flavors()) {
      for (Cell c : f.cells()) {
        List<Round> rs = c.rounds();
        md.row(f.flavor(), c.mode(), c.kind(), rs.size(), times(rs, Round::writerFirstWriteMs),
            times(rs, Round::firstReadMs),
            sum(rs, x -> total(x.writerFailedWrites())) + " + " + sum(rs, x -> total(x.failedWrites())),
            sum(rs, x -> total(x.failedReads())), sum(rs, Round::staleReads),
            sum(rs, x -> x.loss().lostReads()) + " / " + sum(rs, x -> x.loss().namedSessions())
                + " / " + sum(rs, x -> x.loss().namedGtids()),
            sum(rs, x -> x.loss().lostWrites()) + " / " + sum(rs, x -> x.loss().lostSessions())
                + " / " + sum(rs, x -> x.loss().lostWritesNamed()),
            sum(rs, x -> x.loss().namedSessionsWithoutLoss()) + " / "
                + sum(rs, x -> x.loss().namedHeld()));
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
    md.append(fmt("Beside the checked sessions a **writer**, a session of its own, only writes, "
        + "one row every %d ms: a reading thread can be held by a read for up to `maxWait`, the "
        + "writer shows when writes work again. Its writes are never read and are kept out of the "
        + "lost-writes columns (its lost ones are in \"Every round\").\n\n",
        CheckedWorkload.WRITER_PACE.toMillis()));
    md.append("The figures:\n\n");
    md.append("- **promotion → first write (writer)**: to the writer's first write acknowledged after "
        + "`promote` returned (it went to the new primary: the old one was read-only or dead). The "
        + "checked sessions' first write is in \"Every round\".\n");
    md.append("- **promotion → first read-your-writes read**: to the end of the first checked read "
        + "that started after the promotion and returned its session's row.\n");
    md.append("- **failed writes / reads**: requests that threw, during the whole round (before the "
        + "change none fail); why is in \"Why requests failed\". A failed write is not read back "
        + "(its outcome may be unknown).\n");
    md.append("- **reads failed as lost writes**: reads that threw `LostWritesException` "
        + "(SQLState 22Z02); the session then accepts the loss (`Session.acceptLoss`) and reads "
        + "its next row. *GTIDs named*: distinct GTIDs in their `lostGtids()`. A MySQL token keeps "
        + "one high-water mark per source (`uuid:1-N`), so a read names every lost GTID up to its "
        + "session's last write, other sessions' and the writer's included; MariaDB names the "
        + "newest lost one per domain, at most one per session.\n");
    md.append("- **writes actually lost**: writes of the checked sessions whose commit was "
        + "acknowledged to the workload and whose row the new primary does not have after the "
        + "round (it replicates from nobody, so it never will): counted from the rows, not from "
        + "any GTID. Writes the old primary committed but whose acknowledgement never reached the "
        + "client (in flight when it was killed) are not counted: no read can be refused for a "
        + "write its session never learned of. *Named by their session's read*: lost writes whose "
        + "GTID (the newest one the session's `writtenToken()` gained with the write) a read of "
        + "their own session named; on MariaDB a named GTID also names the earlier ones of its "
        + "server and domain.\n");
    md.append("- **refused without a loss**: *sessions* refused as lost writes none of whose own "
        + "writes was lost (from the rows), and named *GTIDs the new primary has* "
        + "(`@@gtid_executed`, MariaDB `@@gtid_binlog_state`): reads refused for writes that were "
        + "not lost. Both 0 expected.\n\n");
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
        for (String request : List.of("write (writer)", "write", "read")) {
          Map<String, Long> sum = new TreeMap<>();
          for (Round x : c.rounds()) {
            (switch (request) {
              case "write (writer)" -> x.writerFailedWrites();
              case "write" -> x.failedWrites();
              default -> x.failedReads();
            }).forEach((k, v) -> sum.merge(k, v, Long::sum));
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
        ">promotion → others re-pointed, ms", ">first write: writer / sessions, ms",
        ">first read, ms", ">writes: writer / sessions", ">writer's writes lost", ">reads",
        ">longest read, ms", "SDK's primary at end", "following the monitor at end", "stale reads");
    for (FlavorResult f : r.flavors()) {
      for (Cell c : f.cells()) {
        for (int i = 0; i < c.rounds().size(); i++) {
          Round x = c.rounds().get(i);
          md.row(f.flavor(), c.mode(), c.kind(), i + 1, x.oldPrimary() + " → " + x.newPrimary(),
              fmt("%.0f", x.changeToPromotionMs()), fmt("%.0f", x.promotionToRepointedMs()),
              ms(x.writerFirstWriteMs()) + " / " + ms(x.firstWriteMs()), ms(x.firstReadMs()),
              x.writerWrites() + " / " + x.writes(), x.writerWritesLost(), x.reads(),
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
