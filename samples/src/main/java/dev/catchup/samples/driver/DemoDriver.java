package dev.catchup.samples.driver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.samples.driver.ShopClient.Reply;
import dev.catchup.samples.driver.Tally.Check;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Drives the shop: {@code clients} concurrent clients each place {@code ordersPerClient} orders. Per
 * order: place it (orders then asks billing for the invoice, passing the token), read it back, pay
 * it, read it back again, and read an old order twice (reads that follow no write). Every read is
 * checked against what the client itself wrote. The same traffic runs once per strategy.
 */
public final class DemoDriver {
  private static final int SETTLED_READS = 8;

  private final URI orders;
  private final URI naive;
  private final int clients;
  private final int ordersPerClient;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  public DemoDriver(URI orders, int clients, int ordersPerClient) {
    this(orders, orders, clients, ordersPerClient);
  }

  /**
   * A driver whose naive strategy goes to its own deployment: {@code naive} serves the same paths
   * under {@code /naive} (the Spring sample runs the naive split as separate applications).
   */
  public DemoDriver(URI orders, URI naive, int clients, int ordersPerClient) {
    if (clients < 1 || clients > 256) {
      throw new IllegalArgumentException("clients must be from 1 to 256, was " + clients);
    }
    if (ordersPerClient < 1 || ordersPerClient > 10_000) {
      throw new IllegalArgumentException("orders per client must be from 1 to 10000, was "
          + ordersPerClient);
    }
    this.orders = orders;
    this.naive = naive;
    this.clients = clients;
    this.ordersPerClient = ordersPerClient;
  }

  /** Runs every strategy, one after the other, and returns their tallies in order. */
  public List<Tally> run(List<Strategy> strategies, PrintStream progress) throws Exception {
    long oldOrder = settledOrder();
    List<Tally> out = new ArrayList<>();
    for (Strategy s : strategies) {
      progress.printf("  %-28s %d clients x %d orders...%n", s.name() + ":", clients,
          ordersPerClient);
      out.add(run(s, oldOrder));
    }
    return out;
  }

