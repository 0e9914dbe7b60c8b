package dev.catchup.monitor;

import static dev.catchup.monitor.TrackingIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.gtid.Flavor;
import dev.catchup.monitor.http.HttpSettings;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real browser (headless Chromium) against a monitor of a real topology: the
 * rendered DOM names every replica with its confirmed GTID set, and the screenshot shows a lag
 * line in each replica's color inside the chart. The screenshot and the DOM stay in
 * {@code target/status-page/} for a person to look at.
 */
class StatusPageIT {
  /** The page's replica colors, in legend order (status-page.html, COLORS). */
  private static final int[] SERIES = {0x0072b2, 0xe69f00};
  /** Fill of the chart's plot area (status-page.html, --plot): found to locate the chart. */
  private static final int PLOT_BACKGROUND = 0xf8fafd;
  private static final Path OUT = Path.of("target", "status-page");
  private static final String TOKEN = "page-test-T0ken";

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private HeadlessChromium chromium;

  @BeforeEach
  void findChromium() throws IOException {
    // Before any server starts: a machine without chromium fails at once, naming the install.
    chromium = HeadlessChromium.onPath(OUT, Duration.ofSeconds(3));
  }

  @AfterEach
  void resetDelays() {
    Topologies.resetDelays();
  }

  @Test
  void statusPage_rendersEveryReplica_andALagLineInEachColor() throws Exception {
    Topology t = Topologies.shared(Flavor.MYSQL);
    Server lagging = t.replica(2);
    try (Monitor m = MonitorFixtures.start(t); Connection p = t.connect(t.primary());
         Statement s = p.createStatement()) {
      Registry r = m.registry();
      await("replicas up", () -> r.replicas().stream().allMatch(x -> r.state(x) == ServerState.UP));
      s.execute("CREATE TABLE IF NOT EXISTS mon_page (id INT PRIMARY KEY AUTO_INCREMENT)");

      // Two different lines: one replica held a second behind while rows keep coming, until the
      // history holds a few samples of it lagging next to the other replica's.
      t.setDelay(lagging, Duration.ofSeconds(1));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int rows = 0;
      while (!historyShowsLag(m, lagging.name(), 2)) {
        assertThat(System.nanoTime()).as("history shows %s lagging", lagging.name()).isLessThan(deadline);
        s.execute("INSERT INTO mon_page VALUES ()");
        rows++;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // pacing the writes, not waiting
      }
      // Then let it catch up, so the sets the page shows are the ones the registry holds now.
      await("replicas caught up", () -> r.replicas().stream()
          .allMatch(x -> x.confirmed().equals(r.primary().confirmed()) && r.state(x) == ServerState.UP));
      String url = "http://127.0.0.1:" + m.httpPort() + "/";

      String dom = chromium.dumpDom(url);
      Files.writeString(OUT.resolve("status-page.html"), dom);

      assertThat(dom).as("live indicator after the page's first poll").contains("class=\"live on\"");
      assertThat(dom).as("the topology in the header").contains("primary primary \u00b7 topology generation "
          + r.topology().generation());
      for (ServerStatus replica : r.replicas()) {
        String row = row(dom, replica.name());
        assertThat(row).as("row of " + replica.name()).contains(replica.name())
            .contains(replica.confirmed().toString()).contains("replica of primary");
      }

      Path png = OUT.resolve("status-page.png");
      chromium.screenshot(url, png);
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1280);
      assertThat(image.getHeight()).isEqualTo(900);
      assertThat(distinctColors(image)).as("colors in the screenshot (blank page?)").isGreaterThan(50);
      Rectangle plot = bounds(image, PLOT_BACKGROUND);
      assertThat(plot).as("the chart's plot area in " + png.toAbsolutePath()).isNotNull();
      assertThat(plot.width).as("plot width").isGreaterThan(600);
      assertThat(plot.height).as("plot height").isGreaterThan(150);
      List<ServerStatus> replicas = r.replicas();
      for (int i = 0; i < replicas.size(); i++) {
        int pixels = count(image, plot, SERIES[i]);
        assertThat(pixels).as("pixels of %s's color #%06x in the chart (%d rows written) in %s",
            replicas.get(i).name(), SERIES[i], rows, png.toAbsolutePath()).isGreaterThan(200);
      }
    }
  }

  @Test
  void statusPage_withToken_takesItFromTheFragment_andAsksWithoutIt() throws Exception {
    Topology t = Topologies.shared(Flavor.MYSQL);
    MonitorConfig open = MonitorFixtures.config(t, Duration.ofSeconds(2));
    HttpSettings h = open.http();
    MonitorConfig config = new MonitorConfig(open.flavor(), open.user(), open.password(),
        open.primary(), open.replicas(), open.staleAfter(), open.tracker(),
        new HttpSettings(h.bindAddress(), h.port(), TOKEN, h.defaultMaxLag(), h.maxWait()));
    try (Monitor m = Monitor.start(config)) {
      Registry r = m.registry();
      await("replicas up", () -> r.replicas().stream().allMatch(x -> r.state(x) == ServerState.UP));
      String url = "http://127.0.0.1:" + m.httpPort() + "/";

      String withToken = chromium.dumpDom(url + "#token=" + TOKEN);
      String without = chromium.dumpDom(url);

      assertThat(withToken).contains("class=\"live on\"").doesNotContain(TOKEN);
      for (ServerStatus replica : r.replicas()) {
        assertThat(withToken).contains("data-server=\"" + replica.name() + "\"");
      }
      assertThat(without).contains("<form id=\"auth\" class=\"card\">") // shown: no hidden attribute
          .contains("missing or invalid bearer token").doesNotContain("data-server=");
    }
  }

  /** True once the history holds {@code n} samples of {@code lagging} at least 0.3 s behind. */
  private boolean historyShowsLag(Monitor m, String lagging, int n) {
    JsonNode body = history(m);
    for (JsonNode replica : body.path("replicas")) {
      if (replica.path("name").asText().equals(lagging)) {
        int behind = 0;
        for (JsonNode sample : replica.path("samples")) {
          if (sample.path("state").asText().equals("UP") && sample.path("secondsBehind").asDouble() >= 0.3) {
            behind++;
          }
        }
        return behind >= n;
      }
    }
    return false;
  }

  private JsonNode history(Monitor m) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + m.httpPort() + "/history"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return json.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The serialised table row of {@code server}. */
  private static String row(String dom, String server) {
    int start = dom.indexOf("<tr data-server=\"" + server + "\"");
    assertThat(start).as("row of " + server + " in the rendered page").isNotNegative();
    return dom.substring(start, dom.indexOf("</tr>", start));
  }

  private static int distinctColors(BufferedImage image) {
    Set<Integer> colors = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colors.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    return colors.size();
  }

  /** The bounding box of the pixels of {@code rgb}, or null when there are none. */
  private static Rectangle bounds(BufferedImage image, int rgb) {
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (near(image.getRGB(x, y), rgb, 1)) {
          minX = Math.min(minX, x);
          minY = Math.min(minY, y);
          maxX = Math.max(maxX, x);
          maxY = Math.max(maxY, y);
        }
      }
    }
    return maxX < 0 ? null : new Rectangle(minX, minY, maxX - minX + 1, maxY - minY + 1);
  }

  /** Pixels inside {@code area} within a small distance of {@code rgb} (anti-aliased edges aside). */
  private static int count(BufferedImage image, Rectangle area, int rgb) {
    int n = 0;
    for (int y = area.y; y < area.y + area.height; y++) {
      for (int x = area.x; x < area.x + area.width; x++) {
        if (near(image.getRGB(x, y), rgb, 16)) {
          n++;
        }
      }
    }
    return n;
  }

  private static boolean near(int argb, int rgb, int tolerance) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((argb >> shift) & 0xff) - ((rgb >> shift) & 0xff)) > tolerance) {
        return false;
      }
    }
    return true;
  }
}
