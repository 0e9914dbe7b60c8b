package dev.catchup.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupMetrics.FallbackReason;
import dev.catchup.sdk.CatchupMetrics.Target;
import dev.catchup.sdk.Consistency;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's meter table is the catalogue: it must list exactly the meters the code registers,
 * with their types and tag keys, and the Prometheus names a Prometheus registry really writes.
 */
class MeterCatalogTest {
  /** Nothing listens on port 1: the pools start anyway (a server may be down at start). */
  static final String UNREACHABLE = "jdbc:mysql://127.0.0.1:1/db?connectTimeout=250";

  /** A data source over servers that are down: its gauges still answer. */
  static CatchupDataSource unreachableDataSource(MeterRegistry poolRegistry) {
    var b = CatchupDataSource.builder().flavor(Flavor.MYSQL).primary(UNREACHABLE)
        .replica("r1", UNREACHABLE).credentials("app", "pw").poolSize(1);
    if (poolRegistry != null) {
      b.configurePools(MicrometerCatchupMetrics.poolMetrics(poolRegistry));
    }
    return b.build();
  }

  /** Calls every hook of {@code CatchupMetrics}, each tag value at least once. */
  static void exerciseEveryHook(MicrometerCatchupMetrics m) {
    for (Consistency c : Consistency.values()) {
      m.readRouted(Target.REPLICA, "replica1", c);
      m.readRouted(Target.PRIMARY, null, c);
    }
    m.waited("replica1", Duration.ofMillis(3), true);
    m.waited("replica1", Duration.ofMillis(9), false);
    m.briefWaited("replica1", Duration.ofMillis(2), true);
    m.briefWaited("replica1", Duration.ofMillis(20), false);
    for (FallbackReason r : FallbackReason.values()) {
      m.fellBack(r);
    }
    m.failed("replica1");
    m.gtidRecorded(2);
    m.extraQuery("primary");
    m.waitedForMonitor(Duration.ofMillis(1), true);
    m.waitedForMonitor(Duration.ofMillis(1), false);
    m.monitorMode(true);
    m.monitorMode(false);
  }

  /** One row of the README's table. */
  record Row(String name, String type, Set<String> tags, Set<String> prometheus) {}

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  static Map<String, Row> readmeTable() throws IOException {
    Path readme = Path.of("README.md");
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(readme)) {
      if (!line.startsWith("| `catchup.")) {
        continue;
      }
      String[] cells = line.split("\\|");
      // cells[0] is the empty text before the first bar.
      String name = codes(cells[1]).get(0);
      Set<String> tags = new HashSet<>(codes(cells[3]));
      Set<String> prometheus = new HashSet<>(codes(cells[4]));
      Row previous = rows.put(name, new Row(name, cells[2].strip(), tags, prometheus));
      assertThat(previous).as("README lists %s twice", name).isNull();
    }
    assertThat(rows).as("meter table in %s", readme.toAbsolutePath()).isNotEmpty();
    return rows;
  }

  private static List<String> codes(String cell) {
    Matcher m = CODE.matcher(cell);
    return m.results().map(r -> r.group(1)).collect(Collectors.toList());
  }

  private static String type(Meter m) {
    if (m instanceof Counter) {
      return "counter";
    } else if (m instanceof Timer) {
      return "timer";
    } else if (m instanceof DistributionSummary) {
      return "distribution summary";
    } else if (m instanceof Gauge) {
      return "gauge";
    }
    return m.getClass().getSimpleName();
  }

  private static void registerEverything(MeterRegistry registry, CatchupDataSource ds) {
    MicrometerCatchupMetrics metrics = new MicrometerCatchupMetrics(registry);
    exerciseEveryHook(metrics);
    metrics.bindTo(ds);
  }

  @Test
  void readmeTable_listsExactlyTheRegisteredMetersWithTypesAndTags() throws IOException {
    Map<String, Row> documented = readmeTable();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (CatchupDataSource ds = unreachableDataSource(null)) {
      registerEverything(registry, ds);
    }

    Map<String, Set<String>> types = new HashMap<>();
    Map<String, Set<Set<String>>> tagKeys = new HashMap<>();
    for (Meter m : registry.getMeters()) {
      String name = m.getId().getName();
      types.computeIfAbsent(name, k -> new TreeSet<>()).add(type(m));
      tagKeys.computeIfAbsent(name, k -> new HashSet<>()).add(m.getId().getTags().stream()
          .map(Tag::getKey).collect(Collectors.toSet()));
    }
    assertThat(types.keySet()).as("meters registered vs README table")
        .containsExactlyInAnyOrderElementsOf(documented.keySet());
    for (Row row : documented.values()) {
      assertThat(types.get(row.name())).as("type of %s", row.name()).containsExactly(row.type());
      assertThat(tagKeys.get(row.name())).as("tag keys of %s", row.name())
          .containsExactly(row.tags());
    }
  }

  @Test
  void readmeTable_prometheusNames_areWhatAPrometheusRegistryWrites() throws IOException {
    Map<String, Row> documented = readmeTable();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String scrape;
    try (CatchupDataSource ds = unreachableDataSource(null)) {
      registerEverything(registry, ds);
      scrape = registry.scrape();
    }

    Set<String> written = scrape.lines().filter(l -> l.startsWith("catchup_"))
        .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    Set<String> promised = documented.values().stream().flatMap(r -> r.prometheus().stream())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(written).as("Prometheus names written vs README table, scrape:%n%s", scrape)
        .containsExactlyInAnyOrderElementsOf(promised);
  }
}
