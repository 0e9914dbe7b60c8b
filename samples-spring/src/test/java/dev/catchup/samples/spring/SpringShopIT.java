package dev.catchup.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.catchup.gtid.Flavor;
import dev.catchup.samples.driver.DemoDriver;
import dev.catchup.samples.driver.Strategy;
import dev.catchup.samples.driver.Tally;
import dev.catchup.samples.driver.Tally.Check;
import dev.catchup.samples.spring.billing.BillingApplication;
import dev.catchup.samples.spring.orders.OrdersApplication;
import dev.catchup.samples.trace.ReadTrace;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot sample as {@code scripts/demo.sh --spring} runs it, on a real topology whose
 * replica applies every write at least one second late: the Catchup monitor's jar with the demo's
 * config and user ({@link DemoMonitor}), orders and billing on Catchup following it (the starter
 * and properties only), and the same two applications on the naive split ({@code naive} profile),
 * each on a loopback port, all on the one replica the monitor watches. The plain sample's driver
 * then shows stale reads through the naive split and none through Catchup, and the token crosses
 * the wire both ways: back to the driver on orders' replies, and from orders to billing (seen by a
 * recording proxy between the two), where billing's read waited for the monitor's push.
 */
class SpringShopIT {
  private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
  private HttpServer proxy;
  private final ExecutorService proxyThreads = Executors.newCachedThreadPool();
  private DemoMonitor monitor;

  @AfterEach
  void stop() throws InterruptedException {
    // Each step runs even if one before it throws: a monitor child process or proxy left running
    // outlives the test, and the next test's delays must start from none.
    try {
      closeApps(apps.size() - 1);
    } finally {
      try {
        if (monitor != null) {
          monitor.close();
        }
      } finally {
        try {
          if (proxy != null) {
            proxy.stop(0);
            proxyThreads.shutdownNow();
          }
        } finally {
          Topologies.resetDelays();
        }
      }
    }
  }

