package dev.catchup.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.sdk.ConsistencyToken;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The token in W3C baggage, through OpenTelemetry's own propagator: what goes on the wire is a valid
 * baggage header (the token's ',' percent-encoded), and it reads back to the same token, however
 * many sources, tags and domains it holds.
 */
class BaggageCodecTest {
  /** W3C baggage: a value's characters outside baggage-octet (%x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E). */
  private static final Pattern BAGGAGE_VALUE = Pattern.compile("[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]*");
  private static final String TWO_SOURCES = "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57,"
      + "4a2b6c00-1111-11e1-9e33-c80aa9429562:1-9:orders:1-4";
  private static final String THREE_DOMAINS = "mariadb/0-1-100,1-2-5,7-3-12";

  private final CatchupBaggage baggage = new CatchupBaggage();

  @Test
  void write_tokenWithSeveralSources_percentEncodesTheCommaAndReadsBackEqual() {
    for (String token : List.of(Fixtures.TOKEN, TWO_SOURCES, THREE_DOMAINS)) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      baggage.write(token, headers::get, (name, value) -> headers.put(name, List.of(value)));

      String raw = headers.get("baggage").get(0);
      assertThat(raw).startsWith(CatchupBaggage.KEY + "=");
      String value = raw.substring(CatchupBaggage.KEY.length() + 1);
      assertThat(value).as("the raw baggage value of %s", token).matches(BAGGAGE_VALUE);
      if (token.contains(",")) {
        assertThat(value).contains("%2C").doesNotContain(",");
      }
      // Decoded by OpenTelemetry's propagator as any other service would, and by ours.
      assertThat(otelRead(raw)).isEqualTo(token);
      assertThat(baggage.read(headers::get)).isEqualTo(token);
      assertThat(ConsistencyToken.decode(baggage.read(headers::get)))
          .isEqualTo(ConsistencyToken.decode(token));
    }
  }

  @Test
  void write_randomTokens_roundTripThroughTheWire() {
    Random random = new Random(13);
    for (int i = 0; i < 500; i++) {
      String token = ConsistencyToken.decode(randomToken(random)).encode();
      Map<String, List<String>> headers = new LinkedHashMap<>();
      baggage.write(token, headers::get, (name, value) -> headers.put(name, List.of(value)));
      String raw = headers.get("baggage").get(0);
      assertThat(raw.substring(CatchupBaggage.KEY.length() + 1)).as(token).matches(BAGGAGE_VALUE);
      assertThat(otelRead(raw)).as(token).isEqualTo(token);
      assertThat(baggage.read(headers::get)).as(token).isEqualTo(token);
    }
  }

  @Test
  void write_baggageAlreadyThere_keepsItsEntries() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("baggage", List.of("user=alice,note=a%2Cb"));
    baggage.write(TWO_SOURCES, headers::get, (name, value) -> headers.put(name, List.of(value)));

    Baggage sent = extract(headers.get("baggage").get(0));
    assertThat(sent.getEntryValue("user")).isEqualTo("alice");
    assertThat(sent.getEntryValue("note")).isEqualTo("a,b");
    assertThat(sent.getEntryValue(CatchupBaggage.KEY)).isEqualTo(TWO_SOURCES);
  }

  @Test
  void read_severalBaggageHeaders_findsTheEntryInAny() {
    Map<String, List<String>> headers = Map.of("baggage",
        List.of("user=alice", CatchupBaggage.KEY + "=" + THREE_DOMAINS.replace(",", "%2C")));
    assertThat(baggage.read(headers::get)).isEqualTo(THREE_DOMAINS);
  }

  @Test
  void read_truncatedEscape_throwsInsteadOfShorteningTheToken() {
    // OpenTelemetry 1.55 reads "...:1-57%2" as "...:1-57": the second source would be lost.
    String cut = "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57%2";
    var e = assertThrows(IllegalArgumentException.class,
        () -> baggage.read(Map.of("baggage", List.of(CatchupBaggage.KEY + "=" + cut))::get));
    assertThat(e.getMessage()).isEqualTo("not valid W3C baggage encoding");
  }

  @Test
  void read_otherMemberBroken_keepsOursUnlessTheHeaderFailsToParse() {
    String ours = CatchupBaggage.KEY + "=" + Fixtures.TOKEN;
    assertThat(baggage.read(Map.of("baggage", List.of("user=a b," + ours))::get))
        .as("a member OpenTelemetry skips alone").isEqualTo(Fixtures.TOKEN);
    assertThat(CatchupBaggage.validValue("a%2Cb")).isTrue();
    assertThat(CatchupBaggage.validValue("a%2")).isFalse();
    assertThat(CatchupBaggage.validValue("a b")).isFalse();
  }

  @Test
  void read_noHeader_takesTheCurrentContextsBaggage() {
    assertThat(baggage.read(name -> null)).isNull();
    try (Scope scope = Baggage.builder().put(CatchupBaggage.KEY, TWO_SOURCES).build().makeCurrent()) {
      assertThat(baggage.read(name -> null)).isEqualTo(TWO_SOURCES);
    }
  }

  @Test
  void callWith_token_isInTheCurrentBaggageOnlyDuringTheCall() {
    String inside = baggage.callWith(TWO_SOURCES, () -> Baggage.current().getEntryValue(CatchupBaggage.KEY));
    assertThat(inside).isEqualTo(TWO_SOURCES);
    assertThat(Baggage.current().getEntryValue(CatchupBaggage.KEY)).isNull();
  }

  private static String otelRead(String raw) {
    return extract(raw).getEntryValue(CatchupBaggage.KEY);
  }

  private static Baggage extract(String raw) {
    Context context = W3CBaggagePropagator.getInstance().extract(Context.root(), raw,
        new TextMapGetter<String>() {
          @Override
          public Iterable<String> keys(String carrier) {
            return List.of("baggage");
          }

          @Override
          public String get(String carrier, String key) {
            return "baggage".equals(key) ? carrier : null;
          }
        });
    return Baggage.fromContext(context);
  }

  /** A MySQL set of 1 to 4 sources (some tagged, some with gaps) or a MariaDB one of 1 to 4 domains. */
  private static String randomToken(Random random) {
    StringBuilder b = new StringBuilder();
    int sources = 1 + random.nextInt(4);
    if (random.nextBoolean()) {
      b.append("mysql/");
      for (int s = 0; s < sources; s++) {
        b.append(s == 0 ? "" : ",").append(new UUID(random.nextLong(), random.nextLong()));
        long end = 1 + random.nextInt(1_000_000);
        b.append(":1-").append(end);
        if (random.nextBoolean()) {
          b.append(':').append(end + 2).append('-').append(end + 2 + random.nextInt(50));
        }
        if (random.nextInt(3) == 0) {
          b.append(':').append("t").append(Integer.toString(random.nextInt(1000), 36)
              .toLowerCase(Locale.ROOT)).append(":1-").append(1 + random.nextInt(99));
        }
      }
    } else {
      b.append("mariadb/");
      for (int d = 0; d < sources; d++) {
        b.append(d == 0 ? "" : ",").append(d * 3 + random.nextInt(3)).append('-')
            .append(1 + random.nextInt(100)).append('-').append(1 + random.nextInt(1_000_000));
      }
    }
    return b.toString();
  }
}
