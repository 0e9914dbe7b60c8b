package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 10.18: a server's host goes into a JDBC URL, so only host names and addresses pass. */
class ServerHostTest {
  @TempDir
  Path dir;

  private MonitorConfig load(String primaryHost) throws IOException {
    Path p = dir.resolve("monitor.yaml");
    Files.writeString(p, """
        flavor: mysql
        user: monitor
        primary: {name: db1, host: '%s', port: 3306}
        replicas:
          - {name: db2, host: 10.0.0.2, port: 3306}
        """.formatted(primaryHost));
    return ConfigLoader.load(p, Map.of(), Map.of());
  }

  @Test
  void load_hostWithUrlParameters_throwsNamingServerSettingValueAndRule() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("127.0.0.1:1/?allowLoadLocalInfile=true&x="));
    assertThat(e.getMessage())
        .contains("db1")
        .contains("host")
        .contains("'127.0.0.1:1/?allowLoadLocalInfile=true&x='")
        .contains("host name")
        .contains("IPv4")
        .contains("IPv6");
  }

  @ParameterizedTest
  @ValueSource(strings = {"db1.example.com", "localhost", "my-db-01", "10.0.0.1", "255.255.255.255",
      "::1", "[::1]", "fe80::1:2", "2001:db8::ffff:10.0.0.1", "a", "9db.example"})
  void load_validHost_isAccepted(String host) throws IOException {
    String expected = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    assertEquals(expected, load(host).primary().host());
  }

  @ParameterizedTest
  @ValueSource(strings = {"db1:3306", "db1/x", "db1?a=b", "db1&a=b", "-db1", "db1-", "db_1",
      "db1..example", ".db1", "db1.", "256.0.0.1", "10.0.0", "1.2.3.4.5", "::1%eth0", "[::1", "1::2::3",
      "db 1", "user@db1", "db1,db2", "ünïcode.example", " db1"})
  void load_invalidHost_throwsNamingTheRule(String host) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(host));
    assertThat(e.getMessage()).contains("host of db1").contains("'" + host + "'")
        .contains("must be a host name");
  }

  @Test
  void load_hostNameLongerThan253_throws() {
    String label = "a".repeat(60);
    String longName = String.join(".", label, label, label, label, label);
    ConfigException e = assertThrows(ConfigException.class, () -> load(longName));
    assertThat(e.getMessage()).contains("host of db1").contains("253");
  }

  @Test
  void load_labelLongerThan63_throws() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("a".repeat(64) + ".example"));
    assertThat(e.getMessage()).contains("host of db1").contains("63");
  }

  @Test
  void server_invalidHost_throwsIllegalArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MonitorConfig.Server("db9", "db9/?x=1", 3306));
    assertThat(e.getMessage()).contains("host of db9").contains("'db9/?x=1'");
  }
}
