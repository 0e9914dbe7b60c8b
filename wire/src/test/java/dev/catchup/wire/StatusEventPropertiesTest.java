package dev.catchup.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the monitor writes, the SDK reads back as the same event: random GTID sets of both
 * flavors (MySQL with several sources, tags and intervals, so the text has the line breaks the
 * writer removes), both roles, and every optional field null or set.
 */
class StatusEventPropertiesTest {
  private static final String[] TAGS = {"", "", "alpha", "b_2"};

  @Provide
  Arbitrary<GtidSet> mysqlSets() {
    Arbitrary<String> source = Combinators.combine(
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, TAGS.length - 1),
        Arbitraries.longs().between(1, 1L << 40), Arbitraries.longs().between(0, 1000))
        .as((u, t, first, len) -> new UUID(0x3e11fa4771ca11e1L, u) + ":"
            + (TAGS[t].isEmpty() ? "" : TAGS[t] + ":") + first + "-" + (first + len));
    return source.list().ofMaxSize(6).map(parts -> GtidSet.parse(Flavor.MYSQL, String.join(",", parts)));
  }

  @Provide
  Arbitrary<GtidSet> mariadbSets() {
    Arbitrary<String> position = Combinators.combine(Arbitraries.longs().between(0, 5),
        Arbitraries.longs().between(1, (1L << 32) - 1), Arbitraries.longs().between(0, Long.MAX_VALUE / 2))
        .as((d, s, n) -> d + "-" + s + "-" + n);
    return position.list().ofMaxSize(4).uniqueElements(p -> p.substring(0, p.indexOf('-')))
        .map(parts -> GtidSet.parse(Flavor.MARIADB, String.join(",", parts)));
  }

  @Provide
  Arbitrary<String> names() {
    // Printable and not: the writer must escape anything that would break the data line.
    return Arbitraries.strings().ofMinLength(1).ofMaxLength(12)
        .withChars("abcXYZ019-_.:\"\\\n\r\t\u00e9\u2028\u0000");
  }

  private static Arbitrary<StatusEvent> events(Arbitrary<GtidSet> sets, Arbitrary<String> names) {
    Arbitrary<String> state = Arbitraries.of("UP", "UNKNOWN").injectNull(0.2);
    Arbitrary<String> feed = Arbitraries.of("CONNECTED", "CONNECTING", "DISCONNECTED").injectNull(0.2);
    Arbitrary<Duration> age = Arbitraries.longs().between(0, 1L << 40).map(Duration::ofMillis)
        .injectNull(0.3);
    Arbitrary<Double> behind = Arbitraries.oneOf(Arbitraries.just(0.0),
        Arbitraries.doubles().between(0, 1e6).ofScale(6),
        Arbitraries.doubles().between(0, 1e-3).ofScale(12))
        .injectNull(0.3);
    Arbitrary<Long> version = Arbitraries.longs().between(0, Long.MAX_VALUE);
    return Combinators.combine(names, Arbitraries.of(StatusEvent.PRIMARY, StatusEvent.REPLICA),
        state, sets, feed, age, behind, version)
        .as((n, role, st, set, f, a, b, v) -> new StatusEvent(n, role, st, set, f, a,
            StatusEvent.REPLICA.equals(role) ? b : null, v));
  }

  @Provide
  Arbitrary<StatusEvent> mysqlEvents() {
    return events(mysqlSets(), names());
  }

  @Provide
  Arbitrary<StatusEvent> mariadbEvents() {
    return events(mariadbSets(), names());
  }

  @Property(tries = 500)
  void parse_ofToJson_mysql_isTheSameEvent(@ForAll("mysqlEvents") StatusEvent e) throws Exception {
    roundTrips(e, Flavor.MYSQL);
  }

  @Property(tries = 500)
  void parse_ofToJson_mariadb_isTheSameEvent(@ForAll("mariadbEvents") StatusEvent e) throws Exception {
    roundTrips(e, Flavor.MARIADB);
  }

  private static void roundTrips(StatusEvent e, Flavor flavor) throws Exception {
    String json = e.toJson();
    assertThat(json).doesNotContain("\n").doesNotContain("\r");
    assertThat(StatusEvent.parse(flavor, json)).isEqualTo(e);
    // And through the SSE framing: the data line is exactly the JSON.
    List<String> lines = List.of(new String(e.toSse(), StandardCharsets.UTF_8).split("\n", -1));
    assertThat(lines).containsExactly("event: " + StreamFormat.STATUS_EVENT, "data: " + json, "", "");
  }

  @Property(tries = 200)
  void parse_ofToJson_withTheOtherFlavor_isIncompatible_unlessEmpty(@ForAll("mysqlEvents") StatusEvent e) {
    if (e.confirmed().isEmpty()) {
      return; // the empty set reads in either flavor
    }
    try {
      StatusEvent.parse(Flavor.MARIADB, e.toJson());
      throw new AssertionError("read MySQL GTIDs as MariaDB: " + e.toJson());
    } catch (IncompatibleStreamException expected) {
      assertThat(expected.getMessage()).contains("mysql GTIDs");
    } catch (MalformedEventException other) {
      throw new AssertionError(other);
    }
  }
}
