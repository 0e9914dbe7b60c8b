package dev.catchup.bench.monitor;

import static dev.catchup.bench.harness.Results.fmt;
import static dev.catchup.bench.harness.Results.num3;

import dev.catchup.bench.harness.Results;
import dev.catchup.bench.harness.Stats;
import dev.catchup.bench.monitor.BenchmarkReport.FlavorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Renders a {@link BenchmarkReport} as Markdown: every figure in a table, from the report only. */
record BenchmarkMarkdown(BenchmarkReport r, Results md) {
  void render() {
    md.page("Monitor benchmark", "the same figures", this::summary,
        "The servers, the monitor and the benchmark's clients share these cores.", () -> {
          howToRead();
          tailer();
          latency();
          fanOut();
          writeRates();
        });
  }

  private void writeRates() {
    md.append("## 4. Monitor cost as the write rate grows\n\n");
    md.append(fmt("%d connections write single-row transactions for %d s at each rate (0: as fast "
        + "as they go, the primary's maximum commit rate here); then the run waits until every "
        + "server's confirmation holds the last one. *Confirmation reads per tx* is each server's "
        + "`Com_select` increase per transaction (the primary's includes the one read the "
        + "benchmark makes to learn the last GTID). The tracker confirms once per burst of binlog "
        + "events: one read is in flight per server and everything that arrives meanwhile is "
        + "confirmed by the next, so reads per transaction fall as the rate rises. CPU is thread "
        + "CPU time per 1,000 transactions per server.\n\n", r.options().costWriters(),
        r.options().costSeconds()));
    md.table("flavor", ">rate asked (tx/s)", ">achieved tx/s", ">transactions",
        "confirmation reads per tx", ">tracker CPU ms / 1000 tx / server",
        ">feed CPU ms / 1000 tx / server");
    for (FlavorResult f : r.flavors()) {
      for (WriteRateBenchmark.Rate w : f.writeRates() == null ? List.<WriteRateBenchmark.Rate>of()
          : f.writeRates()) {
        StringBuilder reads = new StringBuilder();
        w.readsPerTransaction().forEach((server, v) -> reads.append(reads.length() == 0 ? "" : ", ")
            .append(server).append(' ').append(fmt("%.3f", v)));
        md.rowf("%s | %s | %,.0f | %,d | %s | %.1f | %.1f", f.flavor(),
            w.targetPerSecond() == 0 ? "max" : fmt("%,d", w.targetPerSecond()),
            w.achievedPerSecond(), w.transactions(), reads, w.trackerCpuMillisPer1000(),
            w.feedCpuMillisPer1000());
      }
    }
    md.append("\n");
  }

  /** The headline figures, each also in the tables below. */
  private void summary() {
    md.append("## Summary\n\n");
    md.table("flavor", "tailer: transactions per CPU-second (binlog events)",
        "replica commit → confirmed publish p50 / p99 ms", "fan-out: subscribers, publish → last "
            + "subscriber p50 / p99 ms, stream CPU µs per delivery");
    for (FlavorResult f : r.flavors()) {
      TailerBenchmark.Summary t = f.tailerSummary();
      CommitLatencyBenchmark.Series replica = f.latency().series().stream()
          .filter(s -> !s.server().equals("primary") && s.to().equals(CommitLatencyBenchmark.PUBLISH))
          .filter(s -> s.from().equals(CommitLatencyBenchmark.REPLICA_COMMIT)
              || s.from().equals(CommitLatencyBenchmark.CLIENT_REPLY))
          .findFirst().orElse(null);
      List<FanOutBenchmark.Level> levels = f.fanOut().levels();
      FanOutBenchmark.Level top = levels.get(levels.size() - 1);
      md.rowf("%s | %,.0f (%,.0f) | %s | %d, %s / %s ms, %s µs", f.flavor(),
          t.transactionsPerCpuSecond(), t.eventsPerCpuSecond(),
          replica == null ? "-" : fmt("%.3f / %.3f%s", replica.millis().p50(), replica.millis().p99(),
              replica.from().equals(CommitLatencyBenchmark.REPLICA_COMMIT) ? ""
                  : " (from the client's commit reply: replication included)"),
          top.subscribers(), ms(top.publishToLastMillis().p50()), ms(top.publishToLastMillis().p99()),
          top.streamCpuMicrosPerDelivery() == null ? "-" : fmt("%.1f", top.streamCpuMicrosPerDelivery()));
    }
    md.append("\nTailer: median of the warm rounds (all but the first); see *How to read this*.\n\n");
  }

