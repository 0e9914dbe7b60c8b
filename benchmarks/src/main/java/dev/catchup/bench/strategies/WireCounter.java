package dev.catchup.bench.strategies;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;
import dev.catchup.bench.harness.BenchTable;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts every statement the measured pools send, on the wire, by server and kind: a Connector/J
 * query interceptor that the benchmark installs in every pool it measures (the strategies' own
 * pools and the SDK's, through {@code queryInterceptors}). So extra queries are counted
 * independently of what the SDK or a strategy says about itself, and the connections inside a GTID
 * wait are counted at the moment they enter and leave it, with the exact peak (no sampling).
 *
 * <p>Connector/J creates one instance per connection, by reflection (hence public). The tallies
 * are static: strategies run one at a time, and a run takes a {@link #snapshot()} before and after
 * each slice. The benchmark's own bookkeeping connections ({@code Com_select}, seeding) have no
 * interceptor and are not counted.
 */
public final class WireCounter implements QueryInterceptor {
  /** The Connector/J property and value that install the counter in a pool. */
  static final String PROPERTY = "queryInterceptors";
  static final String VALUE = WireCounter.class.getName();

  /** What a statement is. */
  enum Kind {
    /** The benchmark's point SELECT ({@link BenchTable#READ}). */
    READ,
    /** The benchmark's upsert. */
    WRITE,
    /** {@code WAIT_FOR_EXECUTED_GTID_SET} or {@code MASTER_GTID_WAIT}: a reader waits (or checks). */
    GTID_WAIT,
    /** Any other statement about GTIDs: {@code GTID_SUBSET}, reading an executed set. */
    GTID_OTHER,
    /** Anything else the driver or pool sent (session set-up, resets). */
    OTHER
  }

  private static final String READ_PREFIX = BenchTable.READ.substring(0, BenchTable.READ.indexOf('?'));
  private static final String WRITE_PREFIX = "INSERT INTO " + BenchTable.TABLE;
  private static final Map<Integer, String> SERVERS = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
  private static final AtomicInteger IN_WAIT = new AtomicInteger();
  private static final AtomicInteger PEAK_IN_WAIT = new AtomicInteger();

  private MysqlConnection connection;
  private String server;
  // A connection runs one statement at a time, on the thread that borrowed it.
  private boolean inWait;

  /** Names the server listening on {@code port}, for the tallies. */
  static void name(int port, String server) {
    SERVERS.put(port, server);
  }

  /**
   * Statements counted so far, keyed {@code server/KIND}, and for {@code OTHER} and
   * {@code GTID_OTHER} also {@code server/KIND/<statement start>}.
   */
  static Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    COUNTS.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Connections inside a GTID wait now. */
  static int inWait() {
    return IN_WAIT.get();
  }

  /** The most connections inside a GTID wait at once since the last call; starts a new period. */
  static int takePeakInWait() {
    return PEAK_IN_WAIT.getAndSet(IN_WAIT.get());
  }

  /** Connector/J's reflective constructor. */
  public WireCounter() {}

  @Override
  public QueryInterceptor init(MysqlConnection conn, Properties props, Log log) {
    this.connection = conn;
    return this;
  }

  @Override
  public <T extends Resultset> T preProcess(Supplier<String> sql, Query interceptedQuery) {
    if (inWait) {
      // The previous wait ended in an exception, which skips postProcess.
      leaveWait();
    }
    String text = sql.get();
    if (text == null) {
      return null;
    }
    Kind kind = kind(text);
    String where = server();
    count(where + "/" + kind);
    if (kind == Kind.OTHER || kind == Kind.GTID_OTHER) {
      count(where + "/" + kind + "/" + start(text));
    }
    if (kind == Kind.GTID_WAIT) {
      inWait = true;
      PEAK_IN_WAIT.accumulateAndGet(IN_WAIT.incrementAndGet(), Math::max);
    }
    return null;
  }

  @Override
  public <T extends Resultset> T postProcess(Supplier<String> sql, Query interceptedQuery,
      T originalResultSet, ServerSession serverSession) {
    if (inWait) {
      leaveWait();
    }
    return null;
  }

  @Override
  public boolean executeTopLevelOnly() {
    return true;
  }

  @Override
  public void destroy() {
    if (inWait) {
      leaveWait();
    }
  }

  private void leaveWait() {
    inWait = false;
    IN_WAIT.decrementAndGet();
  }

  static Kind kind(String sql) {
    if (sql.startsWith(READ_PREFIX)) {
      return Kind.READ;
    }
    if (sql.startsWith(WRITE_PREFIX)) {
      return Kind.WRITE;
    }
    String upper = sql.toUpperCase(Locale.ROOT);
    if (upper.contains("WAIT_FOR_EXECUTED_GTID_SET") || upper.contains("MASTER_GTID_WAIT")) {
      return Kind.GTID_WAIT;
    }
    return upper.contains("GTID") ? Kind.GTID_OTHER : Kind.OTHER;
  }

  /** The statement up to its first parenthesis, literals blanked: enough to say what it was. */
  private static String start(String sql) {
    String s = sql.replaceAll("'[^']*'", "?").replaceAll("\\b\\d+\\b", "?").strip();
    int paren = s.indexOf('(');
    if (paren > 0) {
      s = s.substring(0, paren + 1) + "...";
    }
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private String server() {
    if (server == null) {
      int port = connection.getSession().getHostInfo().getPort();
      server = SERVERS.getOrDefault(port, "port " + port);
    }
    return server;
  }

  private static void count(String key) {
    COUNTS.computeIfAbsent(key, k -> new LongAdder()).increment();
  }
}
