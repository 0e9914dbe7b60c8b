package dev.catchup.bench.routing;

import dev.catchup.bench.harness.Launcher;
import dev.catchup.bench.harness.Machine;
import dev.catchup.bench.harness.MeasuredFlavor;
import dev.catchup.bench.harness.Results;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The results of one run, written twice from the same values: {@code routing-bench.json} for
 * machines and {@code routing-bench.md} for people. Nothing in either is typed by hand.
 *
 * @param options the run's parameters
 * @param machine where it ran
 * @param started when it started
 * @param seconds how long it took
 * @param flavors per flavor, every figure
 */
record RoutingReport(RoutingOptions options, Machine machine, Instant started, double seconds,
    List<FlavorResult> flavors) implements Launcher.Report {
  @Override
  public String name() {
    return "routing-bench";
  }

  /**
   * Everything measured on one flavor.
   *
   * @param flavor mysql or mariadb
   * @param serverVersion the primary's {@code VERSION()}
   * @param replicas replicas in the topology
   * @param covered covered reads at delay 0 (sections 1 and 2)
   * @param afterWrite write-then-read at delay 0, per mode (section 1)
   * @param waits write-then-read at the configured delay, per mode (section 3)
   * @param held many threads at the configured delay, per mode and pool size (section 4)
   * @param timedAfterWrite write-then-read at delay 0 against the actual apply, with the
   *     connections held, per mode (section 5); null in reports from before it existed
   */
  record FlavorResult(String flavor, String serverVersion, int replicas, CoveredReads.Result covered,
      List<WriteThenRead.Result> afterWrite, List<WriteThenRead.Result> waits,
      List<WriteThenRead.Result> held,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<WriteThenRead.Result> timedAfterWrite)
      implements MeasuredFlavor {

    /** Section 5's runs; none in a report from before it existed. */
    List<WriteThenRead.Result> timed() {
      return timedAfterWrite == null ? List.of() : timedAfterWrite;
    }
  }

  @Override
  public void render(Results out) {
    new RoutingMarkdown(this, out.json("flavors", flavors)).render();
  }
}
