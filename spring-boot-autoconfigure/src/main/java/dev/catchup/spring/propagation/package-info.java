/**
 * Carrying consistency tokens between services with no application code: the servlet filter that
 * reads a request's token into a session bound for the request and writes the session's token on
 * the response when the request wrote ({@link dev.catchup.spring.propagation.CatchupTokenFilter}),
 * the client interceptors that put the current session's token on outgoing requests
 * ({@link dev.catchup.spring.propagation.CatchupTokenInterceptor} for {@code RestClient} and
 * {@code RestTemplate}, {@link dev.catchup.spring.propagation.CatchupExchangeFilter} for
 * {@code WebClient}), and {@link dev.catchup.spring.propagation.CatchupHeaders} for message headers.
 * None of them depends on Spring Boot: they work in a plain Spring application too.
 */
package dev.catchup.spring.propagation;
