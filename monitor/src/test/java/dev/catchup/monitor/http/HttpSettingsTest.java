package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {
  private static final Duration ONE = Duration.ofSeconds(1);

  private static String error(String bind, int port, String token, Duration maxLag, Duration maxWait) {
    return assertThrows(IllegalArgumentException.class,
        () -> new HttpSettings(bind, port, token, maxLag, maxWait)).getMessage();
  }

  @Test
  void port_outOfRange_throws() {
    assertThat(error("127.0.0.1", 70000, null, ONE, ONE))
        .isEqualTo("http.port must be between 0 and 65535, was 70000");
    assertThat(error("127.0.0.1", -1, null, ONE, ONE))
        .isEqualTo("http.port must be between 0 and 65535, was -1");
  }

  @Test
  void bind_blank_throws() {
    assertThat(error(" ", 0, null, ONE, ONE)).isEqualTo("http.bind must not be empty, was ' '");
    assertThat(error(null, 0, null, ONE, ONE)).isEqualTo("http.bind must not be empty, was 'null'");
  }

  @Test
  void durations_outOfRange_throw() {
    assertThat(error("h", 0, null, Duration.ofSeconds(-1), ONE))
        .isEqualTo("http.defaultMaxLag must be between PT0S and PT1H, was PT-1S");
    assertThat(error("h", 0, null, ONE, Duration.ofHours(2)))
        .isEqualTo("http.maxWait must be between PT0S and PT1H, was PT2H");
    assertThat(error("h", 0, null, ONE, null)).isEqualTo("http.maxWait must be between PT0S and PT1H, was null");
  }

  @Test
  void token_withSpace_throwsWithoutShowingIt() {
    String message = error("h", 0, "my secret", ONE, ONE);

    assertThat(message).isEqualTo("http.token must be 1 to 4096 printable ASCII characters without "
        + "spaces (value not shown)").doesNotContain("secret");
    assertThat(error("h", 0, "", ONE, ONE)).startsWith("http.token must be");
  }

  @Test
  void toString_masksToken() {
    HttpSettings s = new HttpSettings("127.0.0.1", 9760, "t0ken-value", ONE, ONE);

    assertThat(s.toString()).doesNotContain("t0ken-value").contains("auth=bearer ****");
    assertThat(new HttpSettings("127.0.0.1", 0, null, ONE, ONE).toString()).contains("auth=none");
  }

  private static String boundsError(Duration headerTimeout, Duration idleTimeout, int max, int perClient) {
    return assertThrows(IllegalArgumentException.class, () -> new HttpSettings("127.0.0.1", 0, null, ONE,
        ONE, false, headerTimeout, idleTimeout, max, perClient)).getMessage();
  }

  @Test
  void connectionBounds_outOfRange_throwNamingTheSetting() {
    Duration idle = HttpSettings.DEFAULT_IDLE_TIMEOUT;
    assertThat(boundsError(Duration.ofMillis(50), idle, 10, 10))
        .isEqualTo("http.headerTimeout must be between PT0.1S and PT1H, was PT0.05S");
    assertThat(boundsError(ONE, ONE, 10, 10))
        .isEqualTo("http.idleTimeout must be between PT5S and PT1H, was PT1S");
    assertThat(boundsError(ONE, idle, 0, 1))
        .isEqualTo("http.maxConnections must be between 1 and 65535, was 0");
    assertThat(boundsError(ONE, idle, 10, 11))
        .isEqualTo("http.maxConnectionsPerClient must be between 1 and http.maxConnections (10), was 11");
  }

  @Test
  void defaults_areTheDocumentedOnes() {
    HttpSettings s = new HttpSettings("127.0.0.1", 0, null, ONE, ONE);

    assertThat(s.allowUnauthenticated()).isFalse();
    assertThat(s.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxConnections()).isEqualTo(2048);
    assertThat(s.maxConnectionsPerClient()).isEqualTo(128);
    assertThat(s.maxSubscribers()).isEqualTo(1024);
    assertThat(s.maxWaits()).isEqualTo(64);
  }

  private static String fanOutError(int maxConnections, int maxSubscribers, int maxWaits) {
    return assertThrows(IllegalArgumentException.class, () -> new HttpSettings("127.0.0.1", 0, null,
        ONE, ONE, false, HttpSettings.DEFAULT_HEADER_TIMEOUT, HttpSettings.DEFAULT_IDLE_TIMEOUT,
        maxConnections, 1, maxSubscribers, maxWaits)).getMessage();
  }

  @Test
  void fanOutLimits_outOfRange_throwNamingTheSettingAndRule() {
    assertThat(fanOutError(100, 0, 8)).isEqualTo("http.maxSubscribers must be between 1 and "
        + "http.maxConnections (100): every subscriber holds a connection; was 0");
    assertThat(fanOutError(100, 101, 8)).isEqualTo("http.maxSubscribers must be between 1 and "
        + "http.maxConnections (100): every subscriber holds a connection; was 101");
    assertThat(fanOutError(100, 10, 0))
        .isEqualTo("http.maxWaits must be between 1 and 1024 (each waiting request holds a thread), was 0");
    assertThat(fanOutError(100, 10, 1025))
        .isEqualTo("http.maxWaits must be between 1 and 1024 (each waiting request holds a thread), was 1025");
  }

  @Test
  void fanOutLimits_giveTheApiItsBoundsAndThreads() {
    HttpSettings s = new HttpSettings("127.0.0.1", 0, null, ONE, ONE, false,
        HttpSettings.DEFAULT_HEADER_TIMEOUT, HttpSettings.DEFAULT_IDLE_TIMEOUT, 3000, 128, 2000, 100);

    Limits l = Limits.of(s);

    assertThat(l.maxSubscribers()).isEqualTo(2000);
    assertThat(l.maxConcurrentWaits()).isEqualTo(100);
    assertThat(l.dispatcherThreads()).isEqualTo(100 + HttpSettings.OTHER_HANDLER_THREADS);
    assertThat(l.stream().maxSubscribers()).isEqualTo(2000);
  }

  @Test
  void shortConstructor_smallMaxConnections_keepsDefaultSubscribersWithinIt() {
    HttpSettings s = new HttpSettings("127.0.0.1", 0, null, ONE, ONE, false,
        HttpSettings.DEFAULT_HEADER_TIMEOUT, HttpSettings.DEFAULT_IDLE_TIMEOUT, 100, 100);

    assertThat(s.maxSubscribers()).isEqualTo(100);
  }
}
