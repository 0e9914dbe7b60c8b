package dev.catchup.samples.shop;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.samples.trace.ReadTrace;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupDataSourceBuilder;
import dev.catchup.sdk.ReadOptions;
import dev.catchup.sdk.ReadPolicy;
import dev.catchup.sdk.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Where a request's statements run: a plain read/write split, or Catchup's data source. */
interface Split extends AutoCloseable {

  /**
   * Starts a request.
   *
   * @param token the caller's {@code Catchup-Token} header, or null
   * @param policy the caller's {@code Catchup-Read-Policy} header, or null for the configured one
   * @throws IllegalArgumentException if the token or policy is malformed (before any SQL runs)
   */
  Request begin(String token, String policy);

  @Override
  void close();

  /** One request's connections. */
  interface Request {
    Connection writer() throws SQLException;

    Connection reader() throws SQLException;

    /** The token to hand back to the caller, or null when there is none to give. */
    String token();
  }

  static String jdbcUrl(String hostPort) {
    // Connector/J for both flavors; no TLS on the demo's private network.
    return "jdbc:mysql://" + hostPort + "/?useSSL=false&allowPublicKeyRetrieval=true"
        + "&connectTimeout=5000";
  }

  /** Naive read/write splitting: writes on the primary, every read on a replica, in rotation. */
  final class Naive implements Split {
    private final HikariDataSource primary;
    private final List<Map.Entry<String, HikariDataSource>> replicas = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    Naive(ShopConfig config) {
      primary = pool("naive-primary", config.primary(), config);
      config.replicas().forEach((name, address) ->
          replicas.add(Map.entry(name, pool("naive-" + name, address, config))));
    }

    private static HikariDataSource pool(String name, String address, ShopConfig config) {
      HikariConfig c = new HikariConfig();
      c.setPoolName(name);
      c.setJdbcUrl(jdbcUrl(address));
      c.setUsername(config.user());
      c.setPassword(config.password());
      c.setMaximumPoolSize(16);
      c.setInitializationFailTimeout(-1); // the service starts even if a server is not up yet
      return new HikariDataSource(c);
    }

    @Override
    public Request begin(String token, String policy) {
      return new Request() {
        @Override
        public Connection writer() throws SQLException {
          return primary.getConnection();
        }

        @Override
        public Connection reader() throws SQLException {
          var replica = replicas.get(Math.floorMod(next.getAndIncrement(), replicas.size()));
          ReadTrace.routed(replica.getKey());
          return replica.getValue().getConnection();
        }

        @Override
        public String token() {
          return null;
        }
      };
    }

    @Override
    public void close() {
      primary.close();
      replicas.forEach(r -> r.getValue().close());
    }
  }

  /** Catchup: a session per request, seeded with the caller's token; default (read-your-writes) reads. */
  final class Catchup implements Split {
    private final CatchupDataSource ds;
    private final ReadOptions defaults;

    Catchup(ShopConfig config) {
      CatchupDataSourceBuilder b = CatchupDataSource.builder()
          .flavor(config.flavor())
          .primary(jdbcUrl(config.primary()))
          .credentials(config.user(), config.password())
          .readPolicy(config.readPolicy())
          .maxWait(config.maxWait())
          .poolSize(16)
          .connectTimeout(Duration.ofSeconds(5))
          .metrics(ReadTrace.metrics());
      config.replicas().forEach((name, address) -> b.replica(name, jdbcUrl(address)));
      if (config.monitor() != null) {
        b.monitor(config.monitor().toString());
      }
      ds = b.build();
      defaults = ds.defaultReadOptions();
    }

    CatchupDataSource dataSource() {
      return ds;
    }

    @Override
    public Request begin(String token, String policy) {
      Session s = ds.newSession();
      if (token != null && !token.isBlank()) {
        s.observe(token);
      }
      if (policy != null && !policy.isBlank()) {
        try {
          s.readOptions(defaults.withPolicy(ReadPolicy.valueOf(policy.trim()
              .toUpperCase(Locale.ROOT))));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("Catchup-Read-Policy must be WAIT, "
              + "WAIT_THEN_FALLBACK, FALLBACK_TO_PRIMARY or FAIL, was '" + policy + "'");
        }
      }
      return new Request() {
        @Override
        public Connection writer() throws SQLException {
          return s.getConnection();
        }

        @Override
        public Connection reader() throws SQLException {
          return s.getReadConnection();
        }

        @Override
        public String token() {
          return s.token().isEmpty() ? null : s.token().encode();
        }
      };
    }

    @Override
    public void close() {
      ds.close();
    }
  }
}
