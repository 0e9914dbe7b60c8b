package dev.catchup.spring.propagation;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.sdk.Session;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The token in message headers (Kafka record headers, JMS properties, AMQP headers, Spring
 * {@code MessageHeaders}), so that a consumer reads what the producer wrote:
 *
 * <pre>{@code
 * // producer, after writing: Kafka headers take bytes
 * headers.write((name, value) -> record.headers().add(name, value.getBytes(UTF_8)));
 *
 * // consumer: the message's token, bound while the message is handled
 * try (var scope = headers.bind(name -> lastHeader(record, name))) {
 *   ...  // reads see the producer's writes
 * }
 * }</pre>
 *
 * A header value may be a {@code String} or UTF-8 bytes. A malformed, oversized or other-flavor
 * token is refused with an {@link IllegalArgumentException} before any SQL runs (reject or dead-letter
 * the message).
 */
public final class CatchupHeaders {
  private final CatchupDataSource dataSource;
  private final String headerName;

  /** Headers named {@code headerName} (the starter's: {@code catchup.propagation.header-name}). */
  public CatchupHeaders(CatchupDataSource dataSource, String headerName) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.headerName = HeaderNames.check(headerName);
  }

  /** The header's name. */
  public String headerName() {
    return headerName;
  }

  /**
   * Puts the current session's token ({@link CatchupDataSource#currentSession()}) through
   * {@code header(name, value)}, unless the session requires nothing.
   */
  public void write(BiConsumer<String, String> header) {
    ConsistencyToken token = dataSource.currentSession().token();
    if (!token.isEmpty()) {
      header.accept(headerName, token.encode());
    }
  }

  /** Puts the current session's token into {@code headers} (see {@link #write(BiConsumer)}). */
  public void write(Map<String, ? super String> headers) {
    write(headers::put);
  }

  /**
   * A new session that observed the token {@code header} returns for the header's name (a
   * {@code String}, UTF-8 {@code byte[]} or null for none).
   *
   * @throws IllegalArgumentException if the token is malformed, oversized or of the other flavor
   */
  public Session read(Function<String, ?> header) {
    Object value = header.apply(headerName);
    String text;
    if (value == null) {
      text = null;
    } else if (value instanceof byte[] bytes) {
      text = new String(bytes, StandardCharsets.UTF_8);
    } else if (value instanceof CharSequence chars) {
      text = chars.toString();
    } else {
      throw new IllegalArgumentException(headerName + " header must be text or UTF-8 bytes, was a "
          + value.getClass().getName());
    }
    return dataSource.newSession().observe(text);
  }

  /** A new session that observed the token in {@code headers} (see {@link #read(Function)}). */
  public Session read(Map<String, ?> headers) {
    return read(headers::get);
  }

  /** Binds {@link #read(Function)}'s session to this thread until the scope closes. */
  public CatchupDataSource.Scope bind(Function<String, ?> header) {
    return dataSource.bind(read(header));
  }

  /** Binds {@link #read(Map)}'s session to this thread until the scope closes. */
  public CatchupDataSource.Scope bind(Map<String, ?> headers) {
    return dataSource.bind(read(headers));
  }
}
