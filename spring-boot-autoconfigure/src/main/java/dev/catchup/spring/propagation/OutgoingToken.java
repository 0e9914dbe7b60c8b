package dev.catchup.spring.propagation;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import java.util.Objects;
import org.springframework.http.HttpHeaders;

/**
 * What the client interceptors ({@link CatchupTokenInterceptor} for {@code RestClient} and
 * {@code RestTemplate}, {@link CatchupExchangeFilter} for {@code WebClient}) share: the checked
 * settings, and putting the current session's token ({@link CatchupDataSource#currentSession()}) on
 * an outgoing request's headers. They differ only in how a request reaches them.
 */
final class OutgoingToken {
  private final CatchupDataSource dataSource;
  private final String headerName;
  private final CatchupBaggage baggage;

  /**
   * Writes {@code headerName} and, with a {@link CatchupBaggage} (null for none), the token in the
   * request's W3C baggage too.
   *
   * @throws IllegalArgumentException when {@code headerName} is not an HTTP header name
   */
  OutgoingToken(CatchupDataSource dataSource, String headerName, CatchupBaggage baggage) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.headerName = HeaderNames.check(headerName);
    this.baggage = baggage;
  }

  /** The baggage the token also goes in, or null. */
  CatchupBaggage baggage() {
    return baggage;
  }

  /**
   * Sets the header (and the baggage entry) unless the request has the header already or the
   * session requires nothing; returns the token set, or null.
   */
  String put(HttpHeaders headers) {
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
