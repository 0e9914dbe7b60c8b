package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.sdk.ReplicaViews.ReplicaView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing decision with the monitor: which replica's confirmed set holds the read's token,
 * least lag first (SDK internals, hence this package). This is all a covered read pays before
 * borrowing its connection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingDecisionBenchmark {
  private static final String U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String U2 = "4a5b6c7d-0000-11e1-8000-000000000001";

  @Param({"2", "8"})
  int replicas;

  ReplicaViews views;
  List<String> names;
  GtidSet covered;
  GtidSet uncovered;
  int rotation;

  @Setup
  public void setUp() {
    views = new ReplicaViews();
    names = new ArrayList<>();
    for (int i = 1; i <= replicas; i++) {
      String name = "replica" + i;
      names.add(name);
      // Replicas at slightly different points; every one has the covered token.
      GtidSet confirmed = MysqlGtidSet.parse(U1 + ":1-" + (2_000_000 + i) + ",\n" + U2 + ":1-73");
      views.update(new ReplicaView(name, true, confirmed, 0.001 * (replicas - i), 1));
    }
    covered = MysqlGtidSet.parse(U1 + ":1-1999990");
    uncovered = MysqlGtidSet.parse(U1 + ":1-3000000");
  }

  /** A token every replica has: pick the least behind. */
  @Benchmark
  public String coveredToken() {
    return views.best(names, covered, rotation++ & 0xffff);
  }

  /** A token no replica has yet: the answer that sends a read to wait or fall back. */
  @Benchmark
  public String uncoveredToken() {
    return views.best(names, uncovered, rotation++ & 0xffff);
  }
}
