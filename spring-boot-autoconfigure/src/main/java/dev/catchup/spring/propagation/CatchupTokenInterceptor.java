package dev.catchup.spring.propagation;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import java.io.IOException;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Puts the current session's token ({@link CatchupDataSource#currentSession()}: the one the
 * request filter bound, else the thread's own) on outgoing {@code RestClient} and
 * {@code RestTemplate} requests, unless the session requires nothing or the request already carries
 * the header (set by hand, which wins). With a {@link CatchupBaggage} the token also goes in the
 * request's W3C baggage (entry {@value CatchupBaggage#KEY}), added to the entries already there.
 */
public final class CatchupTokenInterceptor implements ClientHttpRequestInterceptor {
  private final CatchupDataSource dataSource;
  private final String headerName;
  private final CatchupBaggage baggage;

  /** An interceptor writing {@code headerName}. */
  public CatchupTokenInterceptor(CatchupDataSource dataSource, String headerName) {
    this(dataSource, headerName, null);
  }

  /**
   * An interceptor writing {@code headerName} and, with a {@link CatchupBaggage} (null for none),
   * the token in the request's W3C baggage too.
   */
  public CatchupTokenInterceptor(CatchupDataSource dataSource, String headerName,
      CatchupBaggage baggage) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.headerName = HeaderNames.check(headerName);
    this.baggage = baggage;
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body,
      ClientHttpRequestExecution execution) throws IOException {
    String token = put(dataSource, headerName, baggage, request.getHeaders());
    if (token == null || baggage == null) {
      return execution.execute(request, body);
    }
    return baggage.callWith(token, () -> execution.execute(request, body));
  }

  /**
   * Sets the header (and the baggage entry) unless the request has the header already or the
   * session requires nothing; returns the token set, or null.
   */
  static String put(CatchupDataSource dataSource, String headerName, CatchupBaggage baggage,
      HttpHeaders headers) {
    if (headers.getFirst(headerName) != null) { // getFirst: the same in Spring 6.2 and 7
      return null;
    }
    ConsistencyToken token = dataSource.currentSession().token();
    if (token.isEmpty()) {
      return null;
    }
    String text = token.encode();
    headers.set(headerName, text);
    if (baggage != null) {
      // getValuesAsList(String) and set(String, String): the same descriptors in Spring 6.2 and 7
      // (get differs: get(Object) in 6.2, get(String) in 7), so one jar serves Boot 3.5 and 4.0.
      baggage.write(text, headers::getValuesAsList, headers::set);
    }
    return text;
  }
}