  /**
   * An order every replica has applied, for the reads that follow no write: placed, read back
   * with its token under WAIT (so some replica has it), then read through the naive split until
   * a run of reads in a row (spread over the replicas by its rotation) all find it.
   */
  private long settledOrder() throws Exception {
    ShopClient c = new ShopClient(http, orders, new Strategy("settle", "", true, "WAIT"));
    Reply placed = c.post("/orders", Map.of("customer", "catalog", "item", "gift card",
        "quantity", 1));
    if (placed.status() != 201) {
      throw new IllegalStateException("the orders service refused the first order: HTTP "
          + placed.status() + " " + placed.body());
    }
    long id = placed.body().path("order").path("id").asLong();
    Reply read = c.get("/orders/" + id);
    if (read.status() != 200) {
      throw new IllegalStateException("could not read the first order back: HTTP "
          + read.status() + " " + read.body());
    }
    ShopClient naive = new ShopClient(http, base(Strategy.NAIVE), Strategy.NAIVE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int inARow = 0;
    while (inARow < SETTLED_READS) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("order " + id + " did not reach every replica in 60 s");
      }
      Reply r = naive.get("/orders/" + id);
      if (r.status() == 200) {
        inARow++;
      } else {
        inARow = 0;
        Thread.sleep(50); // polling the replicas, nothing to await
      }
    }
    return id;
  }

  private URI base(Strategy strategy) {
    return strategy.prefix().equals(Strategy.NAIVE.prefix()) ? naive : orders;
  }

  private Tally run(Strategy strategy, long oldOrder) throws Exception {
    Tally tally = new Tally(strategy.name());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        String customer = "client-" + i;
        done.add(pool.submit(() -> {
          ShopClient c = new ShopClient(http, base(strategy), strategy);
          for (int n = 0; n < ordersPerClient; n++) {
            try {
              oneOrder(c, customer, n, oldOrder, tally);
            } catch (IOException e) {
              tally.failed(e.toString());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return tally;
  }

  private static void oneOrder(ShopClient c, String customer, int n, long oldOrder, Tally tally)
      throws IOException, InterruptedException {
    int quantity = n + 1;
    Reply placed = c.post("/orders", Map.of("customer", customer, "item", "book", "quantity",
        quantity));
    if (placed.status() != 201) {
      tally.failed("place order: HTTP " + placed.status() + " " + placed.body());
      return;
    }
    tally.write(placed.millis());
    long id = placed.body().path("order").path("id").asLong();

    JsonNode billing = placed.body().path("billing");
    int billingStatus = billing.path("status").asInt();
    if (billingStatus == 200 || billingStatus == 404) {
      tally.checked(Check.INVOICE, billingStatus == 404
          || billing.path("reply").path("orderId").asLong() != id);
      JsonNode read = billing.path("read");
      tally.routed(read.path("target").asText(null), read.path("waited-ms").asDouble(0));
    } else {
      tally.failed("billing: HTTP " + billingStatus + " " + billing.path("reply"));
    }

    Reply own = c.get("/orders/" + id);
    if (check(own, tally, Check.OWN_ORDER, body -> body.path("quantity").asInt() == quantity)) {
      tally.readAfterWrite(own.millis());
    }

    Reply paid = c.put("/orders/" + id + "/status", Map.of("status", "PAID"));
    if (paid.status() != 200) {
      tally.failed("pay: HTTP " + paid.status() + " " + paid.body());
      return;
    }
    tally.write(paid.millis());
    Reply status = c.get("/orders/" + id);
    if (check(status, tally, Check.STATUS, body -> "PAID".equals(body.path("status").asText()))) {
      tally.readAfterWrite(status.millis());
    }

    // Reads that follow no write of this client: a fresh client, no token.
    ShopClient stranger = new ShopClient(c.http(), c.base(), c.strategy().withoutToken());
    for (int k = 0; k < 2; k++) {
      Reply old = stranger.get("/orders/" + oldOrder);
      if (old.status() == 200) {
        tally.otherRead(old.millis());
        tally.routed(old.readTarget(), old.waitedMillis());
      } else {
        tally.failed("old order: HTTP " + old.status() + " " + old.body());
      }
    }
  }

  /** Counts a checked read; true if it was served (fresh or stale), false if it failed. */
  private static boolean check(Reply r, Tally tally, Check check,
      java.util.function.Predicate<JsonNode> fresh) {
    if (r.status() == 200 || r.status() == 404) {
      tally.checked(check, r.status() == 404 || !fresh.test(r.body()));
      tally.routed(r.readTarget(), r.waitedMillis());
      return true;
    }
    tally.failed(check.name().toLowerCase(Locale.ROOT) + ": HTTP " + r.status() + " " + r.body());
    return false;
  }
  /**
   * The command line: {@code --orders URL [--naive URL] [--strategies LIST] [--clients N]
   * [--orders-per-client M]}.
   *
   * @param naive where the naive strategy's requests go (under {@code /naive}); the orders URL
   *     unless the naive split runs as its own deployment
   * @param strategies the strategies to run, naive first
   */
  public record Options(URI orders, URI naive, List<Strategy> strategies, int clients,
      int ordersPerClient) {
    static final String USAGE = "usage: DemoDriver --orders URL [--naive URL] "
        + "[--strategies naive,catchup,catchup-primary] [--clients N] [--orders-per-client M]";
    private static final Map<String, Strategy> STRATEGIES = Map.of("naive", Strategy.NAIVE,
        "catchup", Strategy.CATCHUP, "catchup-primary", Strategy.CATCHUP_PRIMARY);

    /** Parses and validates; the message says what is wrong. */
    public static Options parse(String... args) {
      URI orders = null;
      URI naive = null;
      List<Strategy> strategies = List.of(Strategy.NAIVE, Strategy.CATCHUP,
          Strategy.CATCHUP_PRIMARY);
      int clients = 8;
      int perClient = 3;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        String value = args[i + 1];
        try {
          switch (args[i]) {
            case "--orders" -> orders = URI.create(value.replaceAll("/+$", ""));
            case "--naive" -> naive = URI.create(value.replaceAll("/+$", ""));
            case "--strategies" -> strategies = strategies(value);
            case "--clients" -> clients = Integer.parseInt(value);
            case "--orders-per-client" -> perClient = Integer.parseInt(value);
            default -> throw new IllegalArgumentException("unknown option " + args[i]);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(args[i] + " must be a whole number, was " + value);
        }
      }
      if (orders == null || !"http".equals(orders.getScheme()) || orders.getHost() == null) {
        throw new IllegalArgumentException("--orders must be the orders service's http:// URL");
      }
      if (naive != null && (!"http".equals(naive.getScheme()) || naive.getHost() == null)) {
        throw new IllegalArgumentException("--naive must be the naive orders service's http:// "
            + "URL, was " + naive);
      }
      return new Options(orders, naive == null ? orders : naive, strategies, clients, perClient);
    }

    /** The comparison needs the naive run as its baseline, so it must come first. */
    private static List<Strategy> strategies(String value) {
      List<Strategy> out = new ArrayList<>();
      for (String name : value.split(",")) {
        Strategy s = STRATEGIES.get(name.strip());
        if (s == null) {
          throw new IllegalArgumentException("--strategies takes naive, catchup and "
              + "catchup-primary, comma-separated, was '" + value + "'");
        }
        if (out.contains(s)) {
          throw new IllegalArgumentException("--strategies names " + name.strip() + " twice");
        }
        out.add(s);
      }
      if (out.size() < 2 || out.get(0) != Strategy.NAIVE) {
        throw new IllegalArgumentException("--strategies must start with naive (the baseline) "
            + "and name a Catchup strategy, was '" + value + "'");
      }
      return List.copyOf(out);
    }
  }

  /**
   * Runs naive splitting and Catchup (waiting, then falling back to the primary) and prints the
   * comparison. Exits 1 if a Catchup run served a stale read, failed a request or checked fewer
   * reads than the naive run (the comparison would not hold), 2 on bad arguments.
   */
  public static void main(String[] args) throws Exception {
    DemoDriver driver;
    List<Strategy> strategies;
    try {
      Options o = Options.parse(args);
      driver = new DemoDriver(o.orders(), o.naive(), o.clients(), o.ordersPerClient());
      strategies = o.strategies();
    } catch (IllegalArgumentException e) {
      System.err.println("demo driver: " + e.getMessage() + "\n" + Options.USAGE);
      System.exit(2);
      return;
    }
    System.out.println("Running the same traffic through each strategy:");
    List<Tally> tallies;
    try {
      tallies = driver.run(strategies, System.out);
    } catch (IllegalStateException | java.io.IOException e) {
      System.err.println("demo driver: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println();
    ResultTable.print(tallies, System.out);
    System.out.println();
    System.out.println(summary(tallies));
    String problem = catchupProblem(tallies);
    if (problem != null) {
      System.err.println("demo driver: " + problem);
    }
    System.exit(problem == null ? 0 : 1);
  }

  /** What went wrong with the Catchup runs, or null when they showed what they should. */
  static String catchupProblem(List<Tally> tallies) {
    int expected = tallies.get(0).checkedTotal();
    for (Tally t : tallies.subList(1, tallies.size())) {
      if (t.staleTotal() > 0) {
        return t.name() + " served " + t.staleTotal() + " stale read(s)";
      }
      if (t.failures() > 0) {
        return t.name() + " had " + t.failures() + " failed request(s)";
      }
      if (t.checkedTotal() < expected) {
        return t.name() + " checked " + t.checkedTotal() + " reads, the naive run " + expected;
      }
    }
    return null;
  }

  /** Two sentences a person takes away. */
  static String summary(List<Tally> tallies) {
    Tally naive = tallies.get(0);
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "Naive splitting served %d of %d checked reads stale: orders \"not found\" and unpaid "
        + "statuses right after the write.", naive.staleTotal(), naive.checkedTotal()));
    for (Tally t : tallies.subList(1, tallies.size())) {
      int reads = t.replicaAtOnce() + t.replicaAfterWait() + t.primary();
      b.append(String.format(Locale.ROOT, "%n%s: %d stale of %d; %d%% of reads on a replica.",
          t.name(), t.staleTotal(), t.checkedTotal(),
          reads == 0 ? 0 : Math.round(100.0 * (t.replicaAtOnce() + t.replicaAfterWait()) / reads)));
    }
    return b.toString();
  }
}
