package dev.catchup.bench.monitor;

import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records every status a {@link Registry} publishes with the {@link System#nanoTime()} of the
 * publish. The listener runs on the publishing tracker thread, so it only appends; matching
 * happens afterwards on the benchmark's thread.
 */
final class PublishBenchmarkRecorder implements AutoCloseable {
  /** One publish: when, and what. */
  record Publish(long nanos, ServerStatus status) {}

  private final ConcurrentLinkedQueue<Publish> publishes = new ConcurrentLinkedQueue<>();
  private final AutoCloseable subscription;

  PublishBenchmarkRecorder(Registry registry) {
    this.subscription = registry.subscribe(s -> publishes.add(new Publish(System.nanoTime(), s)));
  }

  /** Forgets everything recorded so far. */
  void clear() {
    publishes.clear();
  }

  /** Everything recorded so far, by server name, each list in publish order; then clears. */
  Map<String, List<Publish>> takeByServer() {
    Map<String, List<Publish>> out = new TreeMap<>();
    Publish p;
    while ((p = publishes.poll()) != null) {
      out.computeIfAbsent(p.status().name(), k -> new ArrayList<>()).add(p);
    }
    return out;
  }

  /**
   * For each of {@code gtids} (in commit order), the time of the first publish whose confirmed set
   * contains it, or -1 if none did. Confirmed sets only grow, so one pass over both lists does it.
   */
  static long[] firstConfirming(List<Publish> publishes, List<GtidSet> gtids) {
    long[] out = new long[gtids.size()];
    int p = 0;
    for (int i = 0; i < gtids.size(); i++) {
      while (p < publishes.size() && !publishes.get(p).status().confirmed().contains(gtids.get(i))) {
        p++;
      }
      out[i] = p < publishes.size() ? publishes.get(p).nanos() : -1;
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
