package dev.catchup.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.testkit.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The request filter without servers: what it does with the incoming header, before any SQL. That
 * a request that wrote gets its token on the response is {@code TwoServicesIT}'s, against real
 * servers.
 */
class CatchupTokenFilterTest {
  private static CatchupDataSource ds;
  @RegisterExtension
  final LogCapture logged = LogCapture.of(CatchupTokenFilter.class, Level.DEBUG);

  @BeforeAll
  static void open() {
    ds = Fixtures.dataSource();
  }

  @AfterAll
  static void close() {
    ds.close();
  }

  @Test
  void filter_validHeader_bindsASessionThatObservedIt() throws Exception {
    List<ConsistencyToken> seen = new ArrayList<>();
    MockHttpServletResponse response = run(request(Fixtures.TOKEN),
        () -> seen.add(ds.currentSession().token()));
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(seen).containsExactly(ConsistencyToken.decode(Fixtures.TOKEN));
    // it read, it did not write: nothing to pass back
    assertThat(response.getHeader(ConsistencyToken.HEADER)).isNull();
  }

  @Test
  void filter_twoHeaderValues_observesBoth() throws Exception {
    String other = "mysql/4e11fa47-71ca-11e1-9e33-c80aa9429562:1-3";
    MockHttpServletRequest request = request(Fixtures.TOKEN);
    request.addHeader(ConsistencyToken.HEADER, other);
    List<ConsistencyToken> seen = new ArrayList<>();
    run(request, () -> seen.add(ds.currentSession().token()));
    assertThat(seen).containsExactly(
        ConsistencyToken.decode(Fixtures.TOKEN).merge(ConsistencyToken.decode(other)));
  }

  @Test
  void filter_noHeader_bindsAnEmptySessionPerRequest() throws Exception {
    List<ConsistencyToken> seen = new ArrayList<>();
    run(new MockHttpServletRequest("GET", "/x"), () -> seen.add(ds.currentSession().token()));
    assertThat(seen).containsExactly(ConsistencyToken.empty(ds.flavor()));
  }

  @Test
  void filter_sessionIsUnboundAfterTheRequest() throws Exception {
    ds.resetThreadSession();
    run(request(Fixtures.TOKEN), () -> {});
    assertThat(ds.currentSession().token().isEmpty()).isTrue();
  }

  @Test
  void filter_malformedHeader_400BeforeTheChainWithAReason() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MockHttpServletResponse response = run(request("mysql/not-a-uuid:1-5"), calls::incrementAndGet);
    assertThat(calls).hasValue(0);
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getContentAsString()).startsWith("invalid Catchup-Token header: ")
        .contains("invalid consistency token");
  }

  @Test
  void filter_otherFlavor_400() throws Exception {
    MockHttpServletResponse response = run(request("mariadb/0-1-5"), () -> {});
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getContentAsString()).contains("token is MARIADB but the data source is MYSQL");
  }

  @Test
  void filter_oversizedHeader_400AndNeverShownNorLoggedInFull() throws Exception {
    String huge = "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:" + "1-2:".repeat(2000) + "secretTail";
    AtomicInteger calls = new AtomicInteger();
    MockHttpServletResponse response = run(request(huge), calls::incrementAndGet);
    assertThat(calls).hasValue(0);
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getContentAsString()).contains("more than the limit of 4096")
        .doesNotContain("secretTail").hasSizeLessThan(300);
    assertThat(response.getContentAsString()).hasSizeLessThan(CatchupTokenFilter.REASON + 40);
    assertThat(logged.events()).hasSize(1);
    String line = logged.messages().get(0);
    assertThat(line).contains(huge.length() + " characters").doesNotContain("secretTail")
        .hasSizeLessThan(400);
  }

  @Test
  void filter_controlCharactersInHeader_notEchoed() throws Exception {
    MockHttpServletResponse response = run(request("junk\u001b[31m/x"), () -> {});
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getContentAsString()).doesNotContain("\u001b");
    assertThat(logged.messages().get(0)).doesNotContain("\u001b");
  }

  @Test
  void filter_badHeaderName_throwsNamingTheProperty() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CatchupTokenFilter(ds, "Catchup:Token"));
    assertThat(e).hasMessage("catchup.propagation.header-name must be an HTTP header name "
        + "(letters, digits and !#$%&'*+-.^_`|~), was 'Catchup:Token'");
  }

  @Test
  void shorten_longText_cutsAtTheLimit() {
    assertThat(CatchupTokenFilter.shorten("x".repeat(100), 64)).isEqualTo("x".repeat(64) + "...");
    assertThat(CatchupTokenFilter.shorten("short", 64)).isEqualTo("short");
  }

  private static MockHttpServletRequest request(String token) {
    MockHttpServletRequest r = new MockHttpServletRequest("GET", "/x");
    r.addHeader(ConsistencyToken.HEADER, token);
    return r;
  }

  private static MockHttpServletResponse run(MockHttpServletRequest request, Runnable handler)
      throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(jakarta.servlet.http.HttpServletRequest req,
          jakarta.servlet.http.HttpServletResponse res) {
        handler.run();
      }
    });
    new CatchupTokenFilter(ds, ConsistencyToken.HEADER).doFilter(request, response, chain);
    return response;
  }
}