  private void howToRead() {
    BenchmarkOptions o = r.options();
    md.append("## How to read this\n\n");
    md.append("Per flavor the run starts a fresh topology (primary and replicas on loopback, delay "
        + "0), measures latency and fan-out with the monitor running, stops it, then runs the "
        + "tailer rounds with a tracker of its own, and stops the topology.\n\n");
    md.append(fmt("""
        **Tailer throughput** is how fast one tracker (the monitor's `BinlogFeed` thread decoding the \
        binlog and its `ServerTracker` thread folding GTIDs into sets, confirming and publishing) \
        works through a backlog. The tracker tails the primary as its own user; the benchmark locks \
        that account and kills its binlog dump connection (the feed keeps its binlog position and \
        retries; the tracker's SQL connection stays), writes %,d single-row autocommit transactions from %d connections (*write* columns: the \
        servers' speed, not the monitor's), then unlocks. *Replay* runs from the unlock (so it \
        includes the rest of the feed's 20 ms reconnect back-off, shown as *unlock → connect \
        attempt*) to the publish that carried the last transaction's commit time; *tx/s from the \
        connect attempt* leaves the back-off out (not the handshake). On two cores the wall-clock \
        rates mostly show scheduling: the feed thread and the server's dump thread can keep both \
        cores busy while the tracker thread waits, then drains thousands of events in one burst \
        (*bursts published*, one publish each). *GTIDs counted by the tracker* is the tracker's own transactions-per-second \
        figure (five-second window) times five, read after the replay: it equals *transactions* \
        when every backlog transaction went through the stream. The summary takes the median of \
        the rounds after the first. *tx per CPU-second* is \
        transactions divided by the CPU time of the feed and tracker threads only: the rate one \
        fully used core would sustain, the "events per second on one core" figure. The replay's \
        wall-clock rate can be lower (the server streaming the binlog competes for the same cores) \
        or higher (the two threads overlap). *Process CPU* adds GC and JIT. Round 1 \
        is the warm-up: the replay's hot paths get compiled during it.

        **Latency** is measured with the monitor running at its default settings, replication \
        delay 0, one connection writing %d transactions a second for %d s. For each transaction \
        and server it is the time until the registry first publishes a status whose confirmed set \
        contains it (the publish that `/stream`, `/wait` and `/has` act on). On MySQL the start \
        can be the replica's own commit (`immediate_commit_timestamp` from the replica's binlog, \
        read after the run) or the primary's (`original_commit_timestamp`); the servers and the \
        benchmark share one system clock, so these differences are exact to the microsecond \
        timestamps. The row *replica commit → publish* is the monitor's own delay for a replica. A \
        negative minimum from *client receives commit reply* means the monitor published before \
        the client thread had run after its reply: the reply time is an upper bound of the commit. \
        MariaDB's binlog has whole-second timestamps only, so for MariaDB only the end-to-end \
        figure from the client's receipt of the commit reply is given; it includes replication. \
        The same window gives the live cost of tracking: CPU of all feed and tracker threads per \
        1000 transactions per server (compare with the replay's, where bursts share one \
        confirmation read), and each server's `Com_select` increase per transaction, which counts \
        the trackers' confirmation reads (including the re-reads while a commit is not yet visible).

        **Fan-out** keeps the same write load (%d writes/s, %d s per level) with 0 subscribers \
        (baseline), then with each requested number of `/stream` subscribers: lightweight raw \
        HTTP clients in this JVM (sockets spread over %d reader threads, each a selector with a \
        byte-level parser: a fleet reads each socket in its own process, and one reader thread \
        for a thousand sockets measured its own backlog in the kernel's receive buffers, seconds \
        behind the monitor's writes), not whole SDKs. *Heap KiB per subscriber* is the heap the added subscribers hold (after a full GC, \
        monitor and client sides together: an upper bound of the monitor's); *JVM threads* shows \
        whether threads grow with subscribers. *Publishes* counts statuses the registry published, \
        *confirmed changes* those that changed a confirmed set or feed state, *events sent* what \
        the broadcaster sent per subscriber (`/metrics`); fewer events than changes means \
        coalescing. *Publish → last subscriber* is, per event, the time from the publish to the \
        last subscriber's receipt. CPU is thread CPU time per second of wall time: *stream* is \
        the broadcaster and the HTTP server threads (which complete pending writes); *over baseline* subtracts \
        the 0-subscriber level, and *µs per delivery* divides that by events delivered to \
        subscribers. Counts above the monitor's subscriber cap are measured at the cap. The \
        second table splits the process's CPU by thread group; *jvm jit* and *jvm gc* come from \
        `/proc` (10 ms resolution), and a busy *jvm jit* means the JVM was still compiling and \
        competing for the cores (most in the first flavor's phases, when the JVM is youngest; the \
        live tracking costs of section 2 are affected the same way).

        One run on a small shared machine: treat differences of a few percent as noise. These \
        are measurements, never test assertions.

        """, o.backlog(), o.writers(), o.latencyRate(), o.latencySeconds(), o.fanOutRate(),
        o.fanOutSeconds(), o.fanOutReaders()));
  }

