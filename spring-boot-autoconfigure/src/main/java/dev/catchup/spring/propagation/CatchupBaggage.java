package dev.catchup.spring.propagation;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The token as a W3C baggage entry ({@value #KEY}), beside its own header, for services between
 * which only OpenTelemetry's context travels (a proxy or an intermediate service that forwards
 * baggage but not unknown headers). Needs {@code io.opentelemetry:opentelemetry-api}; the filter
 * and interceptors use it only when given one (the starter: {@code
 * catchup.propagation.baggage.enabled=true}).
 *
 * <p>A token holds characters a baggage value must percent-encode (the {@code ','} between sources;
 * {@code ':'}, {@code '-'} and {@code '/'} may stay, and are escaped by some writers): encoding and
 * decoding are OpenTelemetry's own {@link W3CBaggagePropagator}'s, so the header reads the same to
 * every other OpenTelemetry service, and the entries other parties put in it are kept.
 *
 * <p>No OpenTelemetry type appears in this class's signatures: the filter and interceptors that
 * hold one load without OpenTelemetry on the class path when baggage is off.
 */
public final class CatchupBaggage {
  /** The baggage key of the token. */
  public static final String KEY = "catchup.token";
  /** The W3C header. */
  static final String HEADER = "baggage";
  /** Why a {@value #KEY} member that is not W3C baggage is refused. */
  static final String NOT_BAGGAGE = "not valid W3C baggage encoding";

  private static final W3CBaggagePropagator W3C = W3CBaggagePropagator.getInstance();
  private static final TextMapGetter<Function<String, ? extends Iterable<String>>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, ? extends Iterable<String>> carrier) {
          return List.of(HEADER);
        }

        @Override
        public String get(Function<String, ? extends Iterable<String>> carrier, String key) {
          // Several baggage headers are one list (W3C baggage, "multiple headers"): join them.
          Iterable<String> values = key == null ? null : carrier.apply(key.toLowerCase(Locale.ROOT));
          if (values == null) {
            return null;
          }
          List<String> all = new ArrayList<>();
          values.forEach(all::add);
          return all.isEmpty() ? null : String.join(",", all);
        }
      };

  /** Baggage through OpenTelemetry's W3C propagator. */
  public CatchupBaggage() {}

  /**
   * The token in the baggage header(s) that {@code headers} returns for a name (every value, or
   * null for none), decoded; else the one in the current OpenTelemetry context's baggage (where an
   * instrumentation put what it received); null when neither carries one. A {@value #KEY} member
   * with an empty value counts as none.
   *
   * @throws IllegalArgumentException when a {@value #KEY} member of the header is not valid W3C
   *     baggage (a broken percent-escape such as {@code %ZZ} or a truncated {@code %2}, a character
   *     a value may not hold), or the header around it does not parse: the propagator would drop
   *     the entry or shorten it, and a read without the whole upstream token could be stale
   */
  public String read(Function<String, ? extends Iterable<String>> headers) {
    // OpenTelemetry's propagator forgives too much to be trusted with a token: it discards a header
    // it cannot parse without a word, and (some versions) drops a truncated escape ("1-57%2" reads
    // "1-57", a token missing a source). So the raw members are checked first: a token sent but
    // not readable exactly is refused, never ignored or shortened.
    List<String> raw = rawEntries(headers);
    for (String entry : raw) {
      if (!validValue(entry)) {
        throw new IllegalArgumentException(NOT_BAGGAGE);
      }
    }
    String value = Baggage.fromContext(W3C.extract(Context.root(), headers, GETTER)).getEntryValue(KEY);
    if (value != null) {
      return value;
    }
    if (raw.stream().anyMatch(entry -> !entry.isEmpty())) {
      throw new IllegalArgumentException(NOT_BAGGAGE); // the header as a whole did not parse
    }
    return Baggage.current().getEntryValue(KEY);
  }

  /**
   * The raw (still encoded, trimmed) values of the {@value #KEY} members of the baggage header(s),
   * their properties left off, in order; "" for a member without a value. For the check above and
   * the log of a rejected entry.
   */
  static List<String> rawEntries(Function<String, ? extends Iterable<String>> headers) {
    Iterable<String> values = headers.apply(HEADER);
    List<String> out = new ArrayList<>(1);
    if (values == null) {
      return out;
    }
    for (String header : values) {
      if (header == null) {
        continue;
      }
      for (String member : header.split(",", -1)) {
        int semicolon = member.indexOf(';');
        String pair = semicolon < 0 ? member : member.substring(0, semicolon);
        int eq = pair.indexOf('=');
        String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
        if (key.equals(KEY)) {
          out.add(eq < 0 ? "" : pair.substring(eq + 1).trim());
        }
      }
    }
    return out;
  }

  /**
   * Whether {@code raw} is a W3C baggage value: baggage-octets ({@code %x21 / %x23-2B / %x2D-3A /
   * %x3C-5B / %x5D-7E}), each {@code '%'} starting an escape of two hexadecimal digits.
   */
  static boolean validValue(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return false;
        }
        if (!hex(raw.charAt(i + 1)) || !hex(raw.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Adds the token to the request's baggage: {@code set(name, value)} replaces the baggage header
   * with the entries it already had ({@code headers}, as in {@link #read}) plus {@value #KEY}.
   */
  public void write(String token, Function<String, ? extends Iterable<String>> headers,
      BiConsumer<String, String> set) {
    Context received = W3C.extract(Context.root(), headers, GETTER);
    Baggage with = Baggage.fromContext(received).toBuilder().put(KEY, token).build();
    W3C.inject(with.storeInContext(Context.root()), set, (carrier, name, value) -> carrier.accept(name, value));
  }

  /**
   * Runs {@code call} with the token added to the current OpenTelemetry context's baggage, so that
   * an instrumentation that writes the baggage header below this point (the OpenTelemetry agent
   * instrumenting the HTTP client) writes it too, instead of overwriting the header {@link #write}
   * set.
   */
  public <T, E extends Exception> T callWith(String token, Call<T, E> call) throws E {
    Baggage with = Baggage.current().toBuilder().put(KEY, token).build();
    try (Scope scope = with.makeCurrent()) {
      return call.call();
    }
  }

  /** What {@link #callWith} runs. */
  @FunctionalInterface
  public interface Call<T, E extends Exception> {
    /** Runs. */
    T call() throws E;
  }
}
