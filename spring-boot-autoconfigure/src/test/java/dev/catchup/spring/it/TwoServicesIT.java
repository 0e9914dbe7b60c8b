package dev.catchup.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Two real Spring Boot applications (embedded Tomcat on loopback ports) over one real topology whose
 * replicas apply one second late, each with the starter and nothing but {@code catchup.*} server
 * properties (every read setting at its default). Orders writes an order and asks billing for it
 * through Boot's {@code RestClient.Builder}; billing reads it in a read-only transaction on a
 * replica. No Catchup code in either application: the filter binds a session per request and
 * passes the token back, the interceptor carries it to billing.
 */
class TwoServicesIT {
  private static final String TABLE = "spring_orders";
  private static final int REQUESTS = 200;
  private static final int THREADS = 16;
  private static final int LARGE = 256 * 1024;

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void orderPlacedInOne_readInTheOther_neverStale_tokenOnTheWireBothWays(Flavor flavor)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    createTable(t);
    for (Server r : t.replicas()) {
      t.setDelayAtLeast(r, Duration.ofSeconds(1));
    }
    try (ConfigurableApplicationContext billing = start(BillingApp.class, t, Map.of());
         ConfigurableApplicationContext orders = start(OrdersApp.class, t,
             Map.of("billing.url", "http://127.0.0.1:" + port(billing)))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String ordersUrl = "http://127.0.0.1:" + port(orders) + "/orders";

      // The control: billing asked without the token misses the order just written (the delay bites).
      int missedWithoutToken = 0;
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = send(http, ordersUrl + "?amount=7&via=plain");
        assertThat(r.statusCode()).isEqualTo(200);
        missedWithoutToken += r.body().startsWith("missing|") ? 1 : 0;
      }
      assertThat(missedWithoutToken).as("reads without the token that missed the order").isPositive();

      // A body larger than the response buffer commits the response while it is written: the token
      // must be on it all the same (set before the first byte, not after the handler returns).
      HttpResponse<String> large = send(http, ordersUrl + "/large");
      assertThat(large.statusCode()).isEqualTo(200);
      assertThat(large.body()).hasSize(LARGE);
      assertThat(large.headers().firstValue(ConsistencyToken.HEADER))
          .hasValueSatisfying(v -> assertThat(ConsistencyToken.decode(v).isEmpty()).isFalse());

