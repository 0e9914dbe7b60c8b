package dev.catchup.sdk;

import dev.catchup.gtid.MysqlGtidSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The consistency token's hot paths: every write merges its GTID into the session's token, every
 * response that passes the token on encodes it, every request that carries one decodes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenBenchmark {
  // The same sources as the gtid module's GtidBenchmark, so the two tables read alike.
  private static final String U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String U2 = "4a5b6c7d-0000-11e1-8000-000000000001";
  private static final String U3 = "9f0e8d7c-1111-11e1-8000-000000000002";

  ConsistencyToken oneSource;
  ConsistencyToken threeSources;
  String oneSourceText;
  String threeSourcesText;
  String mariadbText;
  MysqlGtidSet newWrite;
  MysqlGtidSet oldWrite;

  @Setup
  public void setUp() {
    oneSource = ConsistencyToken.of(MysqlGtidSet.parse(U1 + ":1-1999990"));
    threeSources = ConsistencyToken.of(MysqlGtidSet.parse(U1 + ":1-1999990,"
        + U2 + ":1-73:mytag:1-5," + U3 + ":1-9"));
    oneSourceText = oneSource.encode();
    threeSourcesText = threeSources.encode();
    mariadbText = "mariadb/0-1-2000000,1-2-73";
    newWrite = MysqlGtidSet.parse(U1 + ":1999991");
    oldWrite = MysqlGtidSet.parse(U1 + ":5");
  }

  /** A write's GTID merged into the session token (what the SDK does after every write). */
  @Benchmark
  public ConsistencyToken mergeNewWrite() {
    return oneSource.merge(newWrite);
  }

  /** A write the token already covers (a retried or older GTID): no new token. */
  @Benchmark
  public ConsistencyToken mergeCoveredWrite() {
    return oneSource.merge(oldWrite);
  }

  @Benchmark
  public String encodeOneSource() {
    // A fresh token each time: encoding a token just merged, as after a write.
    return oneSource.merge(newWrite).encode();
  }

  @Benchmark
  public ConsistencyToken decodeOneSource() {
    return ConsistencyToken.decode(oneSourceText);
  }

  @Benchmark
  public ConsistencyToken decodeThreeSources() {
    return ConsistencyToken.decode(threeSourcesText);
  }

  @Benchmark
  public ConsistencyToken decodeMariadb() {
    return ConsistencyToken.decode(mariadbText);
  }
}
