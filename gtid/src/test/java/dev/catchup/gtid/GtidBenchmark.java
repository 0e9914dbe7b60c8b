package dev.catchup.gtid;

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
 * The GTID operations that sit on every routed read: parsing a token, checking a replica's set
 * contains it, and merging a new write into a token; and parsing a server's full executed set, which
 * the monitor does on every confirmation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GtidBenchmark {
  static final String U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  static final String U2 = "4a5b6c7d-0000-11e1-8000-000000000001";
  static final String U3 = "9f0e8d7c-1111-11e1-8000-000000000002";

  /** A replica's executed set: three sources, one with a tag and a gap. */
  String serverText;
  /** A token: one source's high-water interval, as a session keeps it. */
  String tokenText;
  MysqlGtidSet replica;
  MysqlGtidSet tokenHit;
  MysqlGtidSet tokenMiss;
  MysqlGtidSet newWrite;

  String mariaText;
  MariaDbGtidSet mariaReplica;
  MariaDbGtidSet mariaToken;

  @Setup
  public void setUp() {
    serverText = U1 + ":1-1843229:1843231-2000000:mytag:1-57,\n" + U2 + ":1-73,\n" + U3 + ":1-9";
    tokenText = U1 + ":1-1999990";
    replica = MysqlGtidSet.parse(serverText);
    tokenHit = MysqlGtidSet.parse(tokenText);
    tokenMiss = MysqlGtidSet.parse(U1 + ":1-2000001");
    newWrite = MysqlGtidSet.parse(U1 + ":2000001");
    mariaText = "0-1-2000000,1-2-73,7-3-9";
    mariaReplica = MariaDbGtidSet.parse(mariaText);
    mariaToken = MariaDbGtidSet.parse("0-1-1999990");
  }

  @Benchmark
  public MysqlGtidSet mysqlParseServerSet() {
    return MysqlGtidSet.parse(serverText);
  }

  @Benchmark
  public MysqlGtidSet mysqlParseToken() {
    return MysqlGtidSet.parse(tokenText);
  }

  @Benchmark
  public boolean mysqlContainsHit() {
    return replica.contains(tokenHit);
  }

  @Benchmark
  public boolean mysqlContainsMiss() {
    return replica.contains(tokenMiss);
  }

  @Benchmark
  public MysqlGtidSet mysqlUnionNewWrite() {
    return tokenHit.union(newWrite);
  }

  @Benchmark
  public String mysqlToString() {
    // Uncached: a fresh set each time, as for a newly merged token.
    return tokenHit.union(newWrite).toString();
  }

  @Benchmark
  public MariaDbGtidSet mariadbParse() {
    return MariaDbGtidSet.parse(mariaText);
  }

  @Benchmark
  public boolean mariadbContainsHit() {
    return mariaReplica.contains(mariaToken);
  }
}