      AtomicInteger stale = new AtomicInteger();
      AtomicInteger tokensBack = new AtomicInteger();
      AtomicInteger tokensCarried = new AtomicInteger();
      List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          long amount = 1000 + i;
          futures.add(pool.submit(() -> {
            HttpResponse<String> r = send(http, ordersUrl + "?amount=" + amount);
            if (r.statusCode() != 200) {
              problems.add(r.statusCode() + " " + r.body());
              return null;
            }
            String[] body = r.body().split("\\|", 2); // billing's amount | the token billing received
            if (!body[0].equals(Long.toString(amount))) {
              stale.incrementAndGet();
            }
            String back = r.headers().firstValue(ConsistencyToken.HEADER).orElse(null);
            if (back != null && !ConsistencyToken.decode(back).isEmpty()) {
              tokensBack.incrementAndGet();
            }
            if (back != null && back.equals(body[1])) {
              tokensCarried.incrementAndGet();
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(problems).isEmpty();
      assertThat(stale.get()).as("billing reads that missed the order orders had just written").isZero();
      assertThat(tokensBack.get()).as("orders' responses carrying the token").isEqualTo(REQUESTS);
      assertThat(tokensCarried.get()).as("billing requests carrying orders' token").isEqualTo(REQUESTS);

      // The starter bound billing's data source to the MeterRegistry Boot's actuator made.
      MeterRegistry meters = billing.getBean(MeterRegistry.class);
      assertThat(meters.find("catchup.reads").counters().stream().mapToDouble(Counter::count).sum())
          .as("billing's routed reads in its MeterRegistry").isGreaterThanOrEqualTo(REQUESTS);
      assertThat(meters.find("hikaricp.connections").tag("pool", "catchup-" + t.replicas().get(0).name())
          .gauge()).as("a replica pool's own meters").isNotNull();
    }
  }

  private static HttpResponse<String> send(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ConfigurableApplicationContext start(Class<?> app, Topology t,
      Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>(extra);
    p.put("server.address", "127.0.0.1");
    p.put("server.port", "0");
    p.put("spring.main.banner-mode", "off");
    p.put("spring.jmx.enabled", "false");
    p.put("catchup.flavor", t.flavor().name().toLowerCase(java.util.Locale.ROOT));
    p.put("catchup.primary.url", t.primary().jdbcUrl());
    List<Server> replicas = t.replicas();
    for (int i = 0; i < replicas.size(); i++) {
      p.put("catchup.replicas[" + i + "].name", replicas.get(i).name());
      p.put("catchup.replicas[" + i + "].url", replicas.get(i).jdbcUrl());
    }
    p.put("catchup.username", t.user());
    p.put("catchup.password", t.password());
    return new SpringApplicationBuilder(app).properties(p).run();
  }

  private static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  private static void createTable(Topology t) throws Exception {
    try (Connection c = t.connect(t.primary()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE
          + " (id VARCHAR(64) PRIMARY KEY, amount BIGINT NOT NULL)");
    }
    for (Server r : t.replicas()) {
      Duration before = t.delay(r);
      t.setDelay(r, Duration.ZERO);
      assertThat(t.awaitCaughtUp(r, Duration.ofSeconds(60))).as(r.name() + " caught up").isTrue();
      t.setDelay(r, before);
    }
  }

  /** The orders service: writes an order, then asks billing for it. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(OrdersController.class)
  static class OrdersApp {}

  @RestController
  static class OrdersController {
    private final JdbcTemplate jdbc;
    private final RestClient billing;
    private final RestClient plainBilling;

    OrdersController(JdbcTemplate jdbc, RestClient.Builder builder, @Value("${billing.url}") String url) {
      this.jdbc = jdbc;
      this.billing = builder.baseUrl(url).build();
      this.plainBilling = RestClient.create(url); // not Boot's builder: no token (the control)
    }

    @PostMapping("/orders")
    String place(@RequestParam("amount") long amount,
        @RequestParam(name = "via", defaultValue = "boot") String via) {
      String id = UUID.randomUUID().toString();
      jdbc.update("INSERT INTO " + TABLE + " (id, amount) VALUES (?, ?)", id, amount);
      RestClient client = via.equals("plain") ? plainBilling : billing;
      return client.get().uri("/invoices/{id}", id).retrieve().body(String.class);
    }

    /** Writes, then streams a body far larger than the response buffer. */
    @PostMapping("/orders/large")
    void placeLarge(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
      jdbc.update("INSERT INTO " + TABLE + " (id, amount) VALUES (?, ?)", UUID.randomUUID().toString(), 1);
      response.setContentType("text/plain");
      java.io.OutputStream out = response.getOutputStream();
      byte[] chunk = "x".repeat(1024).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < LARGE / chunk.length; i++) {
        out.write(chunk);
      }
      out.flush();
    }
  }

  /** The billing service: reads an order on a replica. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(BillingController.class)
  static class BillingApp {}

  @RestController
  static class BillingController {
    private final JdbcTemplate jdbc;

    BillingController(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    /** The order's amount (or "missing") and the token header this request carried. */
    @GetMapping("/invoices/{id}")
    @Transactional(readOnly = true)
    public String invoice(@PathVariable("id") String id,
        @RequestHeader(name = ConsistencyToken.HEADER, required = false) String token) {
      List<Long> amount = jdbc.queryForList("SELECT amount FROM " + TABLE + " WHERE id = ?",
          Long.class, id);
      return (amount.isEmpty() ? "missing" : amount.get(0).toString()) + "|" + token;
    }
  }
}
