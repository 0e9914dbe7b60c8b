package dev.catchup.sdk;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How the data source's HikariCP pools are made: one per server, each of {@code size} connections
 * at most; borrowing waits up to {@code connectTimeout} on the primary and
 * {@code replicaConnectTimeout} on a replica (a dead replica costs a read at most that once); the
 * caller's {@code customizer} runs after Catchup's own settings. Every instance is valid: the
 * constructor checks each value.
 */
record PoolSettings(int size, Duration connectTimeout, Duration replicaConnectTimeout,
    Consumer<HikariConfig> customizer) {

  // Before DEFAULTS: its constructor checks against them.
  private static final Duration SHORTEST = Duration.ofMillis(250);
  private static final Duration LONGEST = Duration.ofMinutes(10);

  static final PoolSettings DEFAULTS =
      new PoolSettings(10, Duration.ofSeconds(5), Duration.ofSeconds(1), c -> {});

  PoolSettings {
    if (size < 1 || size > 10_000) {
      throw new IllegalArgumentException("poolSize must be between 1 and 10000, was " + size);
    }
    checkTimeout("connectTimeout", connectTimeout);
    checkTimeout("replicaConnectTimeout", replicaConnectTimeout);
    Objects.requireNonNull(customizer, "customizer must not be null");
  }

  PoolSettings withSize(int size) {
    return new PoolSettings(size, connectTimeout, replicaConnectTimeout, customizer);
  }

  PoolSettings withConnectTimeout(Duration timeout) {
    return new PoolSettings(size, timeout, replicaConnectTimeout, customizer);
  }

  PoolSettings withReplicaConnectTimeout(Duration timeout) {
    return new PoolSettings(size, connectTimeout, timeout, customizer);
  }

  PoolSettings withCustomizer(Consumer<HikariConfig> customizer) {
    return new PoolSettings(size, connectTimeout, replicaConnectTimeout, customizer);
  }

  /**
   * The timeouts' bounds, shared with the monitor's staleness: shorter than a quarter second would
   * fail on a busy but healthy server, longer than ten minutes is a hang.
   *
   * @throws IllegalArgumentException naming the setting, the value and the bounds
   */
  static Duration checkTimeout(String what, Duration d) {
    Objects.requireNonNull(d, what + " must not be null");
    if (d.compareTo(SHORTEST) < 0 || d.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(what + " must be between PT0.25S and PT10M, was " + d);
    }
    return d;
  }

  /**
   * Opens the pool of one server. It starts even when the server is down: reads route around it,
   * and it is retried with back-off.
   *
   * @param name the server's name ({@code primary} or the replica's)
   * @param driverProperties Connector/J properties Catchup needs on this pool
   */
  HikariDataSource open(String name, String url, boolean primary, ServerSettings servers,
      Map<String, String> driverProperties) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("catchup-" + name);
    c.setJdbcUrl(url);
    c.setUsername(servers.username());
    c.setPassword(servers.password());
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(Math.min(2, size));
    c.setConnectionTimeout((primary ? connectTimeout : replicaConnectTimeout).toMillis());
    c.setInitializationFailTimeout(-1);
    driverProperties.forEach(c::addDataSourceProperty);
    customizer.accept(c);
    return new HikariDataSource(c);
  }
}
