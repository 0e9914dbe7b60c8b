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
 * the header (set by hand, which wins).
 */
public final class CatchupTokenInterceptor implements ClientHttpRequestInterceptor {
  private final CatchupDataSource dataSource;
  private final String headerName;

  /** An interceptor writing {@code headerName}. */
  public CatchupTokenInterceptor(CatchupDataSource dataSource, String headerName) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.headerName = HeaderNames.check(headerName);
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body,
      ClientHttpRequestExecution execution) throws IOException {
    put(dataSource, headerName, request.getHeaders());
    return execution.execute(request, body);
  }

  static void put(CatchupDataSource dataSource, String headerName, HttpHeaders headers) {
    if (headers.getFirst(headerName) != null) { // getFirst: the same in Spring 6.2 and 7
      return;
    }
    ConsistencyToken token = dataSource.currentSession().token();
    if (!token.isEmpty()) {
      headers.set(headerName, token.encode());
    }
  }
}
