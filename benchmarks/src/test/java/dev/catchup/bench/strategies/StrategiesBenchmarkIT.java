package dev.catchup.bench.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catchup.bench.harness.Progress;
import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A smoke run of the strategies benchmark, so that it keeps working: every strategy for a second
 * on the shared MySQL topology at a one-second delay, results written to {@code target/}. It
 * asserts what the harness must get right whatever the timing: every strategy is in the results,
 * Catchup served no stale read, and the naive split, reading right after each write from replicas
 * that apply a second late, served some. No figure of time or load is asserted.
 */
class StrategiesBenchmarkIT {
  private static final Path OUT = Path.of("target", "strategies-smoke");

  @AfterAll
  static void resetDelays() {
    Topologies.resetDelays();
  }

  @Test
  void smokeRun_delayOneSecond_everyStrategyReportedCatchupNeverStale() throws Exception {
    StrategiesOptions o = StrategiesOptions.parse(new String[] {"--flavor", "mysql", "--threads",
        "2", "--reads", "2", "--seconds", "1", "--rounds", "1", "--warmup-ms", "0", "--delays", "1",
        "--out", OUT.toString(), "--invoked-as", "StrategiesBenchmarkIT"});
    Topology t = Topologies.shared(Flavor.MYSQL);
    Progress progress = new Progress(System.out);
    Instant started = Instant.now();
    Map<String, String> described = new LinkedHashMap<>();
    StrategiesReport.FlavorResult result = StrategiesBenchmark.measure(t, o, progress, described);
    StrategiesBenchmark.report(o, started, "unknown", progress, described, List.of(result)).write(OUT);

    JsonNode json = new ObjectMapper().readTree(OUT.resolve("strategies.json").toFile());
    JsonNode delay = json.path("flavors").path(0).path("delays").path(0);
    assertThat(delay.path("delaySeconds").asInt()).isEqualTo(1);
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    delay.path("strategies").forEach(s -> byId.put(s.path("id").asText(), s));
    assertThat(byId.keySet()).containsExactlyElementsOf(StrategiesBenchmark.IDS);

    List<String> staleCatchup = new ArrayList<>();
    byId.forEach((id, s) -> {
      long stale = s.path("staleAfterWrite").asLong() + s.path("staleOther").asLong();
      if (id.startsWith("catchup-") && stale != 0) {
        staleCatchup.add(id + " " + stale);
      }
    });
    assertThat(staleCatchup).as("Catchup strategies with stale reads").isEmpty();
    assertThat(byId.get(StrategyResult.NAIVE).path("staleAfterWrite").asLong())
        .as("stale reads right after the write, naive split, delay 1 s").isPositive();

    String md = Files.readString(OUT.resolve("strategies.md"));
    for (String id : StrategiesBenchmark.IDS) {
      assertThat(md).contains("`" + id + "`");
    }
  }
}
