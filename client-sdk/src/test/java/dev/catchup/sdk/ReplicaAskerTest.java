package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Asking a replica, without a server: the replica's pool hands out a recording fake of the
 * driver's connection (as {@code JdbcFacadeTest}'s), whose check and wait queries answer what the
 * test says. What is checked is the asker's own bookkeeping: which metric a wait counts in, and
 * that a borrowed connection goes back to the pool however asking ends.
 */
class ReplicaAskerTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final long NOW = 5_000_000_000L;
  private static final long MS = Duration.ofMillis(1).toNanos();

  private final List<String> calls = new ArrayList<>();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
  private final AtomicLong now = new AtomicLong(NOW);
  private Servers servers;
  /** Whether the fake replica has answered a check or wait. */
  private boolean answered;
  /** Run once, at the first reading of the ticker after the replica answered; null for none. */
  private Runnable onFirstTickAfterTheReplicaAnswered;

  @AfterEach
  void close() {
    pools.forEach(HikariDataSource::close);
  }

  @Test
  void ask_briefWaitWithoutTheToken_countedAsABriefTimeoutNotAWaitTimeout() throws SQLException {
    ReplicaAsker asker = asker(Flavor.MYSQL, "0", null);

    ReplicaAsker.Asked asked = asker.ask(List.of("r1"), ReplicaAsker.Asking.BRIEF_WAIT,
        NOW + 20 * MS, GtidSet.parse(Flavor.MYSQL, U + ":1-5"), 0);

    assertThat(asked.connection()).isNull();
    assertThat(metrics.get("wait-timeout")).as("routing: %s", metrics.counts).isZero();
    assertThat(metrics.get("brief-timeout")).as("routing: %s", metrics.counts).isEqualTo(1);
    // One server-side wait, as counted, though the server ended it before our ticker reached the
    // deadline (here the ticker does not move at all).
    assertThat(calls.stream().filter("prepareStatement"::equals)).hasSize(1);
    assertThat(metrics.get("extra")).isEqualTo(1);
    assertThat(calls).contains("close");
  }

  @Test
  void ask_briefWaitThatReaches_countedAsABriefReached_andHandsTheConnectionOut()
      throws SQLException {
    ReplicaAsker asker = asker(Flavor.MYSQL, "1", null);

    ReplicaAsker.Asked asked = asker.ask(List.of("r1"), ReplicaAsker.Asking.BRIEF_WAIT,
        NOW + 20 * MS, GtidSet.parse(Flavor.MYSQL, U + ":1-5"), 0);

    assertThat(asked.connection()).isNotNull();
    assertThat(metrics.get("brief-reached")).isEqualTo(1);
    assertThat(metrics.get("wait-reached")).as("not a full wait").isZero();
    assertThat(calls).doesNotContain("close");
  }

  @Test
  void ask_fullWaitWithoutTheToken_countedAsAWaitTimeout() throws SQLException {
    ReplicaAsker asker = asker(Flavor.MYSQL, "0", null);

    asker.ask(List.of("r1"), ReplicaAsker.Asking.WAIT, NOW + 20 * MS,
        GtidSet.parse(Flavor.MYSQL, U + ":1-5"), 0);

    assertThat(metrics.get("wait-timeout")).isEqualTo(1);
    assertThat(metrics.get("brief-timeout")).isZero();
  }

  @Test
  void ask_unexpectedStateFromTheReplica_closesTheConnectionAndThrows() {
    // A MariaDB state the parser refuses: a RuntimeException, not an SQLException.
    ReplicaAsker asker = asker(Flavor.MARIADB, "1", "not a binlog state");

    assertThrows(RuntimeException.class, () -> asker.ask(List.of("r1"),
        ReplicaAsker.Asking.CHECK, 0, GtidSet.parse(Flavor.MARIADB, "0-1-5"), 0));

    assertThat(calls).as("the connection went back to the pool").endsWith("close");
  }

  @Test
  void ask_primaryChangesAsTheWaitEnds_theMetricAndTheAnswerAgree() throws SQLException {
    // MariaDB: r1 passes server 1's 0-1-5 by sequence number, but its own state has only server
    // 2's transactions; the configured roles have no fence, so that is not proof. The new primary's
    // fence, which has 0-1-5, would prove it: the roles change right after r1 answered, while the
    // asker counts the wait.
    ReplicaAsker asker = asker(Flavor.MARIADB, "1", "0-2-7");
    Fence fence = new Fence("db2", "2", GtidSet.parse(Flavor.MARIADB, "0-2-7"),
        MariaDbBinlogState.parse("0-1-5,0-2-7"));
    onFirstTickAfterTheReplicaAnswered = () -> servers.update(new Roles(1, "db2", List.of("r1"),
        fence));

    ReplicaAsker.Asked asked = asker.ask(List.of("r1"), ReplicaAsker.Asking.BRIEF_WAIT,
        NOW + 20 * MS, GtidSet.parse(Flavor.MARIADB, "0-1-5"), 0);

    assertThat(servers.roles().generation()).as("the roles changed during the ask").isEqualTo(1);
    assertThat(metrics.get("brief-reached") + metrics.get("brief-timeout")).isEqualTo(1);
    assertThat(asked.connection() != null)
        .as("served iff counted as reached; routing: %s", metrics.counts)
        .isEqualTo(metrics.get("brief-reached") == 1);
  }

  /**
   * An asker over one replica "r1" whose queries answer {@code reached} ("1"/"0") and, on MariaDB,
   * {@code state}; every wait slice moves the ticker 10 ms. Servers db1 (primary) and db2 are
   * configured besides.
   */
  private ReplicaAsker asker(Flavor flavor, String reached, String state) {
    Connection connection = fake(Connection.class, (m, a) -> switch (m) {
      case "prepareStatement" -> fake(PreparedStatement.class, (pm, pa) -> switch (pm) {
        case "executeQuery" -> {
          now.addAndGet(10 * MS);
          answered = true;
          yield fake(ResultSet.class, (rm, ra) -> switch (rm) {
            case "next" -> true;
            case "getInt" -> Integer.parseInt(reached);
            case "getString" -> state;
            default -> null;
          });
        }
        default -> null;
      });
      case "isClosed" -> false;
      default -> null;
    });
    HikariDataSource pool = new HikariDataSource() {
      @Override
      public Connection getConnection() {
        return connection;
      }
    };
    pools.add(pool);
    GtidSet empty = GtidSet.empty(flavor);
    List<Servers.Server> all = new ArrayList<>();
    for (String n : List.of("db1", "db2", "r1")) {
      all.add(new Servers.Server(n, pool, new Replica(n, pool, empty, Clock.systemUTC()),
          new WriteCaptureChoice(conn -> null, null, null),
          () -> {
            throw new SQLException("Connection refused (" + n + ")", "08001");
          }));
    }
    servers = new Servers(all, Roles.configured("db1", List.of("r1"), false),
        new ServerProbe(flavor), false, Duration.ofMillis(250), Duration.ofMillis(250));
    Ticker ticker = () -> {
      if (answered && onFirstTickAfterTheReplicaAnswered != null) {
        Runnable hook = onFirstTickAfterTheReplicaAnswered;
        onFirstTickAfterTheReplicaAnswered = null;
        hook.run();
      }
      return now.get();
    };
    return new ReplicaAsker(servers, new ServerWait(flavor), metrics, ticker,
        Duration.ofSeconds(1).toNanos());
  }

  /** A driver object answering {@code answer(method, args)}; connection calls are recorded. */
  @SuppressWarnings("unchecked")
  private <T> T fake(Class<T> face, Answer answer) {
    return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {face},
        (proxy, m, args) -> {
          if (m.getDeclaringClass() == Object.class) {
            return m.getName().equals("equals") ? proxy == args[0]
                : m.getName().equals("hashCode") ? System.identityHashCode(proxy) : face.getName();
          }
          if (face == Connection.class) {
            calls.add(m.getName());
          }
          Object r = answer.answer(m.getName(), args);
          return r == null && m.getReturnType() == boolean.class ? false
              : r == null && m.getReturnType() == int.class ? 0 : r;
        });
  }

  @FunctionalInterface
  private interface Answer {
    Object answer(String method, Object[] args);
  }
}