  /** Closes the apps from {@code last} down (reverse start order), each even if another throws. */
  private void closeApps(int last) {
    if (last < 0) {
      return;
    }
    try {
      apps.get(last).close();
    } finally {
      closeApps(last - 1);
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void springShop_drivenByTheDemoDriver_naiveIsStale_catchupIsNot_tokenOnTheWireBothWays(
      Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    Server replica = t.replica(1);
    t.setDelayAtLeast(replica, Duration.ofSeconds(1));
    Path logs = Files.createDirectories(DemoMonitor.projectRoot()
        .resolve("samples-spring/target/spring-shop-it/" + Topology.cliName(flavor)));
    monitor = DemoMonitor.start(t, replica, logs);
    String following = "--catchup.monitors=" + monitor.url();
    ConfigurableApplicationContext billing = start(BillingApplication.builder(), t, following);
    Queue<String> tokensToBilling = new ConcurrentLinkedQueue<>();
    Queue<String> billingWaitedOn = new ConcurrentLinkedQueue<>();
    int proxyPort = recordingProxy(port(billing), tokensToBilling, billingWaitedOn);
    ConfigurableApplicationContext orders = start(OrdersApplication.builder(), t, following,
        "--shop.billing-url=http://127.0.0.1:" + proxyPort);
    ConfigurableApplicationContext naiveBilling =
        start(BillingApplication.builder().profiles("naive"), t);
    ConfigurableApplicationContext naiveOrders = start(OrdersApplication.builder().profiles("naive"),
        t, "--shop.billing-url=http://127.0.0.1:" + port(naiveBilling) + "/naive");
    awaitFollowing(billing);
    awaitFollowing(orders);

    URI ordersUrl = URI.create("http://127.0.0.1:" + port(orders));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<Tally> tallies = new DemoDriver(ordersUrl,
        URI.create("http://127.0.0.1:" + port(naiveOrders)), 4, 2)
        .run(List.of(Strategy.NAIVE, Strategy.CATCHUP),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    Tally naive = tallies.get(0);
    Tally catchup = tallies.get(1);

    // The naive split reads stale, across services too: the delay bites.
    assertThat(naive.stale(Check.OWN_ORDER)).as("naive own-order reads stale").isPositive();
    assertThat(naive.stale(Check.INVOICE)).as("naive billing reads stale").isPositive();
    assertThat(naive.failures()).as("naive failures").isZero();
    // Catchup with default settings: none stale, every check done, reads on the replica.
    assertThat(catchup.staleTotal()).as("Catchup stale reads").isZero();
    assertThat(catchup.checkedTotal()).isEqualTo(naive.checkedTotal());
    assertThat(catchup.failures()).as("Catchup failures").isZero();
    assertThat(catchup.replicaAfterWait()).as("reads that waited for the replica").isPositive();

    // On the wire: orders' reply to a write carries the token, and its request to billing
    // carried that same token (the starter's filter one way, its RestClient interceptor the other).
    // Billing's read of the new order waited, in the process, for the monitor's push.
    tokensToBilling.clear();
    billingWaitedOn.clear();
    HttpResponse<String> placed = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(ordersUrl.resolve("/orders"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"customer\":\"wire\",\"item\":\"pen\",\"quantity\":1}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String back = placed.headers().firstValue(ConsistencyToken.HEADER).orElseThrow();
    assertThat(ConsistencyToken.decode(back).isEmpty()).isFalse();
    assertThat(tokensToBilling).containsExactly(back);
    assertThat(billingWaitedOn).as("what billing's read waited on").containsExactly("monitor");
    assertThat(billing.getBean(CatchupDataSource.class).routingHealth().followingMonitor())
        .as("billing still follows the monitor").isTrue();
    assertThat(placed.body()).contains("\"orderStatus\":\"NEW\"");
  }

  private ConfigurableApplicationContext start(SpringApplicationBuilder app, Topology t,
      String... extra) {
    List<String> args = new ArrayList<>(List.of("--server.port=0",
        "--catchup.flavor=" + t.flavor().name().toLowerCase(Locale.ROOT),
        "--catchup.primary.url=" + t.primary().jdbcUrl(),
        "--catchup.username=" + t.user(), "--catchup.password=" + t.password()));
    // As the demo: the one replica the monitor watches, under the name the monitor gives it.
    args.add("--catchup.replicas[0].name=" + DemoMonitor.REPLICA);
    args.add("--catchup.replicas[0].url=" + t.replica(1).jdbcUrl());
    args.addAll(List.of(extra));
    ConfigurableApplicationContext context = app.run(args.toArray(String[]::new));
    apps.add(context);
    return context;
  }

  /** Waits (bounded) until the application's Catchup data source routes on the monitor. */
  private static void awaitFollowing(ConfigurableApplicationContext app) throws InterruptedException {
    CatchupDataSource ds = app.getBean(CatchupDataSource.class);
    assertThat(ds.routingHealth().monitorConfigured()).as("a monitor configured").isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!ds.routingHealth().followingMonitor()) {
      assertThat(System.nanoTime()).as("following the monitor within 30 s: %s",
          ds.routingHealth().reason()).isLessThan(deadline);
      Thread.sleep(20); // polling a condition the SDK offers no callback for
    }
  }

  private static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  /**
   * Forwards every request to billing, recording the token header it carried (or "none") and what
   * billing's read waited on (its {@code Catchup-Read-Waited-On} reply header, or "none").
   */
  private int recordingProxy(int billingPort, Queue<String> tokens, Queue<String> waitedOn)
      throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    proxy.setExecutor(proxyThreads);
    proxy.createContext("/", exchange -> {
      String token = exchange.getRequestHeaders().getFirst(ConsistencyToken.HEADER);
      tokens.add(token == null ? "none" : token);
      HttpRequest.Builder forward = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + billingPort + exchange.getRequestURI()))
          .timeout(Duration.ofSeconds(30)).GET();
      if (token != null) {
        forward.header(ConsistencyToken.HEADER, token);
      }
      try {
        HttpResponse<byte[]> r = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        waitedOn.add(r.headers().firstValue(ReadTrace.WAITED_ON).orElse("none"));
        r.headers().map().forEach((name, values) -> {
          if (name.toLowerCase(Locale.ROOT).startsWith("catchup-")
              || name.equalsIgnoreCase("content-type")) {
            exchange.getResponseHeaders().put(name, values);
          }
        });
        exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(r.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
      } finally {
        exchange.close();
      }
    });
    proxy.start();
    return proxy.getAddress().getPort();
  }
}