  private void tailer() {
    md.append("## 1. Tailer throughput (binlog backlog replay, one tracker)\n\n");
    md.append("The backlog, as the servers wrote it:\n\n");
    md.table("flavor", ">round", ">transactions", ">binlog events", ">binlog MB", ">write s",
        ">write tx/s");
    for (FlavorResult f : r.flavors()) {
      for (TailerBenchmark.Round t : f.tailer()) {
        md.rowf("%s | %d | %,d | %,d | %s | %.2f | %,.0f", f.flavor(), t.round(),
            t.transactions(), t.binlogEvents(),
            t.binlogBytes() == null ? "n/a" : fmt("%.2f", t.binlogBytes() / 1e6), t.writeSeconds(),
            t.writeTransactionsPerSecond());
      }
    }
    md.append("\nIts replay by the tracker:\n\n");
    md.table("flavor", ">round", ">unlock → connect attempt ms", ">replay s", ">replay tx/s",
        ">tx/s from the connect attempt", ">replay events/s", ">bursts published",
        ">GTIDs counted by the tracker", ">feed CPU ms", ">tracker CPU ms", ">CPU ms / 1000 tx",
        ">**tx per CPU-second**", ">events per CPU-second", ">process CPU ms / 1000 tx");
    for (FlavorResult f : r.flavors()) {
      for (TailerBenchmark.Round t : f.tailer()) {
        md.rowf("%s | %d | %.1f | %.3f | %,.0f | %,.0f | %,.0f | %,d | %,d | %.0f | %.0f | %.1f "
                + "| **%,.0f** | %,.0f | %.1f", f.flavor(), t.round(), t.reconnectMillis(),
            t.replaySeconds(), t.replayTransactionsPerSecond(), t.connectedTransactionsPerSecond(),
            t.replayEventsPerSecond(), t.publishes(), t.streamTransactionsCounted(),
            t.cpuMillis().get("binlogFeedThread"),
            t.cpuMillis().get("trackerThread"), t.trackerCpuMillisPer1000Transactions(),
            t.transactionsPerCpuSecond(), t.eventsPerCpuSecond(),
            t.processCpuMillisPer1000Transactions());
      }
    }
    md.append("\nBinlog events of the last round's backlog, by type (`SHOW BINLOG EVENTS`):\n\n");
    md.table("flavor", "event type", ">events", ">per transaction");
    for (FlavorResult f : r.flavors()) {
      TailerBenchmark.Round last = f.tailer().get(f.tailer().size() - 1);
      for (Map.Entry<String, Long> e : last.eventsByType().entrySet()) {
        md.rowf("%s | %s | %,d | %.2f", f.flavor(), e.getKey(), e.getValue(),
            e.getValue() / (double) last.transactions());
      }
    }
    md.append("\n");
  }

