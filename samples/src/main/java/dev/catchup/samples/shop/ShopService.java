package dev.catchup.samples.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.catchup.samples.shop.Orders.Order;
import dev.catchup.samples.trace.ReadTrace;
import dev.catchup.sdk.ReplicaNotCaughtUpException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code orders} or {@code billing} service of the sample shop.
 *
 * <pre>
 * orders   POST /orders              {"customer":"ann","item":"book","quantity":2}
 *                                    writes the order, then asks billing for its invoice
 *                                    (passing the token in Catchup-Token)
 *          GET  /orders/{id}         reads the order (honours the caller's Catchup-Token)
 *          PUT  /orders/{id}/status  {"status":"PAID"}
 * billing  GET  /invoices/{orderId}  reads the order and prices it (honours Catchup-Token)
 * both     GET  /health
 * </pre>
 *
 * Every endpoint but {@code /health} is also served under {@code /naive/}: the same handler on a
 * plain read/write split, for comparison. Responses carry the caller's new token in
 * {@code Catchup-Token} and how the read was served in {@code Catchup-Read-*} headers.
 */
public final class ShopService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShopService.class);
  private static final int UNIT_PRICE_CENTS = 1250;
  private static final Set<String> STATUSES = Set.of("NEW", "PAID", "SHIPPED", "CANCELLED");

  private final ShopConfig config;
  private final Split naive;
  private final Split.Catchup catchup;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private ShopService(ShopConfig config) throws IOException {
    this.config = config;
    this.naive = new Split.Naive(config);
    this.catchup = new Split.Catchup(config);
    // Reads may wait for a replica: enough threads that waiting requests do not queue others.
    this.executor = Executors.newFixedThreadPool(64, r -> {
      Thread t = new Thread(r, config.service() + "-http");
      t.setDaemon(true);
      return t;
    });
    // Without TCP_NODELAY the JDK server's small replies meet the client's delayed ACK: ~40 ms
    // per request. Read once, when the first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 128);
    server.setExecutor(executor);
    server.createContext("/", ex -> handle(new Exchange(ex)));
  }

  /** Starts the service; the orders service first makes sure the schema exists. */
  public static ShopService start(ShopConfig config) throws IOException {
    ShopService s = new ShopService(config);
    try {
      if (config.service().equals("orders")) {
        s.createSchema();
      }
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    s.server.start();
    log.info("{} service listening on http://{}:{}", config.service(), config.bind(), s.port());
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void createSchema() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int attempt = 0;
    while (true) {
      try (Connection c = naive.begin(null, null).writer(); Statement s = c.createStatement()) {
        s.execute(Orders.SCHEMA);
        s.execute(Orders.TABLE);
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot create the shop schema on the primary "
              + config.primary() + ": " + e.getMessage());
        }
        if (attempt++ == 0) {
          log.info("waiting for the primary {} ({})", config.primary(), e.getMessage());
        }
        try {
          Thread.sleep(500); // retrying a server that is still starting; nothing to await
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the primary");
        }
      }
    }
  }

  private void handle(Exchange ex) throws IOException {
    String path = ex.path();
    if (path.equals("/health")) {
      ex.reply(200, Map.of("status", "UP", "service", config.service()));
      return;
    }
    boolean isNaive = path.startsWith("/naive/");
    String route = isNaive ? path.substring("/naive".length()) : path;
    ReadTrace trace = ReadTrace.begin();
    long start = System.nanoTime();
    try {
      Split.Request db = (isNaive ? naive : catchup).begin(ex.header(Exchange.TOKEN),
          ex.header(Exchange.POLICY));
      dispatch(ex, route, isNaive ? "/naive" : "", db, trace, start);
    } catch (IllegalArgumentException e) {
      ex.error(400, e.getMessage());
    } catch (ReplicaNotCaughtUpException e) {
      ex.error(503, e.getMessage());
    } catch (SQLException e) {
      log.warn("{} {}: database error: {}", ex.method(), path, e.getMessage());
      ex.error(503, "database error: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.error(503, "interrupted");
    } catch (RuntimeException e) {
      // Unexpected: say so in the log and to the caller (the JDK server would just drop the
      // connection and log nothing).
      log.warn("{} {}: unexpected error", ex.method(), path, e);
      ex.error(500, "internal error: " + e);
    } finally {
      ReadTrace.end();
    }
  }

  private void dispatch(Exchange ex, String route, String prefix, Split.Request db,
      ReadTrace trace, long start) throws IOException, SQLException, InterruptedException {
    String[] parts = route.split("/");
    String method = ex.method();
    Object body;
    int status;
    if (config.service().equals("orders") && parts.length == 2 && parts[1].equals("orders")
        && method.equals("POST")) {
      JsonNode in = ex.body();
      String customer = Exchange.text(in, "customer");
      String item = Exchange.text(in, "item");
      int quantity = Exchange.positive(in, "quantity", 1000);
      Order order;
      try (Connection c = db.writer()) {
        order = Orders.insert(c, customer, item, quantity, UNIT_PRICE_CENTS);
      }
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("order", order);
      reply.put("billing", askBilling(prefix, order.id(), db.token(),
          ex.header(Exchange.POLICY)));
      status = 201;
      body = reply;
    } else if (config.service().equals("orders") && parts.length == 3
        && parts[1].equals("orders") && method.equals("GET")) {
      long id = id(parts[2]);
      Optional<Order> order = read(db, id);
      status = order.isPresent() ? 200 : 404;
      body = order.isPresent() ? order.get() : notFound(id);
    } else if (config.service().equals("orders") && parts.length == 4
        && parts[1].equals("orders") && parts[3].equals("status") && method.equals("PUT")) {
      long id = id(parts[2]);
      String newStatus = Exchange.text(ex.body(), "status").toUpperCase(Locale.ROOT);
      if (!STATUSES.contains(newStatus)) {
        throw new IllegalArgumentException("status must be one of " + STATUSES);
      }
      boolean updated;
      try (Connection c = db.writer()) {
        updated = Orders.setStatus(c, id, newStatus);
      }
      status = updated ? 200 : 404;
      body = updated ? Map.of("id", id, "status", newStatus) : notFound(id);
    } else if (config.service().equals("billing") && parts.length == 3
        && parts[1].equals("invoices") && method.equals("GET")) {
      long id = id(parts[2]);
      Optional<Order> order = read(db, id);
      status = order.isPresent() ? 200 : 404;
      body = order.isPresent() ? invoice(order.get()) : notFound(id);
    } else {
      ex.error(404, "no such endpoint on the " + config.service() + " service: " + method + " "
          + ex.path());
      return;
    }
    ex.header(Exchange.TOKEN, db.token());
    trace.headers().forEach(ex::header);
    ex.header("Server-Timing", String.format(Locale.ROOT, "app;dur=%.2f",
        (System.nanoTime() - start) / 1e6));
    ex.reply(status, body);
  }

  private static Optional<Order> read(Split.Request db, long id) throws SQLException {
    try (Connection c = db.reader()) {
      return Orders.find(c, id);
    }
  }

  private static Map<String, String> notFound(long id) {
    return Map.of("error", "order " + id + " not found");
  }

  /** Asks billing for the order's invoice right after writing it: the token crosses services. */
  private Map<String, Object> askBilling(String prefix, long orderId, String token, String policy)
      throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(
        URI.create(config.billing() + prefix + "/invoices/" + orderId))
        .timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      req.header(Exchange.TOKEN, token);
    }
    if (policy != null) {
      req.header(Exchange.POLICY, policy); // the caller's choice holds for the whole request
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      out.put("status", resp.statusCode());
      out.put("reply", Exchange.JSON.readTree(resp.body()));
      Map<String, String> read = new LinkedHashMap<>();
      resp.headers().map().forEach((k, v) -> {
        if (k.toLowerCase(Locale.ROOT).startsWith("catchup-read-")) {
          read.put(k.substring("catchup-read-".length()).toLowerCase(Locale.ROOT), v.get(0));
        }
      });
      out.put("read", read);
    } catch (IOException e) {
      out.put("status", 502);
      out.put("reply", Map.of("error", "billing unreachable: " + e.getMessage()));
    }
    return out;
  }

  private static Map<String, Object> invoice(Order o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("orderId", o.id());
    m.put("customer", o.customer());
    m.put("item", o.item());
    m.put("quantity", o.quantity());
    m.put("amountCents", (long) o.quantity() * o.unitPriceCents());
    m.put("orderStatus", o.status());
    return m;
  }

  private static long id(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("order id must be a positive integer, was '" + text + "'");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    naive.close();
    catchup.close();
  }

  /** Runs a service configured by {@code CATCHUP_SAMPLE_*} variables until SIGTERM. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.err.println("""
          Usage: CATCHUP_SAMPLE_SERVICE=orders|billing ... java -cp catchup-samples.jar \
          dev.catchup.samples.shop.ShopService
          Variables (CATCHUP_SAMPLE_ prefix): SERVICE, PORT (8080), BIND (127.0.0.1), FLAVOR \
          (mysql|mariadb), PRIMARY (host:port), REPLICAS (name=host:port,...), DB_USER, \
          DB_PASSWORD, MONITOR (http://...), BILLING (http://..., orders only), READ_POLICY \
          (WAIT_THEN_FALLBACK), MAX_WAIT (5s)""");
      System.exit(args[0].equals("--help") ? 0 : 2);
    }
    ShopConfig config;
    try {
      config = ShopConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("shop service: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    log.info("starting: {}", config);
    ShopService service;
    try {
      service = start(config);
    } catch (IOException | RuntimeException e) {
      System.err.println("shop service: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
    Thread.currentThread().join();
  }
}
