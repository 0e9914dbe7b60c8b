package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.enc;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.gtid.MysqlGtidSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave on purpose (issue 10, items 12 and 19): slow and numerous connections,
 * malformed requests, text meant to confuse a reader, more waits than the server takes. Loopback
 * only; every loop is bounded in count and time.
 */
class HostileClientsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Liveness bound for one request while the API is under attack; not a performance figure. Well
   * under the 30 s header timeout of the slowloris test, before which held threads would not be
   * freed: a request that waits for one fails.
   */
  private static final Duration PROMPT = Duration.ofSeconds(10);

  private final List<Socket> sockets = new ArrayList<>();
  private ApiFixture f;

  @AfterEach
  void close() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (f != null) {
      f.close();
    }
  }

  private Socket connect(String from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", f.api.port()), 5_000);
    return s;
  }

  private void assertAnswersPromptly(String path, int status) {
    HttpResponse<String> r = f.send(f.request(path).timeout(PROMPT).GET().build());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
  }

  @Test
  void slowloris_300TricklingConnections_healthAndStatusKeepAnswering() throws Exception {
    // No per-client bound in the way: this is about threads, which trickling clients must not hold.
    f = new ApiFixture(ApiFixture.connectionBounds(Duration.ofSeconds(30), 2000, 2000),
        Limits.DEFAULTS, null);
    f.allUp();
    List<OutputStream> slow = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Socket s = connect("127.0.0.1");
      OutputStream out = s.getOutputStream();
      out.write("GET /status HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      slow.add(out);
    }
    for (int round = 0; round < 3; round++) {
      for (OutputStream out : slow) {
        out.write(("X-Slow-" + round + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      assertAnswersPromptly("/health", 200);
      assertAnswersPromptly("/status", 200);
      assertAnswersPromptly("/status/replica1", 200);
    }
    // The slow connections are still held open (the server did not get rid of them to cope).
    for (OutputStream out : slow) {
      out.write("X-Still: 1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  @Test
  void slowClient_headerNotCompleteWithinHeaderTimeout_isDisconnected() throws Exception {
    f = new ApiFixture(ApiFixture.connectionBounds(Duration.ofMillis(500), 100, 100), Limits.DEFAULTS,
        null);
    Socket s = connect("127.0.0.1");
    s.setSoTimeout(100);
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
    long start = System.nanoTime();
    boolean closed = false;
    // A header every 100 ms keeps the connection busy, so no idle timeout (5 s at least) applies.
    for (int i = 0; i < 100 && !closed; i++) {
      try {
        out.write(("X-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        closed = in.read() < 0;
      } catch (SocketTimeoutException e) {
        // nothing yet: trickle on
      } catch (IOException e) {
        closed = true; // reset
      }
    }
    assertThat(closed).as("connection closed while still trickling headers").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(f.get("/metrics").body()).contains("catchup_http_header_timeouts_total 1\n");
  }

  @Test
  void client_pastItsConnectionLimit_isRefused_othersAreServed() throws Exception {
    f = new ApiFixture(ApiFixture.connectionBounds(Duration.ofSeconds(30), 100, 4), Limits.DEFAULTS,
        null);
    f.allUp();
    for (int i = 0; i < 4; i++) {
      // One answered request each: the server has surely counted the connection (a connection the
      // kernel accepted may reach the server after the fifth), which then idles, holding its slot.
      servedOnce(connect("127.0.0.1"));
    }
    Socket fifth = connect("127.0.0.1");
    fifth.setSoTimeout(5_000);

    assertThat(closedByServer(fifth)).isTrue();
    // Another client address is not affected.
    Socket other = connect("127.0.0.2");
    other.setSoTimeout(5_000);
    other.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    String reply = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(reply).startsWith("HTTP/1.1 200 ");
    Socket scrape = connect("127.0.0.2");
    scrape.setSoTimeout(5_000);
    scrape.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(scrape.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("catchup_http_connections_refused_total 1\n");
  }

  /** Sends one keep-alive request on {@code s} and reads its whole reply, leaving it open. */
  private static void servedOnce(Socket s) throws IOException {
    s.setSoTimeout(5_000);
    s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("reply head: " + head).isNotNegative();
      head.append((char) b);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?i)content-length: *(\\d+)").matcher(head);
    assertThat(m.find()).as(head.toString()).isTrue();
    in.readNBytes(Integer.parseInt(m.group(1)));
  }

  private static boolean closedByServer(Socket s) {
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** A server-raised error: the documented JSON shape, whatever the status. */
  private static JsonNode jsonError(String[] reply, int status) throws IOException {
    assertThat(reply[0]).as(reply[1]).startsWith("HTTP/1.1 " + status + " ");
    assertThat(reply[2]).contains("content-type: application/json; charset=utf-8");
    JsonNode body = JSON.readTree(reply[1]);
    assertThat(body.path("error").asText()).isNotBlank();
    return body;
  }

  @Test
  void malformedRequests_getJsonErrors_notHtml() throws Exception {
    f = new ApiFixture();
    // A request target the URI syntax rejects (was: <h1>400 Bad Request</h1>URISyntaxException thrown).
    jsonError(f.rawGet("/has?gtid=%zz"), 400);
    jsonError(f.rawGet("/status/%"), 400);
    jsonError(f.raw("GET /status|x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII)), 400);
    // A request line that is not HTTP at all.
    jsonError(f.raw("this is not http\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), 400);
    // A header section too large.
    jsonError(f.raw(("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20)
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), 431);
    // An unsupported method, and one with a body.
    jsonError(f.raw("BREW /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII)), 405);
    jsonError(f.raw("POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
        .getBytes(StandardCharsets.US_ASCII)), 405);
  }

  @Test
  void echoedText_controlAndBidiCharacters_areEscaped() throws Exception {
    f = new ApiFixture();
    f.allUp();
    String rlo = "\u202e"; // RIGHT-TO-LEFT OVERRIDE: would make "evil\u202eetxt.exe" read as "evilexe.txt"
    for (String target : List.of("/status/evil" + enc(rlo) + "txt", "/nope" + enc(rlo) + "x",
        "/has?gtid=" + enc(rlo), "/status?" + enc("a" + rlo + "\u0007\u200f") + "=1")) {
      String[] reply = f.rawGet(target);
      String message = JSON.readTree(reply[1]).path("error").asText();

      assertThat(reply[1]).as(target).doesNotContain(rlo);
      assertThat(message).as(target).doesNotContain(rlo).doesNotContain("\u0007").doesNotContain("\u200f")
          .containsAnyOf("\\u202e", "\\u202E");
    }
  }

  @Test
  void waits_pastEveryQueue_get503WithRetryAfter_neverAReset() throws Exception {
    f = new ApiFixture(ApiFixture.connectionBounds(Duration.ofSeconds(30), 2000, 2000), Limits.DEFAULTS,
        null);
    f.allUp();
    String never = "/wait?timeout=1&gtid=" + enc(MysqlGtidSet.of(ApiFixture.SOURCE, "", 1, 1_000_000));
    List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      waits.add(f.getAsync(never));
    }
    int timedOut = 0;
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> w : waits) {
      HttpResponse<String> r = w.get(60, TimeUnit.SECONDS); // an IOException (a reset) fails here
      JsonNode body = f.body(r);
      if (r.statusCode() == 503) {
        refused++;
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        assertThat(body.path("error").asText()).isEqualTo("too many waiting requests (limit 8, monitor setting http.maxWaits)");
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
        timedOut++;
      }
    }
    assertThat(timedOut).isPositive();
    assertThat(refused).isPositive();
    assertThat(f.get("/has?gtid=" + enc(upTo(10))).statusCode()).isEqualTo(200);
  }
}
