package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.testkit.LogCapture;
import dev.catchup.wire.StatusEvent;
import dev.catchup.wire.StatusEvent.Member;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK following the monitor's topology: a stand-in monitor serves topology events, the servers
 * are pools of nothing and answer discovery through a fake {@link Servers.Asker}; the feed's ticker
 * stands still, so the view never turns stale.
 */
class MonitorTopologyFollowTest {
  private static final String U1 = "5c6d7e8f-0000-11e1-8000-000000000001";
  private static final String U2 = "5c6d7e8f-0000-11e1-8000-000000000002";
  private static final String U3 = "5c6d7e8f-0000-11e1-8000-000000000003";
  private static final Map<String, String> UUIDS = Map.of("db1", U1, "db2", U2, "db3", U3);

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
  /** Who answers as a primary when asked; everyone else answers as a running replica. */
  private final Map<String, Boolean> writable = new ConcurrentHashMap<>();
  private final AtomicInteger asked = new AtomicInteger();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private Servers servers(boolean readsOnPrimary) {
    List<Servers.Server> all = new ArrayList<>();
    for (String n : List.of("db1", "db2", "db3")) {
      HikariConfig c = new HikariConfig();
      c.setPoolName("follow-" + n);
      c.setJdbcUrl(DataSourceLifecycleTest.UNREACHABLE);
      c.setConnectionTimeout(250);
      c.setInitializationFailTimeout(-1);
      c.setMaximumPoolSize(1);
      HikariDataSource pool = new HikariDataSource(c);
      pools.put(n, pool);
      closing.add(pool);
      all.add(new Servers.Server(n, pool,
          new Replica(n, pool, GtidSet.empty(Flavor.MYSQL), Clock.systemUTC()),
          new WriteCaptureChoice(conn -> null, null, null), () -> {
            throw new AssertionError("the fake asker answers");
          }));
    }
    Servers s = new Servers(all, Roles.configured("db1", List.of("db2", "db3"), readsOnPrimary),
        new ServerProbe(Flavor.MYSQL), this::answer, readsOnPrimary, Duration.ofMillis(250),
        Duration.ofMillis(250));
    closing.add(s);
    return s;
  }

  private ServerAnswer answer(Servers.Server s) {
    asked.incrementAndGet();
    String n = s.name();
    boolean primary = writable.getOrDefault(n, false);
    GtidSet executed = GtidSet.parse(Flavor.MYSQL, U1 + ":1-10," + UUIDS.get(n) + ":1-2");
    return new ServerAnswer(n, null, !primary, UUIDS.get(n), executed, null, primary ? null
        : new ServerAnswer.Replication("127.0.0.1", 3306, "Yes", "Yes"));
  }

  private MonitorFeed follow(Servers servers, FakeMonitor... monitors) {
    List<URI> urls = new ArrayList<>();
    for (FakeMonitor m : monitors) {
      urls.add(URI.create(m.baseUrl()));
    }
    MonitorFeed feed = new MonitorFeed(urls, null, Flavor.MYSQL, Duration.ofSeconds(3), now::get);
    closing.add(feed);
    feed.onTopology(servers::follow);
    servers.followingMonitor(feed::followsTopology);
    feed.start();
    return feed;
  }

  private static Member primary(String name) {
    return new Member(name, StatusEvent.PRIMARY, null, false);
  }

  private static Member replica(String name, String source) {
    return new Member(name, StatusEvent.REPLICA, source, true);
  }

  private static Member unknown(String name) {
    return new Member(name, StatusEvent.UNKNOWN_ROLE, null, null);
  }

  /** One status event of {@code name} carrying a topology. */
  private static String event(String name, long version, long generation, String primary,
      String conflict, Member... members) {
    Member self = null;
    for (Member m : members) {
      if (m.name().equals(name)) {
        self = m;
      }
    }
    String role = self == null ? StatusEvent.UNKNOWN_ROLE : self.role();
    return new String(new StatusEvent(name, role, "UP",
        GtidSet.parse(Flavor.MYSQL, U1 + ":1-10"), "CONNECTED", Duration.ZERO,
        StatusEvent.REPLICA.equals(role) ? 0.0 : null, version,
        new StatusEvent.Topology(generation, primary, conflict, List.of(members))).toSse(),
        StandardCharsets.UTF_8);
  }

  /** The end of a stand-in's body: an event without topology, to await everything before it. */
  private static String marker(String name) {
    return FakeMonitor.event(name, "replica", "UP", U1 + ":1-1", 1);
  }

