package dev.catchup.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import io.opentelemetry.api.baggage.Baggage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;

/** The filter and the client interceptors with W3C baggage on, without servers. */
class BaggagePropagationTest {
  private static final String TWO_SOURCES = "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57,"
      + "4a2b6c00-1111-11e1-9e33-c80aa9429562:1-9";
  private static CatchupDataSource ds;
  private final CatchupBaggage baggage = new CatchupBaggage();

  @BeforeAll
  static void open() {
    ds = Fixtures.dataSource();
  }

  @AfterAll
  static void close() {
    ds.close();
  }

  @Test
  void interceptor_baggageOn_sendsTheHeaderAndTheBaggageEntry() throws Exception {
    MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET, URI.create("http://b/x"));
    request.getHeaders().set("baggage", "user=alice");
    List<String> currentDuringCall = new ArrayList<>();
    try (var scope = ds.bind(ds.newSession().observe(TWO_SOURCES))) {
      new CatchupTokenInterceptor(ds, ConsistencyToken.HEADER, baggage).intercept(request, new byte[0],
          (r, body) -> {
            currentDuringCall.add(Baggage.current().getEntryValue(CatchupBaggage.KEY));
            return new MockClientHttpResponse(new byte[0], HttpStatus.OK);
          });
    }
    assertThat(request.getHeaders().getFirst(ConsistencyToken.HEADER)).isEqualTo(TWO_SOURCES);
    String sent = request.getHeaders().getFirst("baggage");
    assertThat(sent).contains("user=alice").contains(CatchupBaggage.KEY + "=").doesNotContain("57,");
    assertThat(baggage.read(request.getHeaders()::get)).isEqualTo(TWO_SOURCES);
    assertThat(currentDuringCall).containsExactly(TWO_SOURCES);
  }

  @Test
  void interceptor_baggageOff_sendsNoBaggage() throws Exception {
    MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET, URI.create("http://b/x"));
    try (var scope = ds.bind(ds.newSession().observe(TWO_SOURCES))) {
      new CatchupTokenInterceptor(ds, ConsistencyToken.HEADER).intercept(request, new byte[0],
          (r, body) -> new MockClientHttpResponse(new byte[0], HttpStatus.OK));
    }
    assertThat(request.getHeaders().getFirst("baggage")).isNull();
  }

  @Test
  void exchangeFilter_baggageOn_sendsTheBaggageEntry() {
    ClientRequest[] sent = new ClientRequest[1];
    try (var scope = ds.bind(ds.newSession().observe(TWO_SOURCES))) {
      new CatchupExchangeFilter(ds, ConsistencyToken.HEADER, baggage)
          .filter(ClientRequest.create(HttpMethod.GET, URI.create("http://b/x")).build(), r -> {
            sent[0] = r;
            return Mono.just(ClientResponse.create(HttpStatus.OK).build());
          })
          .block();
    }
    assertThat(baggage.read(sent[0].headers()::get)).isEqualTo(TWO_SOURCES);
  }

  @Test
  void filter_onlyBaggage_bindsASessionThatObservedIt() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader("baggage", "user=alice," + CatchupBaggage.KEY + "=" + TWO_SOURCES.replace(",", "%2C"));
    List<ConsistencyToken> seen = new ArrayList<>();
    MockHttpServletResponse response = run(request, () -> seen.add(ds.currentSession().token()));
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(seen).containsExactly(ConsistencyToken.decode(TWO_SOURCES));
  }

  @Test
  void filter_headerAndBaggage_theHeaderWins() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader(ConsistencyToken.HEADER, Fixtures.TOKEN);
    request.addHeader("baggage", CatchupBaggage.KEY + "=" + TWO_SOURCES.replace(",", "%2C"));
    List<ConsistencyToken> seen = new ArrayList<>();
    run(request, () -> seen.add(ds.currentSession().token()));
    assertThat(seen).containsExactly(ConsistencyToken.decode(Fixtures.TOKEN));
  }

  @Test
  void filter_malformedBaggageEntry_rejectedWith400BeforeTheHandler() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader("baggage", CatchupBaggage.KEY + "=oracle/1-2-3");
    List<String> handled = new ArrayList<>();
    MockHttpServletResponse response = run(request, () -> handled.add("ran"));
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getContentAsString(StandardCharsets.UTF_8))
        .startsWith("invalid catchup.token baggage entry: consistency token must start with");
    assertThat(handled).isEmpty();
  }

  /**
   * An entry OpenTelemetry's propagator cannot decode (a bad or truncated percent-escape, a
   * character a value may not hold) makes it drop the whole header; the read must not run without
   * the token the upstream sent.
   */
  @ParameterizedTest
  @ValueSource(strings = {"%ZZ", "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57%2",
      "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57%2C4a2b6c00-1111-11e1-9e33-c80aa9429562:1-9%",
      "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57\"", "%e2%82%a", "%٣٣"})
  void filter_baggageEntryNotValidEncoding_rejectedWith400BeforeTheHandler(String entry)
      throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader("baggage", "user=alice, " + CatchupBaggage.KEY + " = " + entry + ";p=1");
    List<String> handled = new ArrayList<>();
    MockHttpServletResponse response = run(request, () -> handled.add("ran"));
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getContentAsString(StandardCharsets.UTF_8))
        .isEqualTo("invalid catchup.token baggage entry: not valid W3C baggage encoding\n");
    assertThat(handled).isEmpty();
  }

  @Test
  void filter_blankHeaderAndBaggage_readsTheBaggage() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader(ConsistencyToken.HEADER, " ");
    request.addHeader("baggage", CatchupBaggage.KEY + "=" + TWO_SOURCES.replace(",", "%2C"));
    List<ConsistencyToken> seen = new ArrayList<>();
    MockHttpServletResponse response = run(request, () -> seen.add(ds.currentSession().token()));
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(seen).containsExactly(ConsistencyToken.decode(TWO_SOURCES));
  }

  @Test
  void filter_blankAndValidHeader_theHeaderWins() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader(ConsistencyToken.HEADER, "");
    request.addHeader(ConsistencyToken.HEADER, Fixtures.TOKEN);
    request.addHeader("baggage", CatchupBaggage.KEY + "=" + TWO_SOURCES.replace(",", "%2C"));
    List<ConsistencyToken> seen = new ArrayList<>();
    run(request, () -> seen.add(ds.currentSession().token()));
    assertThat(seen).containsExactly(ConsistencyToken.decode(Fixtures.TOKEN));
  }

  @Test
  void filter_emptyBaggageEntry_countsAsNone() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader("baggage", "user=alice," + CatchupBaggage.KEY + "=");
    List<ConsistencyToken> seen = new ArrayList<>();
    MockHttpServletResponse response = run(request, () -> seen.add(ds.currentSession().token()));
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(seen).containsExactly(ConsistencyToken.empty(ds.flavor()));
  }

  private MockHttpServletResponse run(MockHttpServletRequest request, Runnable handler)
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
    new CatchupTokenFilter(ds, ConsistencyToken.HEADER, baggage).doFilter(request, response, chain);
    return response;
  }
}
