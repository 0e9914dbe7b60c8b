package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.ServerStatus;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} against its conventions, its README table, and the dashboard and alert rules
 * shipped in {@code monitor/observability/}: a rename that misses one of them fails here.
 */
class MetricsConventionsTest {
  private static final Path DASHBOARD = Path.of("observability/grafana-dashboard.json");
  private static final Path ALERTS = Path.of("observability/alerts.yml");
  private static final Path README = Path.of("README-http.md");

  /** A metric name in a PromQL expression: ours and the process/JVM families. */
  private static final Pattern QUERIED = Pattern.compile("(?<![A-Za-z0-9_])((?:catchup|process|jvm)_[A-Za-z0-9_]+)");
  private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? \\S+$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
  /** A README table row: {@code | `name` | type | labels | meaning |}. */
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z_:]+)` \\| (gauge|counter) \\|([^|]*)\\|");
  private static final Pattern BACKTICKED = Pattern.compile("`([a-z_]+)`");
  /** Grafana's {@code {{label}}} in a legend, Prometheus' {@code $labels.label} in an annotation. */
  private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
  private static final Pattern ANNOTATION_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
  /** Labels Prometheus adds to every scraped series. */
  private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

  private ApiFixture f;
  /** Family name to its TYPE, in output order. */
  private Map<String, String> types;
  /** Family name to the label names its samples carry (empty set for a family without samples). */
  private Map<String, Set<String>> labelsOf;

  @BeforeEach
  void scrape() {
    f = new ApiFixture().allUp();
    // A replica with every optional value known, so that every replica family has a sample.
    f.registry.publish(new ServerStatus("replica1", Role.REPLICA,
        new ServerStatus.Confirmation(upTo(10), upTo(10), f.clock.instant()),
        new ServerStatus.Binlog(FeedState.CONNECTED, f.clock.instant(), 1.0, f.clock.instant(),
            Duration.ofMillis(40), 1, 0, 7),
        new ServerStatus.Replication(ApiFixture.RUNNING, null, Duration.ofMillis(300)), null, 1000));
    HttpResponse<String> r = f.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    MetricsTest.parse(body); // every line well formed, HELP and TYPE before samples

    types = new LinkedHashMap<>();
    Matcher t = TYPE.matcher(body);
    while (t.find()) {
      types.put(t.group(1), t.group(2));
    }
    labelsOf = new LinkedHashMap<>();
    types.keySet().forEach(name -> labelsOf.put(name, new TreeSet<>()));
    Matcher s = SAMPLE.matcher(body);
    while (s.find()) {
      Set<String> names = labelsOf.get(s.group(1));
      assertThat(names).as("family of sample %s", s.group()).isNotNull();
      if (s.group(2) != null) {
        Matcher l = LABEL.matcher(s.group(2));
        while (l.find()) {
          names.add(l.group(1));
        }
      }
    }
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void metrics_counters_endInTotal_andNoFamilyIsARate() {
    types.forEach((name, type) -> {
      if (type.equals("counter")) {
        assertThat(name).as("counter %s", name).endsWith("_total");
      } else {
        assertThat(name).as("gauge %s", name).doesNotEndWith("_total");
      }
      assertThat(name).as("%s is a pre-computed rate", name).doesNotContain("per_second");
    });
  }

  @Test
  void metrics_everyServerFamily_labelsItsServerServer() {
    for (Map.Entry<String, Set<String>> e : labelsOf.entrySet()) {
      String name = e.getKey();
      if (name.startsWith("catchup_server_") || name.startsWith("catchup_replica_")
          || name.startsWith("catchup_binlog_")) {
        assertThat(e.getValue()).as("labels of %s", name).contains("server");
      }
      assertThat(e.getValue()).as("labels of %s: a server is always `server`", name)
          .doesNotContain("replica", "host", "source", "name");
    }
    assertThat(types).containsEntry("catchup_build_info", "gauge");
    assertThat(labelsOf.get("catchup_build_info")).containsExactly("version");
  }

  @Test
  void readme_tableListsEveryFamily_withItsTypeAndLabels() throws IOException {
    Map<String, String> documentedTypes = new TreeMap<>();
    Map<String, Set<String>> documentedLabels = new TreeMap<>();
    Matcher row = ROW.matcher(Files.readString(README));
    while (row.find()) {
      assertThat(documentedTypes.put(row.group(1), row.group(2)))
          .as("README-http.md lists %s twice", row.group(1)).isNull();
      // "`area` (`heap`, `nonheap`)": the values in parentheses are not label names.
      Matcher l = BACKTICKED.matcher(row.group(3).replaceAll("\\([^)]*\\)", ""));
      Set<String> labels = new TreeSet<>();
      while (l.find()) {
        labels.add(l.group(1));
      }
      documentedLabels.put(row.group(1), labels);
    }

    assertThat(documentedTypes).as("README-http.md's metrics table vs /metrics")
        .isEqualTo(new TreeMap<>(types));
    labelsOf.forEach((name, labels) -> {
      if (!labels.isEmpty()) {
        assertThat(documentedLabels.get(name)).as("documented labels of %s", name).isEqualTo(labels);
      }
    });
  }

  @Test
  void dashboard_everyQueriedMetricExists_andLegendsUseItsLabels() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("uid").asText()).isNotBlank();

    Set<Integer> ids = new HashSet<>();
    int targets = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      assertThat(title).as("a panel's title").isNotBlank();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id of panel %s", title).isTrue();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("targets")).as("queries of panel %s", title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        Set<String> labels = checkQueried("panel " + title, expr);
        Matcher legend = LEGEND_LABEL.matcher(target.path("legendFormat").asText());
        while (legend.find()) {
          assertThat(labels).as("legend of %s in panel %s", expr, title).contains(legend.group(1));
        }
        targets++;
      }
    }
    assertThat(targets).isGreaterThan(10);
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      checkQueried("annotation", annotation.path("expr").asText());
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        checkQueried("variable " + variable.path("name").asText(), variable.path("definition").asText());
      }
    }
  }

  @Test
  void alerts_everyRuleComplete_andQueriesExistingMetrics() throws IOException {
    JsonNode rules = new YAMLMapper().readTree(Files.readString(ALERTS));
    List<String> names = new ArrayList<>();
    for (JsonNode group : rules.path("groups")) {
      assertThat(group.path("name").asText()).isNotBlank();
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        assertThat(alert).as("every rule is an alert with a name").isNotBlank();
        names.add(alert);
        assertThat(rule.path("for").asText()).as("for of %s", alert).matches("[0-9]+[smh]");
        assertThat(rule.path("labels").path("severity").asText()).as("severity of %s", alert)
            .isIn("critical", "warning", "info");
        assertThat(rule.path("annotations").path("summary").asText()).as("summary of %s", alert)
            .isNotBlank();
        assertThat(rule.path("annotations").path("description").asText())
            .as("description of %s", alert).isNotBlank();
        String expr = rule.path("expr").asText();
        Set<String> labels = checkQueried("alert " + alert, expr);
        Matcher used = ANNOTATION_LABEL.matcher(rule.path("annotations").toString());
        while (used.find()) {
          assertThat(labels).as("$labels in the annotations of %s", alert).contains(used.group(1));
        }
      }
    }
    // What issue 14 asks the rules to cover.
    assertThat(names).contains("CatchupReplicaLagHigh", "CatchupServerUnknown",
        "CatchupErrantTransactions", "CatchupStreamSubscribersAtLimit", "CatchupNoPrimary",
        "CatchupTopologyChanged").doesNotHaveDuplicates();
  }

  @Test
  void checkQueried_unknownMetric_fails() {
    // The checks above pass only if this one can fail: a renamed family is caught.
    org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> checkQueried("a test", "rate(catchup_server_transactions_per_second[5m])"));
  }

  /**
   * Asserts that {@code expr} queries at least one metric and that every one it queries is a family
   * of {@code /metrics}; returns the label names those families' samples carry, with the
   * target's.
   */
  private Set<String> checkQueried(String where, String expr) {
    Set<String> labels = new HashSet<>(TARGET_LABELS);
    Matcher m = QUERIED.matcher(expr);
    boolean any = false;
    while (m.find()) {
      any = true;
      assertThat(types).as("%s queries %s (in %s), which /metrics does not have", where, m.group(1), expr)
          .containsKey(m.group(1));
      labels.addAll(labelsOf.get(m.group(1)));
    }
    assertThat(any).as("%s queries no metric of the monitor: %s", where, expr).isTrue();
    return labels;
  }
}
