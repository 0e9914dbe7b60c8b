package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.TrackerSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload's plan: the seed list changes live, everything else waits for a restart. */
class ConfigReloadTest {
  private static final MonitorConfig.Server DB1 = new MonitorConfig.Server("db1", "127.0.0.1", 3301);
  private static final MonitorConfig.Server DB2 = new MonitorConfig.Server("db2", "127.0.0.1", 3302);
  private static final MonitorConfig.Server DB3 = new MonitorConfig.Server("db3", "127.0.0.1", 3303);
  private static final HttpSettings HTTP = new HttpSettings("127.0.0.1", 9760, null,
      Duration.ofSeconds(1), Duration.ofSeconds(30));

  private static MonitorConfig config(MonitorConfig.Server primary, List<MonitorConfig.Server> replicas,
      HttpSettings http) {
    return new MonitorConfig(Flavor.MYSQL, "mon", "pw", primary, replicas, Duration.ofSeconds(3),
        TrackerSettings.DEFAULTS, http);
  }

  @Test
  void of_sameConfig_changesNothing() {
    ConfigReload r = ConfigReload.of(config(DB1, List.of(DB2), HTTP), config(DB1, List.of(DB2), HTTP));
    assertThat(r.serversUnchanged()).isTrue();
    assertThat(r.needRestart()).isEmpty();
    assertThat(r.describe()).isEqualTo("configuration reloaded: servers unchanged");
  }

  @Test
  void of_serverAddedAndRemoved_areApplied() {
    ConfigReload r = ConfigReload.of(config(DB1, List.of(DB2), HTTP), config(DB1, List.of(DB3), HTTP));
    assertThat(r.added()).containsExactly(DB3);
    assertThat(r.removed()).containsExactly("db2");
    assertThat(r.moved()).isEmpty();
    assertThat(r.describe()).isEqualTo("configuration reloaded: tracking db3 (127.0.0.1:3303), "
        + "untracking db2");
  }

  @Test
  void of_primaryListedAsAReplica_isNoServerChange() {
    // After a promotion the operator swaps the two in the file: both are seeds either way.
    ConfigReload r = ConfigReload.of(config(DB1, List.of(DB2), HTTP), config(DB2, List.of(DB1), HTTP));
    assertThat(r.serversUnchanged()).isTrue();
  }

  @Test
  void of_addressChanged_isMoved() {
    MonitorConfig.Server db2Elsewhere = new MonitorConfig.Server("db2", "10.0.0.2", 3306);
    ConfigReload r = ConfigReload.of(config(DB1, List.of(DB2), HTTP),
        config(DB1, List.of(db2Elsewhere), HTTP));
    assertThat(r.moved()).containsExactly(db2Elsewhere);
    assertThat(r.describe()).isEqualTo("configuration reloaded: db2 moved to 10.0.0.2:3306");
  }

  @Test
  void of_httpPortBindAndToken_needARestart() {
    HttpSettings other = new HttpSettings("0.0.0.0", 9761, "secret-token", Duration.ofSeconds(1),
        Duration.ofSeconds(30));
    ConfigReload r = ConfigReload.of(config(DB1, List.of(DB2), HTTP), config(DB1, List.of(DB2, DB3), other));
    assertThat(r.added()).containsExactly(DB3);
    assertThat(r.needRestart()).containsExactly("http.bind", "http.port",
        "http (token, limits or timeouts)");
    assertThat(r.describe()).isEqualTo("configuration reloaded: tracking db3 (127.0.0.1:3303); "
        + "changed but applied only after a restart (running values kept): http.bind, http.port, "
        + "http (token, limits or timeouts)");
  }

  @Test
  void of_trackerTimingsAndCredentials_needARestart() {
    MonitorConfig running = config(DB1, List.of(DB2), HTTP);
    MonitorConfig loaded = new MonitorConfig(Flavor.MYSQL, "mon2", "pw2", DB1, List.of(DB2),
        Duration.ofSeconds(4), TrackerSettings.DEFAULTS.withHeartbeat(Duration.ofSeconds(1)), HTTP);
    assertThat(ConfigReload.of(running, loaded).needRestart())
        .containsExactly("user", "password", "staleAfter", "heartbeatInterval");
  }

  @Test
  void of_onlyMaxSubscribersChanged_needsARestart() {
    HttpSettings fewer = new HttpSettings("127.0.0.1", 9760, null, Duration.ofSeconds(1),
        Duration.ofSeconds(30), false, HttpSettings.DEFAULT_HEADER_TIMEOUT,
        HttpSettings.DEFAULT_IDLE_TIMEOUT, HttpSettings.DEFAULT_MAX_CONNECTIONS,
        HttpSettings.DEFAULT_MAX_CONNECTIONS_PER_CLIENT, 10, HttpSettings.DEFAULT_MAX_WAITS);
    ConfigReload r = ConfigReload.of(config(DB1, List.of(DB2), HTTP), config(DB1, List.of(DB2), fewer));
    assertThat(r.needRestart()).containsExactly("http (token, limits or timeouts)");
    assertThat(r.describe()).isEqualTo("configuration reloaded: servers unchanged; changed but "
        + "applied only after a restart (running values kept): http (token, limits or timeouts)");
  }

  @Test
  void of_onlyMaxWaitsChanged_needsARestart() {
    HttpSettings fewer = new HttpSettings("127.0.0.1", 9760, null, Duration.ofSeconds(1),
        Duration.ofSeconds(30), false, HttpSettings.DEFAULT_HEADER_TIMEOUT,
        HttpSettings.DEFAULT_IDLE_TIMEOUT, HttpSettings.DEFAULT_MAX_CONNECTIONS,
        HttpSettings.DEFAULT_MAX_CONNECTIONS_PER_CLIENT, HttpSettings.DEFAULT_MAX_SUBSCRIBERS, 5);
    ConfigReload r = ConfigReload.of(config(DB1, List.of(DB2), HTTP), config(DB1, List.of(DB2), fewer));
    assertThat(r.needRestart()).containsExactly("http (token, limits or timeouts)");
  }

  @Test
  void of_bindAndPortOnlyChanged_areNotCountedTwice() {
    // bind and port are named on their own; the rest of http is unchanged.
    HttpSettings moved = new HttpSettings("localhost", 9761, null, Duration.ofSeconds(1),
        Duration.ofSeconds(30));
    ConfigReload r = ConfigReload.of(config(DB1, List.of(DB2), HTTP), config(DB1, List.of(DB2), moved));
    assertThat(r.needRestart()).containsExactly("http.bind", "http.port");
  }
}
