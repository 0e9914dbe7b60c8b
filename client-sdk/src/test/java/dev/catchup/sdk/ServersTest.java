package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The servers' roles as one swapped value: the update entry point, and discovery when no server
 * answers. No server: every pool points at a port nothing listens on.
 */
class ServersTest {
  private static final String U2 = "5c6d7e8f-0000-11e1-8000-000000000002";
  private final List<HikariDataSource> pools = new ArrayList<>();

  private Servers servers(String... names) {
    List<Servers.Server> all = new ArrayList<>();
    for (String n : names) {
      HikariConfig c = new HikariConfig();
      c.setPoolName("test-" + n);
      c.setJdbcUrl(DataSourceLifecycleTest.UNREACHABLE);
      c.setConnectionTimeout(250);
      c.setInitializationFailTimeout(-1);
      c.setMaximumPoolSize(1);
      HikariDataSource pool = new HikariDataSource(c);
      pools.add(pool);
      all.add(new Servers.Server(n, pool,
          new Replica(n, pool, GtidSet.empty(Flavor.MYSQL), Clock.systemUTC()),
          new WriteCaptureChoice(conn -> null, null, null),
          () -> {
            throw new SQLException("Connection refused (" + n + ")", "08001");
          }));
    }
    return new Servers(all, Roles.configured(names[0],
        List.of(names).subList(1, names.length), false), new ServerProbe(Flavor.MYSQL), false,
        Duration.ofMillis(250), Duration.ofMillis(250));
  }

  @AfterEach
  void close() {
    pools.forEach(HikariDataSource::close);
  }

  @Test
  void update_newPrimary_swapsTheRotation_andTellsTheListenersOnce() {
    Servers s = servers("db1", "db2", "db3");
    List<Roles> told = new ArrayList<>();
    s.onPrimaryChange(told::add);
    Roles promoted = new Roles(1, "db2", List.of("db3"),
        new Fence("db2", U2, GtidSet.empty(Flavor.MYSQL), null));
    s.update(promoted);
    s.update(promoted);
    assertThat(s.roles()).isEqualTo(promoted);
    assertThat(s.readers()).extracting(Replica::name).containsExactly("db3");
    assertThat(told).containsExactly(promoted);
    s.update(promoted.withReaders(List.of("db1", "db3")));
    assertThat(s.readers()).extracting(Replica::name).containsExactly("db1", "db3");
    assertThat(told).as("a reader joining is no change of primary").hasSize(1);
  }

  @Test
  void update_olderGeneration_isIgnored_unknownServer_isRefusedNamingIt() {
    Servers s = servers("db1", "db2");
    s.update(new Roles(2, "db2", List.of("db1"), null));
    s.update(new Roles(1, "db1", List.of("db2"), null));
    assertThat(s.roles().primary()).isEqualTo("db2");
    var e = assertThrows(IllegalArgumentException.class,
        () -> s.update(new Roles(3, "db9", List.of(), null)));
    assertThat(e.getMessage()).contains("db9").contains("configured: [db1, db2]");
    assertThat(s.roles().generation()).isEqualTo(2);
  }

  @Test
  void primary_borrowFailsAndNoServerAnswers_throwsNamingEachServerAndWhatItSaid() {
    Servers s = servers("db1", "db2");
    SQLException e = assertThrows(SQLException.class, s::primary);
    assertThat(e.getMessage()).startsWith("cannot borrow a connection of the primary db1")
        .contains("no configured server is writable")
        .contains("db1: unreachable (Connection refused (db1))")
        .contains("db2: unreachable (Connection refused (db2))");
    assertThat(s.roles()).as("nothing known: the roles stay")
        .isEqualTo(Roles.configured("db1", List.of("db2"), false));
  }
}