  @Test
  void topologyEvent_newPrimary_writesGoToItsPool_rotationFollows_generationIsTheSdksOwn()
      throws Exception {
    writable.put("db2", true);
    Servers servers = servers(false);
    // The monitor's generation is 41; the SDK's own counter goes from 0 to 1.
    String body = event("db2", 9, 41, "db2", null, unknown("db1"), primary("db2"),
        replica("db3", "db2"));
    try (FakeMonitor m = new FakeMonitor("/stream", body)) {
      follow(servers, m);
      await(() -> servers.roles().primary().equals("db2"));
    }
    Roles r = servers.roles();
    assertThat(r.generation()).isEqualTo(1);
    assertThat(r.readers()).containsExactly("db3");
    assertThat(r.fence()).isEqualTo(new Fence("db2", U2,
        GtidSet.parse(Flavor.MYSQL, U1 + ":1-10," + U2 + ":1-2"), null));
    assertThat(servers.primaryPool()).isSameAs(pools.get("db2"));
    assertThat(servers.readers()).extracting(Replica::name).containsExactly("db3");
    assertThat(asked.get()).as("one question: the new primary's fence").isEqualTo(1);
  }

  @Test
  void topologyEvent_olderOrEqualGeneration_isIgnored() throws Exception {
    writable.put("db2", true);
    writable.put("db3", true); // would be adopted if it were ever planned
    Servers servers = servers(false);
    String body = event("db2", 1, 5, "db2", null, replica("db1", "db2"), primary("db2"),
        replica("db3", "db2"))
        + event("db3", 2, 5, "db3", null, replica("db1", "db3"), replica("db2", "db3"),
            primary("db3"))
        + event("db3", 3, 4, "db3", null, replica("db1", "db3"), replica("db2", "db3"),
            primary("db3"))
        + marker("db1");
    try (FakeMonitor m = new FakeMonitor("/stream", body)) {
      MonitorFeed feed = follow(servers, m);
      await(() -> feed.view("db1") != null && servers.roles().primary().equals("db2"));
      assertThat(feed.topology().generation()).isEqualTo(5);
      assertThat(feed.topology().primary()).isEqualTo("db2");
    }
    assertThat(servers.roles().primary()).isEqualTo("db2");
    assertThat(servers.roles().readers()).containsExactly("db1", "db3");
  }

  @Test
  void topologyOfAnotherMonitor_isTakenAfresh_whateverItsGeneration() throws Exception {
    writable.put("db2", true);
    Servers servers = servers(false);
    String first = event("db2", 1, 30, "db2", null, unknown("db1"), primary("db2"),
        replica("db3", "db2"));
    // The second monitor's counter is its own: generation 2 there is news, not old.
    String second = event("db3", 1, 2, "db3", null, unknown("db1"), replica("db2", "db3"),
        primary("db3"));
    FakeMonitor a = new FakeMonitor("/stream", first);
    try (FakeMonitor b = new FakeMonitor("/stream", second)) {
      MonitorFeed feed = follow(servers, a, b);
      await(() -> servers.roles().primary().equals("db2"));
      writable.put("db2", false);
      writable.put("db3", true);
      a.close(); // the followed monitor goes away: the feed switches to b
      await(() -> servers.roles().primary().equals("db3"));
      assertThat(feed.topology().generation()).isEqualTo(2);
    }
    assertThat(servers.roles().generation()).isEqualTo(2);
    assertThat(servers.roles().readers()).containsExactly("db2");
  }

  @Test
  void topologyEvent_conflictOrNoPrimary_keepsThePrimary() throws Exception {
    writable.put("db2", true);
    Servers servers = servers(false);
    String body = event("db1", 1, 2, null, null, unknown("db1"), replica("db2", "db1"),
        replica("db3", "db1"))
        + event("db2", 2, 3, "db1", "db1, db2 are all writable and replicate from no server",
            primary("db1"), primary("db2"), replica("db3", "db1"))
        + marker("db3");
    try (FakeMonitor m = new FakeMonitor("/stream", body)) {
      MonitorFeed feed = follow(servers, m);
      await(() -> feed.view("db3") != null && feed.topology().generation() == 3);
      servers.applyFollowed(); // after the topology thread's run, if it had not run yet
    }
    assertThat(servers.roles()).isEqualTo(Roles.configured("db1", List.of("db2", "db3"), false));
    assertThat(asked.get()).as("no server is asked: nothing is guessed").isZero();
  }

