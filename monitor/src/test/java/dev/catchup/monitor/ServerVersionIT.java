package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.dialect.ServerVersion;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.grants.UnsupportedServerException;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14: the monitor refuses a server whose release it does not support, at start for every
 * server it reaches then (it does not start), and as that server's error for one it first reaches
 * later. No older server can be installed here (Debian ships only MySQL 9 and MariaDB 10.11/11.8),
 * so these real servers are refused as the other flavor, which takes the same path: the
 * version read on the monitor's first connection, checked against the dialect before the grants.
 * Which releases are too old is {@code ServerVersionTest}'s table.
 */
class ServerVersionIT {

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void start_serversOfAnotherFlavor_refusedNamingEachServerAndItsVersion(Flavor flavor)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    String version = version(t);

    UnsupportedServerException e = assertThrows(UnsupportedServerException.class,
        () -> Monitor.start(asOtherFlavor(t, MonitorFixtures.config(t, Duration.ofSeconds(2)))));

    Flavor other = other(flavor);
    String refusal = "is " + version + ", not " + (other == Flavor.MYSQL ? "MySQL" : "MariaDB")
        + " as configured (flavor " + other.name().toLowerCase(java.util.Locale.ROOT) + ")";
    assertThat(e.getMessage()).startsWith("unsupported servers (see Supported servers in the README):")
        .contains("\n  primary (" + MonitorFixtures.USER + "@127.0.0.1:" + t.primary().port() + ", ")
        .contains(") " + refusal)
        .contains("\n  replica1 (").contains("\n  replica2 (");
    assertThat(e.refusals()).hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void serverDownAtStart_ofAnotherFlavor_isReportedWhenItConnects(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    Server alsoDown = t.replica(1);
    Server down = t.replica(2);
    MonitorConfig all = MonitorFixtures.config(t, Duration.ofSeconds(2));
    // Only servers that are down at start: nothing is reachable to refuse, so the monitor starts.
    MonitorConfig config = new MonitorConfig(other(flavor), all.user(), all.password(),
        new MonitorConfig.Server(alsoDown.name(), alsoDown.host(), alsoDown.port()),
        List.of(new MonitorConfig.Server(down.name(), down.host(), down.port())),
        all.staleAfter(), all.tracker(), all.http(), all.tls());
    String version = version(t);
    t.kill(alsoDown);
    t.kill(down);
    try (Monitor m = Monitor.start(config)) {
      t.restart(down);
      Registry r = m.registry();
      TrackingIT.await(down.name() + " reports the refusal", () -> {
        String error = r.status(down.name()).map(s -> s.lastError()).orElse(null);
        return error != null && error.startsWith("unsupported server");
      });
      assertThat(r.status(down.name()).orElseThrow().lastError())
          .startsWith("unsupported server (see Supported servers in the README): " + down.name()
              + " (" + MonitorFixtures.USER + "@127.0.0.1:" + down.port() + ", ")
          .endsWith(") is " + version + ", not "
              + (other(flavor) == Flavor.MYSQL ? "MySQL" : "MariaDB") + " as configured (flavor "
              + other(flavor).name().toLowerCase(java.util.Locale.ROOT) + ")");
    } finally {
      t.restart(alsoDown); // no-ops when they already run
      t.restart(down);
    }
  }

  private static String version(Topology t) throws Exception {
    try (Connection c = t.connect(t.primary())) {
      return ServerVersion.of(c).toString();
    }
  }

  private static Flavor other(Flavor flavor) {
    return flavor == Flavor.MYSQL ? Flavor.MARIADB : Flavor.MYSQL;
  }

  private static MonitorConfig asOtherFlavor(Topology t, MonitorConfig c) {
    return new MonitorConfig(other(t.flavor()), c.user(), c.password(), c.primary(), c.replicas(),
        c.staleAfter(), c.tracker(), c.http(), c.tls());
  }
}