  private void latency() {
    md.append("## 2. Commit → confirmed publish latency\n\n");
    md.table("flavor", "writes/s (target / achieved)", ">transactions", ">not confirmed",
        ">feed + tracker CPU ms / 1000 tx / server", "confirmation reads (SELECTs) per tx");
    for (FlavorResult f : r.flavors()) {
      CommitLatencyBenchmark.Result l = f.latency();
      StringBuilder reads = new StringBuilder();
      l.selectsPerTransaction().forEach((server, n) ->
          reads.append(reads.length() == 0 ? "" : ", ").append(fmt("%s %.2f", server, n)));
      md.rowf("%s | %d / %.1f | %,d | %d | %.1f | %s", f.flavor(), l.targetPerSecond(),
          l.achievedPerSecond(), l.transactions(), l.unconfirmed(),
          l.trackerCpuMillisPer1000TransactionsPerServer(), reads);
    }
    md.append("\nMilliseconds:\n\n");
    md.table("flavor", "server", "from", "to", ">n", ">p50", ">p90", ">p99", ">max", ">min", ">mean");
    for (FlavorResult f : r.flavors()) {
      for (CommitLatencyBenchmark.Series s : f.latency().series()) {
        Stats st = s.millis();
        md.rowf("%s | %s | %s | %s | %,d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f",
            f.flavor(), s.server(), s.from(), s.to(), st.n(), st.p50(), st.p90(), st.p99(),
            st.max(), st.min(), st.mean());
      }
    }
    md.append("\n");
  }

