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
   * instrumentation put what it received); null when neither carries one.
   */
  public String read(Function<String, ? extends Iterable<String>> headers) {
    String value = Baggage.fromContext(W3C.extract(Context.root(), headers, GETTER)).getEntryValue(KEY);
    return value != null ? value : Baggage.current().getEntryValue(KEY);
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
