package dev.catchup.bench.failover;

import dev.catchup.bench.harness.Launcher;
import dev.catchup.bench.harness.Machine;
import dev.catchup.bench.harness.MeasuredFlavor;
import dev.catchup.bench.harness.Results;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The results of one run, written twice from the same values: {@code failover.json} for machines
 * and {@code failover.md} for people. Nothing in either is typed by hand.
 *
 * @param options the run's parameters
 * @param machine where it ran
 * @param started when it started
 * @param seconds how long it took
 * @param flavors per flavor, every round
 */
record FailoverReport(FailoverOptions options, Machine machine, Instant started, double seconds,
    List<FlavorResult> flavors) implements Launcher.Report {
  @Override
  public String name() {
    return "failover";
  }

  /**
   * Everything measured on one flavor.
   *
   * @param flavor mysql or mariadb
   * @param serverVersion the primary's {@code VERSION()}
   * @param cells per mode and kind, in the order run
   */
  record FlavorResult(String flavor, String serverVersion, List<Cell> cells)
      implements MeasuredFlavor {}

  /**
   * The rounds of one mode and kind.
   *
   * @param mode direct or monitor
   * @param kind planned or unplanned
   * @param rounds in the order run
   */
  record Cell(String mode, String kind, List<Round> rounds) {}

  /**
   * One round: a fresh data source (and monitor) over the topology as it is, the workload, one
   * change. Times in milliseconds from the instant {@code promote} returned.
   *
   * @param oldPrimary the primary before
   * @param newPrimary the server promoted
   * @param changeToPromotionMs from the start of the change (old primary read-only, or killed) to
   *     the promotion
   * @param promotionToRepointedMs from the promotion to every other server re-pointed
   * @param writerFirstWriteMs to the writer's first acknowledged write; null when none came within
   *     the timeout
   * @param firstWriteMs to the first acknowledged write of a checked session; null when none came
   * @param firstReadMs to the end of the first successful read started after the promotion; null
   *     when none came
   * @param writes acknowledged writes in the round
   * @param reads successful checked reads in the round
   * @param writerWrites the writer's acknowledged writes
   * @param writerFailedWrites the writer's failed writes by {@code Class SQLState: reason}
   * @param writerWritesLost the writer's acknowledged writes whose row the new primary lacks
   * @param failedWrites failed writes of the checked sessions by {@code Class SQLState: reason}
   * @param failedReads failed reads, the same way (lost writes included)
   * @param staleReads reads that did not return the session's row
   * @param staleExamples the first few of them
   * @param longestReadMs the longest read, failed or not
   * @param sdkPrimaryAtEnd the SDK's primary when the round ended
   * @param followingMonitorAtEnd whether the data source routed on the monitor then (direct: false)
   * @param loss the lost writes against the reads failed as lost writes
   */
  record Round(String oldPrimary, String newPrimary, double changeToPromotionMs,
      double promotionToRepointedMs, Double writerFirstWriteMs, Double firstWriteMs,
      Double firstReadMs, long writes, long reads, long writerWrites,
      Map<String, Long> writerFailedWrites, long writerWritesLost, Map<String, Long> failedWrites, Map<String, Long> failedReads, long staleReads,
      List<String> staleExamples, double longestReadMs, String sdkPrimaryAtEnd,
      boolean followingMonitorAtEnd, LossAccount.Loss loss) {}

  @Override
  public void render(Results out) {
    new FailoverMarkdown(this, out.json("flavors", flavors)).render();
  }
}
