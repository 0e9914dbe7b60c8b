package dev.catchup.spring.propagation;

import dev.catchup.sdk.CatchupDataSource;
import java.io.IOException;
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
  private final OutgoingToken outgoing;

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
    this.outgoing = new OutgoingToken(dataSource, headerName, baggage);
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body,
      ClientHttpRequestExecution execution) throws IOException {
    String token = outgoing.put(request.getHeaders());
    CatchupBaggage baggage = outgoing.baggage();
    if (token == null || baggage == null) {
      return execution.execute(request, body);
    }
    return baggage.callWith(token, () -> execution.execute(request, body));
  }
}
