package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.ReplicaViews.ReplicaView;
import dev.catchup.sdk.RoutingDecision.Action;
import dev.catchup.sdk.RoutingDecision.Attempt;
import dev.catchup.sdk.RoutingDecision.AwaitMonitor;
import dev.catchup.sdk.RoutingDecision.BriefWait;
import dev.catchup.sdk.RoutingDecision.Read;
import dev.catchup.sdk.RoutingDecision.ReplicaState;
import dev.catchup.sdk.RoutingDecision.Run;
import dev.catchup.sdk.RoutingDecision.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code MONITOR} stage of {@link RoutingDecision}: what a read does while the monitor is
 * followed and its token is not yet proven by the view.
 *
 * <p>The monitor's view of a replica trails what the replica applied by its confirmation (the
 * tailer, a confirmation query, the publish, the stream: a few ms at delay 0). A read right after
 * its write would spend all of that waiting in the process, long after the replica had the write.
 * So a waiting read whose token is the session's own write younger than
 * {@link RoutingDecision#MONITOR_TRAIL_NANOS}, while the view shows a replica UP and not behind,
 * first waits server-side on that replica for at most {@link #BRIEF_WAIT}: it ends when the replica
 * applies the write, a fraction of a millisecond later, and holds a connection for at most the
 * bound. Past the bound (the replica is slower than it looked) the connection goes back to the pool
 * and the read waits in the process for the monitor, for the rest of its {@code maxWait}; a
 * replica the view shows behind, or a token of unknown or greater age, waits in the process at
 * once.
 */
final class MonitorStage {
  /**
   * The longest a read following the monitor holds a replica connection in a server-side wait. At
   * delay 0 a replica applies a write within a few ms of its commit reply ({@code
   * results/routing-bench.md}, section 5, apply p99), so a wait this long ends with the write
   * nearly always; a replica that takes longer is behind, and then the monitor's confirmation
   * (a few ms after the apply) costs little against the wait, and no connection.
   */
  static final Duration BRIEF_WAIT = Duration.ofMillis(20);

  private MonitorStage() {}

  /**
   * The monitor stage's action; null to go on to the replicas this process knows, then the
   * servers.
   */
  static Action decide(Read read, Snapshot s, Attempt attempt, long nowNanos) {
    GtidSet required = read.required();
    List<ReplicaState> available = RoutingDecision.available(s);
    Fence fence = s.roles().fence();
    ReplicaViews.Pick best = ReplicaViews.bestProven(available, ReplicaState::view, required,
        attempt.first(), fence);
    if (best != null) {
      // Not proven: a view passes the token by sequence number only (MariaDB, a GTID of another
      // server, perhaps lost in a failover the SDK has not learned of): only a replica's own state
      // can tell, so the servers are asked; the monitor would never prove it.
      return best.proven() ? new Run(List.of(best.name()), true) : null;
    }
    Action verify = RoutingDecision.verify(read, s, attempt);
    if (verify != null) {
      return verify;
    }
    Double least = ReplicaViews.leastLag(available, ReplicaState::view);
    double precision = lagPrecisionSeconds(required.flavor());
    ReadPolicy policy = read.policy();
    boolean young = read.young(nowNanos);
    long tokenAge = read.tokenAgeNanos(nowNanos);
    if (!RoutingDecision.waits(policy)) {
      // A token younger than the trail may already be on a replica the view does not show it on
      // yet: one check query there beats a primary read or a failure. An older token the view
      // does not cover is not on any replica, and a replica the view shows behind is not asked.
      if (young && (least == null || !behind(least, precision))) {
        return null;
      }
      return RoutingDecision.notServed(policy, true, "any", Duration.ZERO);
    }
    long deadline = RoutingDecision.deadline(read, attempt);
    if (policy == ReadPolicy.WAIT_THEN_FALLBACK && waitIsInVain(
        least == null ? null : least - precision, read.maxWait(), tokenAge)) {
      return RoutingDecision.notServed(policy, true, "any (" + least + " s behind)",
          Duration.ZERO);
    }
    if (!attempt.waitedBriefly() && tokenAge >= 0 && young
        && deadline - nowNanos > 0) {
      List<String> current = current(available, attempt.first(), precision);
      if (!current.isEmpty()) {
        long end = nowNanos + BRIEF_WAIT.toNanos();
        return new BriefWait(current, deadline - end < 0 ? deadline : end);
      }
    }
    return new AwaitMonitor(RoutingDecision.names(available), deadline);
  }

  /**
   * The available replicas, in rotation from {@code first}, that the view shows UP and not behind:
   * those a brief server-side wait may find the token on.
   */
  private static List<String> current(List<ReplicaState> available, int first, double precision) {
    List<String> out = new ArrayList<>(available.size());
    for (int k = 0; k < available.size(); k++) {
      ReplicaState r = available.get(Math.floorMod(first + k, available.size()));
      ReplicaView v = r.view();
      if (v != null && v.up()
          && (v.secondsBehind() == null || !behind(v.secondsBehind(), precision))) {
        out.add(r.name());
      }
    }
    return out;
  }

  /**
   * Whether a replica the monitor shows {@code secondsBehind} is further behind than the trail.
   * The monitor's lag is the age of the oldest transaction the replica lacks, from that
   * transaction's commit time, which has whole-second precision on MariaDB (its binlog's
   * timestamps): a current MariaDB replica missing only the newest write shows up to a second
   * behind. Only what is behind beyond that precision counts.
   */
  static boolean behind(double secondsBehind, double precision) {
    return secondsBehind - precision > RoutingDecision.MONITOR_TRAIL_NANOS / 1e9;
  }

  /** How coarse the monitor's lag of a replica of {@code flavor} is, in seconds. */
  static double lagPrecisionSeconds(Flavor flavor) {
    return flavor == Flavor.MARIADB ? 1.0 : 0.0;
  }

  /**
   * Whether waiting for a token the monitor's view does not cover is in vain: no UP replica can
   * apply it within {@code maxWait}. A replica {@code leastLag} seconds behind applies a write about
   * that long after it was committed, so a token written {@code age} ago arrives in about
   * {@code leastLag - age}. Without a known lag or a known age nothing proves the wait vain.
   *
   * @param leastLag the least {@code secondsBehind} among UP replicas, null when unknown
   * @param tokenAgeNanos how long ago the token was written, -1 when not known
   */
  static boolean waitIsInVain(Double leastLag, Duration maxWait, long tokenAgeNanos) {
    if (leastLag == null || tokenAgeNanos < 0) {
      return false;
    }
    return leastLag - tokenAgeNanos / 1e9 > maxWait.toNanos() / 1e9;
  }

}
