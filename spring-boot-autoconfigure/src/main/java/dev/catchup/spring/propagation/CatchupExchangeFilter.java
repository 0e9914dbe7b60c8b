package dev.catchup.spring.propagation;

import dev.catchup.sdk.CatchupDataSource;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Puts the current session's token on outgoing {@code WebClient} requests, as
 * {@link CatchupTokenInterceptor} does for {@code RestClient}. The session is the one bound to the
 * thread that runs the exchange, which is the calling thread when a servlet application calls
 * {@code block()} or {@code subscribe()} on it; a fully reactive application binds no sessions to
 * threads and sets the header itself.
 */
public final class CatchupExchangeFilter implements ExchangeFilterFunction {
  private final OutgoingToken outgoing;

  /** A filter writing {@code headerName}. */
  public CatchupExchangeFilter(CatchupDataSource dataSource, String headerName) {
    this(dataSource, headerName, null);
  }

  /**
   * A filter writing {@code headerName} and, with a {@link CatchupBaggage} (null for none), the
   * token in the request's W3C baggage too.
   */
  public CatchupExchangeFilter(CatchupDataSource dataSource, String headerName,
      CatchupBaggage baggage) {
    this.outgoing = new OutgoingToken(dataSource, headerName, baggage);
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return next.exchange(ClientRequest.from(request)
        .headers(outgoing::put)
        .build());
  }
}