  private void fanOut() {
    md.append("## 3. `/stream` fan-out\n\n");
    for (FlavorResult f : r.flavors()) {
      FanOutBenchmark.Result fo = f.fanOut();
      md.append(fmt("- %s: ", f.flavor()));
      if (fo.subscriberCap() == null) {
        md.append("every requested subscriber was accepted");
      } else {
        md.append(fmt("the monitor accepted %d subscribers and refused the next with `%s`",
            fo.subscriberCap(), fo.refusal()));
      }
      if (!fo.skipped().isEmpty()) {
        md.append(fmt("; requested %s not measured again (same as the cap)", fo.skipped()));
      }
      md.append(".\n");
    }
    md.append("\n");
    md.table("flavor", "subscribers (requested)", ">writes/s", ">publishes", ">confirmed changes",
        ">events sent", "events per subscriber (min / mean)", ">dropped",
        ">publish → first p50 ms", ">publish → last p50 ms", ">p99 ms", ">max ms",
        ">stream CPU ms/s", ">over baseline ms/s", ">µs per delivery", ">feed + tracker ms/s",
        ">process ms/s", ">heap KiB per subscriber", ">JVM threads");
    for (FlavorResult f : r.flavors()) {
      for (FanOutBenchmark.Level l : f.fanOut().levels()) {
        Map<String, Double> cpu = l.cpuMillisPerSecond();
        md.rowf("%s | %d (%d) | %.1f | %,d | %,d | %,d | %s | %d | %s | %s | %s | %s | %.1f "
                + "| %s | %s | %.1f | %.1f | %s | %d", f.flavor(), l.subscribers(), l.requested(),
            l.writesPerSecond(), l.publishes(), l.confirmedChanges(), l.eventsBroadcast(),
            l.subscribers() == 0 ? "-" : fmt("%,d / %,.1f", l.eventsPerSubscriberMin(),
                l.eventsPerSubscriberMean()),
            l.droppedSubscribers(), ms(l.publishToFirstMillis().p50()),
            ms(l.publishToLastMillis().p50()), ms(l.publishToLastMillis().p99()),
            ms(l.publishToLastMillis().max()), FanOutBenchmark.streamCpu(cpu),
            l.streamCpuMillisPerSecondOverBaseline() == null ? "-"
                : fmt("%.1f", l.streamCpuMillisPerSecondOverBaseline()),
            l.streamCpuMicrosPerDelivery() == null ? "-" : fmt("%.2f", l.streamCpuMicrosPerDelivery()),
            cpu.getOrDefault("binlog feed", 0.0) + cpu.getOrDefault("tracker", 0.0),
            cpu.getOrDefault("process", 0.0),
            l.heapKibPerSubscriber() == null ? "-" : fmt("%.1f", l.heapKibPerSubscriber()),
            l.threads());
      }
    }
    sharedFleet();
    md.append("\nCPU per second of wall time by thread group (ms/s):\n\n");
    TreeSet<String> groups = new TreeSet<>();
    r.flavors().forEach(f -> f.fanOut().levels().forEach(l -> groups.addAll(l.cpuMillisPerSecond().keySet())));
    List<String> cols = groups.stream().toList();
    List<String> header = new ArrayList<>(List.of("flavor", ">subscribers"));
    cols.forEach(c -> header.add(">" + c));
    md.table(header.toArray(String[]::new));
    for (FlavorResult f : r.flavors()) {
      for (FanOutBenchmark.Level l : f.fanOut().levels()) {
        List<Object> row = new ArrayList<>(List.of(f.flavor(), l.subscribers()));
        cols.forEach(c -> row.add(l.cpuMillisPerSecond().containsKey(c)
            ? fmt("%.1f", l.cpuMillisPerSecond().get(c)) : "-"));
        md.row(row.toArray());
      }
    }
    md.append("\n");
  }

  /** The largest level's subscribers shared by several monitors, where that cell ran. */
  private void sharedFleet() {
    List<FlavorResult> shared = r.flavors().stream()
        .filter(f -> f.fanOut().shared() != null).toList();
    if (shared.isEmpty()) {
      return;
    }
    md.append("""

        **Shared fleet**: the largest level's subscribers split evenly over several monitors of the \
        same topology (each SDK accepts several monitors), same write load. Each monitor writes \
        only its share, so its broadcast cycle is shorter and the monitors' cycles run side by \
        side. Here every monitor shares the machine's two cores with the servers and the \
        subscribers' readers; in a deployment each would have cores of its own. *Stream CPU* is \
        every monitor's; *µs per delivery* subtracts each monitor's 0-subscriber baseline.

        """);
    md.table("flavor", ">monitors", ">subscribers each", ">writes/s", ">events per subscriber (min)",
        ">publish → first p50 ms", ">publish → last p50 ms", ">p99 ms", ">max ms",
        ">stream CPU ms/s", ">µs per delivery", ">process ms/s");
    for (FlavorResult f : shared) {
      SharedFleetBenchmark.Result s = f.fanOut().shared();
      md.rowf("%s | %d | %d | %.1f | %,d | %s | %s | %s | %s | %.1f | %s | %.1f", f.flavor(),
          s.monitors(), s.subscribersPerMonitor(), s.writesPerSecond(), s.eventsPerSubscriberMin(),
          ms(s.publishToFirstMillis().p50()), ms(s.publishToLastMillis().p50()),
          ms(s.publishToLastMillis().p99()), ms(s.publishToLastMillis().max()),
          s.streamCpuMillisPerSecond(), s.streamCpuMicrosPerDelivery() == null ? "-"
              : fmt("%.2f", s.streamCpuMicrosPerDelivery()),
          s.cpuMillisPerSecond().getOrDefault("process", 0.0));
    }
  }

  private static String ms(double v) {
    return num3(v);
  }
}
