package dev.catchup.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.sdk.Session;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;

/** The client side and message headers: the current session's token goes out, and comes back in. */
class PropagationTest {
  private static CatchupDataSource ds;

  @BeforeAll
  static void open() {
    ds = Fixtures.dataSource();
  }

  @AfterAll
  static void close() {
    ds.close();
  }

  @Test
  void interceptor_boundSessionWithToken_putsItOnTheRequest() throws Exception {
    MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET, URI.create("http://b/x"));
    try (var scope = ds.bind(ds.newSession().observe(Fixtures.TOKEN))) {
      new CatchupTokenInterceptor(ds, "X-Token").intercept(request, new byte[0],
          (r, body) -> new MockClientHttpResponse(new byte[0], HttpStatus.OK));
    }
    assertThat(request.getHeaders().get("X-Token")).containsExactly(Fixtures.TOKEN);
  }

  @Test
  void interceptor_emptySession_addsNoHeader() throws Exception {
    MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET, URI.create("http://b/x"));
    try (var scope = ds.bind(ds.newSession())) {
      new CatchupTokenInterceptor(ds, ConsistencyToken.HEADER).intercept(request, new byte[0],
          (r, body) -> new MockClientHttpResponse(new byte[0], HttpStatus.OK));
    }
    assertThat(request.getHeaders().getFirst(ConsistencyToken.HEADER)).isNull();
  }

  @Test
  void interceptor_headerSetByHand_isKept() throws Exception {
    MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET, URI.create("http://b/x"));
    request.getHeaders().set(ConsistencyToken.HEADER, "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2");
    try (var scope = ds.bind(ds.newSession().observe(Fixtures.TOKEN))) {
      new CatchupTokenInterceptor(ds, ConsistencyToken.HEADER).intercept(request, new byte[0],
          (r, body) -> new MockClientHttpResponse(new byte[0], HttpStatus.OK));
    }
    assertThat(request.getHeaders().get(ConsistencyToken.HEADER))
        .containsExactly("mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2");
  }

  /** Both client interceptors check their settings the same way (one OutgoingToken). */
  @Test
  void clientInterceptors_badHeaderNameOrNoDataSource_throwNamingIt() {
    for (var make : java.util.List.<java.util.function.BiFunction<CatchupDataSource, String, Object>>of(
        CatchupTokenInterceptor::new, CatchupExchangeFilter::new)) {
      var bad = assertThrows(IllegalArgumentException.class, () -> make.apply(ds, "Catchup Token"));
      assertThat(bad).hasMessage("catchup.propagation.header-name must be an HTTP header name "
          + "(letters, digits and !#$%&'*+-.^_`|~), was 'Catchup Token'");
      var none = assertThrows(NullPointerException.class,
          () -> make.apply(null, ConsistencyToken.HEADER));
      assertThat(none).hasMessage("dataSource");
    }
  }

  @Test
  void exchangeFilter_boundSessionWithToken_putsItOnTheRequest() {
    ClientRequest[] sent = new ClientRequest[1];
    try (var scope = ds.bind(ds.newSession().observe(Fixtures.TOKEN))) {
      new CatchupExchangeFilter(ds, ConsistencyToken.HEADER)
          .filter(ClientRequest.create(HttpMethod.GET, URI.create("http://b/x")).build(), r -> {
            sent[0] = r;
            return Mono.just(ClientResponse.create(HttpStatus.OK).build());
          })
          .block();
    }
    assertThat(sent[0].headers().getFirst(ConsistencyToken.HEADER)).isEqualTo(Fixtures.TOKEN);
  }

  @Test
  void headers_writeThenRead_roundTripsAsTextAndAsBytes() {
    CatchupHeaders headers = new CatchupHeaders(ds, ConsistencyToken.HEADER);
    Map<String, Object> message = new HashMap<>();
    try (var scope = ds.bind(ds.newSession().observe(Fixtures.TOKEN))) {
      headers.write(message);
    }
    assertThat(message).containsEntry(ConsistencyToken.HEADER, Fixtures.TOKEN);
    assertThat(headers.read(message).token()).isEqualTo(ConsistencyToken.decode(Fixtures.TOKEN));

    Map<String, byte[]> kafka = new HashMap<>();
    try (var scope = ds.bind(ds.newSession().observe(Fixtures.TOKEN))) {
      headers.write((name, value) -> kafka.put(name, value.getBytes(StandardCharsets.UTF_8)));
    }
    try (var scope = headers.bind(kafka::get)) {
      assertThat(ds.currentSession().token()).isEqualTo(ConsistencyToken.decode(Fixtures.TOKEN));
    }
  }

  @Test
  void headers_emptySession_writesNothing() {
    Map<String, Object> message = new HashMap<>();
    try (var scope = ds.bind(ds.newSession())) {
      new CatchupHeaders(ds, ConsistencyToken.HEADER).write(message);
    }
    assertThat(message).isEmpty();
  }

  @Test
  void headers_absent_readsAnEmptySession() {
    Session s = new CatchupHeaders(ds, ConsistencyToken.HEADER).read(Map.of());
    assertThat(s.token().isEmpty()).isTrue();
  }

  @Test
  void headers_malformed_throwsBeforeAnySql() {
    CatchupHeaders headers = new CatchupHeaders(ds, ConsistencyToken.HEADER);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> headers.read(Map.of(ConsistencyToken.HEADER, "garbage")));
    assertThat(e).hasMessageStartingWith("consistency token must start with 'mysql/' or 'mariadb/'");
  }

  @Test
  void headers_neitherTextNorBytes_throwsNamingTheType() {
    CatchupHeaders headers = new CatchupHeaders(ds, ConsistencyToken.HEADER);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> headers.read(Map.of(ConsistencyToken.HEADER, 42)));
    assertThat(e).hasMessage("Catchup-Token header must be text or UTF-8 bytes, was a java.lang.Integer");
  }
}
