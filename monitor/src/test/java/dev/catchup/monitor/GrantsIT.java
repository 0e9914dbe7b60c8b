package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.grants.MissingGrantsException;
import dev.catchup.monitor.grants.MonitorGrants.Grant;
import dev.catchup.monitor.grants.MonitorGrants;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.ServerKind;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The monitor's user on real servers: exactly the documented grants let every replica pass
 * {@code /check} in both modes, and a user without one of them stops the start with a message
 * naming the server, the account, the grant and the statement to run. Before issue 10 the README
 * asked for REPLICATION SLAVE and REPLICATION CLIENT only, which on MariaDB 10.11 left every
 * replica's {@code /check} at 503 (SHOW SLAVE STATUS needs SLAVE MONITOR there).
 */
class GrantsIT {
  private static final String LACKING = "catchup_monitor_lacking";
  private final HttpClient http = HttpClient.newHttpClient();

  @ParameterizedTest
  @CsvSource({"MYSQL, false", "MYSQL, true", "MARIADB, false", "MARIADB, true"})
  void start_withDocumentedGrants_everyReplicaPassesCheck(Flavor flavor, boolean heartbeat)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    MonitorConfig config = MonitorFixtures.config(t, Duration.ofSeconds(2),
        heartbeat ? Duration.ofMillis(100) : null);
    try (Monitor m = Monitor.start(config)) {
      Registry r = m.registry();
      for (Server replica : t.replicas()) {
        await(replica.name() + " /check 200", () -> check(m, replica) == 200);
        if (heartbeat) {
          await(replica.name() + " heartbeat lag",
              () -> r.lag(status(r, replica)).heartbeatLagSeconds() != null);
        }
      }
      for (ServerStatus s : r.all()) {
        assertThat(s.lastError()).as("%s's last error", s.name()).isNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void start_userWithoutReplicaStatusGrant_failsNamingIt(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    // MariaDB 10.11 asks SLAVE MONITOR for SHOW SLAVE STATUS; MySQL asks REPLICATION CLIENT.
    String grant = kind.flavor() == Flavor.MARIADB ? "SLAVE MONITOR" : "REPLICATION CLIENT";
    t.createUser(LACKING, "pw", statementsWithout(t, false, grant));

    MissingGrantsException e = assertThrows(MissingGrantsException.class,
        () -> Monitor.start(MonitorFixtures.config(t, LACKING, "pw", Duration.ofSeconds(2), null)));

    String account = "'" + LACKING + "'@'%'";
    assertThat(e.getMessage()).contains("monitor/README.md")
        .contains("replica1 (" + LACKING + "@").contains("replica2 (" + LACKING + "@")
        .contains(account + " lacks " + grant + " ON *.*")
        .contains("run: GRANT " + grant + " ON *.* TO " + account + ";");
    // The primary's tracker reads its replication status too (where it replicates from, if
    // anywhere: the topology), so it needs the grant as well.
    assertThat(e.getMessage()).contains("primary (" + LACKING + "@");
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void start_userWithoutReplicationSlave_failsNamingIt(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    t.createUser(LACKING, "pw", statementsWithout(t, false, "REPLICATION SLAVE"));

    MissingGrantsException e = assertThrows(MissingGrantsException.class,
        () -> Monitor.start(MonitorFixtures.config(t, LACKING, "pw", Duration.ofSeconds(2), null)));

    // Without the check the feed only ever said "binlog connection closed".
    assertThat(e.getMessage()).contains("primary (" + LACKING + "@")
        .contains("lacks REPLICATION SLAVE ON *.* (for the binlog dump")
        .contains("GRANT REPLICATION SLAVE ON *.* TO '" + LACKING + "'@'%'");
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void start_heartbeatUserWithoutSelect_failsNamingIt(ServerKind kind) throws Exception {
    Topology t = Topologies.shared(kind);
    t.createUser(LACKING, "pw", statementsWithout(t, true, "SELECT"));

    MissingGrantsException e = assertThrows(MissingGrantsException.class,
        () -> Monitor.start(MonitorFixtures.config(t, LACKING, "pw", Duration.ofSeconds(2),
            Duration.ofMillis(100))));

    assertThat(e.getMessage()).contains("replica1 (").contains("replica2 (")
        .contains("lacks SELECT ON catchup_monitor.*")
        .contains("GRANT SELECT ON catchup_monitor.* TO '" + LACKING + "'@'%'");
    // MariaDB's INSERT ... ON DUPLICATE KEY UPDATE reads the column it sets; MySQL's does not.
    if (kind.flavor() == Flavor.MARIADB) {
      assertThat(e.getMessage()).contains("primary (");
    } else {
      assertThat(e.getMessage()).doesNotContain("primary (");
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void serverDownAtStart_lackingGrant_isReportedWhenItConnects(ServerKind kind)
      throws Exception {
    Topology t = Topologies.shared(kind);
    Server down = t.replica(2);
    String grant = kind.flavor() == Flavor.MARIADB ? "SLAVE MONITOR" : "REPLICATION CLIENT";
    t.createUser(LACKING, "pw", MonitorGrants.statements(flavor(t), false,
        MonitorGrants.account(LACKING, "%")));
    t.createUser(down, LACKING, "pw", statementsWithout(t, false, grant));
    t.kill(down);
    try {
      // Reachable servers have every grant, the other cannot be asked: the monitor starts.
      try (Monitor m = Monitor.start(MonitorFixtures.config(t, LACKING, "pw",
          Duration.ofSeconds(2), null))) {
        t.restart(down);
        Registry r = m.registry();
        await(down.name() + " reports the missing grant", () -> {
          String error = status(r, down).lastError();
          return error != null && error.contains("lacks " + grant + " ON *.*");
        });
        assertThat(status(r, down).lastError()).contains("GRANT " + grant + " ON *.* TO '"
            + LACKING + "'@'%'");
        assertThat(status(r, t.replica(1)).lastError()).isNull();
      }
    } finally {
      t.restart(down); // a no-op when it already runs
    }
  }

  /** The documented statements with {@code privilege} left out of its scope's GRANT. */
  private static List<String> statementsWithout(Topology t, boolean heartbeat, String privilege) {
    List<Grant> kept = MonitorGrants.required(flavor(t), heartbeat).stream()
        .filter(g -> !g.privilege().equals(privilege)).toList();
    String account = MonitorGrants.account(LACKING, "%");
    // Same shape as MonitorGrants.statements: one GRANT per scope.
    return kept.stream().map(Grant::on).distinct()
        .map(on -> "GRANT " + String.join(", ", kept.stream().filter(g -> g.on().equals(on))
            .map(Grant::privilege).toList()) + " ON " + on + " TO " + account)
        .toList();
  }

  private static Flavor flavor(Topology t) {
    return MonitorFixtures.flavor(t);
  }

  private static ServerStatus status(Registry r, Server s) {
    return r.status(s.name()).orElseThrow();
  }

  private int check(Monitor m, Server replica) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort()
              + "/check/" + replica.name())).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