  @Test
  void topologyEvent_primaryNotConfigured_isIgnoredWithOneLogLine() throws Exception {
    Predicate<ILoggingEvent> namingDb9 = e -> e.getFormattedMessage().contains("db9");
    try (LogCapture logs = LogCapture.of(Servers.class)) {
      Servers servers = servers(false);
      String body = event("db9", 1, 2, "db9", null, unknown("db1"), primary("db9"))
          + event("db9", 2, 3, "db9", null, unknown("db1"), primary("db9"), unknown("db2"))
          + marker("db3");
      try (FakeMonitor m = new FakeMonitor("/stream", body)) {
        MonitorFeed feed = follow(servers, m);
        await(() -> feed.view("db3") != null && feed.topology().generation() == 3);
        servers.applyFollowed();
        logs.await(namingDb9, Duration.ofSeconds(10));
      }
      assertThat(servers.roles().primary()).isEqualTo("db1");
      assertThat(logs.messages(namingDb9)).containsExactly("the monitor names db9 primary, a "
          + "server this data source is not configured with (configured: [db1, db2, db3]): "
          + "keeping db1");
      assertThat(logs.events(namingDb9))
          .extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO);
    }
  }

  @Test
  void topologyEvent_namedPrimaryStillReadOnly_isNotAdopted_untilItAnswersAsPrimary()
      throws Exception {
    Servers servers = servers(false);
    String body = event("db2", 1, 8, "db2", null, unknown("db1"), primary("db2"),
        replica("db3", "db2")) + marker("db3");
    try (FakeMonitor m = new FakeMonitor("/stream", body)) {
      MonitorFeed feed = follow(servers, m);
      await(() -> feed.view("db3") != null && asked.get() >= 1);
      servers.applyFollowed();
      assertThat(servers.roles().primary()).as("db2 says it is read-only and replicates")
          .isEqualTo("db1");
      writable.put("db2", true);
      servers.applyFollowed(); // what the periodic tick does while the monitor is followed
      assertThat(servers.roles().primary()).isEqualTo("db2");
    }
  }

  @Test
  void tick_whileFollowingTheMonitorsTopology_asksNoServer_otherwiseAsksEveryOne()
      throws Exception {
    Servers servers = servers(false);
    String body = event("db1", 1, 1, "db1", null, primary("db1"), replica("db2", "db1"),
        replica("db3", "db1")) + marker("db3");
    try (FakeMonitor m = new FakeMonitor("/stream", body)) {
      MonitorFeed feed = follow(servers, m);
      await(() -> feed.view("db3") != null && feed.followsTopology());
      servers.tick();
      assertThat(asked.get()).isZero();
    }
    servers.followingMonitor(() -> false);
    servers.tick();
    assertThat(asked.get()).isEqualTo(3);
  }

  @Test
  void replicaTheMonitorCallsUnknown_isNoLongerUp() throws Exception {
    String body = FakeMonitor.event("db3", "replica", "UP", U1 + ":1-5", 1)
        + FakeMonitor.event("db3", "unknown", "UNKNOWN", U1 + ":1-5", 2)
        + marker("db2");
    try (FakeMonitor m = new FakeMonitor("/stream", body);
         MonitorFeed feed = new MonitorFeed(List.of(URI.create(m.baseUrl())), null, Flavor.MYSQL,
             Duration.ofSeconds(3), now::get)) {
      feed.start();
      await(() -> feed.view("db2") != null);
      assertThat(feed.view("db3").up()).isFalse();
      assertThat(feed.view("db3").confirmed()).isEqualTo(GtidSet.parse(Flavor.MYSQL, U1 + ":1-5"));
    }
  }

  @Test
  void primaryView_formerPrimaryTheMonitorCallsUnknown_isNobodysConfirmedSet() throws Exception {
    String body = FakeMonitor.event("db1", "primary", "UP", U1 + ":1-50", 1)
        + FakeMonitor.event("db2", "primary", "UP", U1 + ":1-40," + U2 + ":1-3", 4)
        + FakeMonitor.event("db1", "unknown", "UNKNOWN", U1 + ":1-50", 2)
        + marker("db3");
    try (FakeMonitor m = new FakeMonitor("/stream", body);
         MonitorFeed feed = new MonitorFeed(List.of(URI.create(m.baseUrl())), null, Flavor.MYSQL,
             Duration.ofSeconds(3), now::get)) {
      feed.start();
      await(() -> feed.view("db3") != null);
      assertThat(feed.primaryConfirmed("db1")).isNull();
      assertThat(feed.primaryConfirmed("db2"))
          .isEqualTo(GtidSet.parse(Flavor.MYSQL, U1 + ":1-40," + U2 + ":1-3"));
    }
  }

  @Test
  void await_changeOfPrimaryWhileWaitingInTheProcess_endsTheWait_beforeItsDeadline()
      throws Exception {
    try (FakeMonitor m = new FakeMonitor("/stream", marker("db2"));
         MonitorFeed feed = new MonitorFeed(List.of(URI.create(m.baseUrl())), null, Flavor.MYSQL,
             Duration.ofSeconds(3), now::get)) {
      feed.start();
      await(() -> feed.view("db2") != null);
      java.util.concurrent.atomic.AtomicBoolean changed = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.CompletableFuture<String> waited =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
              // The ticker stands still: only the change can end this wait.
              return feed.await(List.of("db2"), GtidSet.parse(Flavor.MYSQL, U1 + ":1-99"),
                  now.get() + Duration.ofMinutes(1).toNanos(), () -> null, changed::get);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          });
      changed.set(true);
      feed.wakeWaiters();
      assertThat(waited.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10); // polling a condition, not standing in for one
    }
  }
}
