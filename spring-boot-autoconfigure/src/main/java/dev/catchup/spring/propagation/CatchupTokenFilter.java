package dev.catchup.spring.propagation;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.Session;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request its own Catchup session: the tokens in the request's header (any number of
 * values; they merge) are observed, the session is bound to the thread while the request is
 * handled, and when the request wrote, the session's token (its writes and what it observed) is
 * set on the response before the response commits.
 *
 * <p>A header that is malformed, too long, of the other flavor, or would make the session's token
 * too long gets a 400 before any SQL runs, with the SDK's reason in plain text (at most
 * {@value #REASON} characters); the log gets one line at DEBUG with the header's length and at most
 * its first {@value #SHOWN} characters, never the whole value.
 *
 * <p>With a {@link CatchupBaggage}, a request without the header (or with only blank values of
 * it) takes the token from its W3C baggage (entry {@value CatchupBaggage#KEY}), rejected the same
 * way when malformed, and also when the entry is not valid W3C baggage encoding (OpenTelemetry's
 * propagator would drop it, and the read would run without the upstream's token).
 *
 * <p>The binding is per thread: work the request hands to another thread (async servlet
 * processing, an executor) does not see the session unless it binds it itself
 * ({@code ds.bind(session)}).
 */
public final class CatchupTokenFilter extends OncePerRequestFilter {
  /** How much of a rejected header a log line shows. */
  static final int SHOWN = 64;
  /** How much of the reason a response or log line shows (the SDK's reasons quote little input). */
  static final int REASON = 200;

  private static final Logger log = LoggerFactory.getLogger(CatchupTokenFilter.class);

  private final CatchupDataSource dataSource;
  private final String headerName;
  private final CatchupBaggage baggage;

  /** A filter reading and writing {@code headerName}. */
  public CatchupTokenFilter(CatchupDataSource dataSource, String headerName) {
    this(dataSource, headerName, null);
  }

  /**
   * A filter reading and writing {@code headerName} that, for a request without that header, takes
   * the token from the request's W3C baggage ({@link CatchupBaggage}; null for none).
   */
  public CatchupTokenFilter(CatchupDataSource dataSource, String headerName, CatchupBaggage baggage) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.headerName = HeaderNames.check(headerName);
    this.baggage = baggage;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    Session session = dataSource.newSession();
    boolean headed = false;
    Enumeration<String> values = request.getHeaders(headerName);
    while (values != null && values.hasMoreElements()) {
      String value = values.nextElement();
      if (value == null || value.isBlank()) {
        // An empty header carries no token (a proxy or client that always sets it): it does not
        // stand for one, so the baggage below is still read.
        continue;
      }
      headed = true;
      try {
        session.observe(value);
      } catch (IllegalArgumentException e) {
        reject(response, headerName + " header", value, e);
        return;
      }
    }
    // The header wins: baggage may have travelled further (forwarded by intermediate services).
    if (!headed && baggage != null) {
      Function<String, List<String>> headers = name -> list(request.getHeaders(name));
      String value;
      try {
        value = baggage.read(headers);
      } catch (IllegalArgumentException e) {
        reject(response, CatchupBaggage.KEY + " baggage entry",
            String.join(",", CatchupBaggage.rawEntries(headers)), e);
        return;
      }
      try {
        session.observe(value);
      } catch (IllegalArgumentException e) {
        reject(response, CatchupBaggage.KEY + " baggage entry", value, e);
        return;
      }
    }
    TokenOnCommitResponse wrapped = new TokenOnCommitResponse(response, headerName, session);
    try (CatchupDataSource.Scope scope = dataSource.bind(session)) {
      chain.doFilter(request, wrapped);
    } finally {
      // Writes after the body began are covered only while the response is not committed yet.
      wrapped.setTokenIfWritten();
    }
  }

  private static void reject(HttpServletResponse response, String what, String value,
      IllegalArgumentException e) throws IOException {
    String reason = shorten(e.getMessage(), REASON);
    log.debug("rejected a {} of {} characters starting '{}': {}", what, value.length(),
        shorten(value, SHOWN), reason);
    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
    response.setContentType("text/plain");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write("invalid " + what + ": " + reason + "\n");
  }

  private static List<String> list(Enumeration<String> values) {
    return values == null ? null : Collections.list(values);
  }

  /** At most {@code limit} characters of {@code text}, control characters replaced. */
  static String shorten(String text, int limit) {
    String s = String.valueOf(text);
    StringBuilder out = new StringBuilder(Math.min(s.length(), limit + 3));
    for (int i = 0; i < s.length() && i < limit; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > limit ? out.append("...").toString() : out.toString();
  }
}
