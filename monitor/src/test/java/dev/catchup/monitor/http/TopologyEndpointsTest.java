package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.ApiFixture.OTHER_SOURCE;
import static dev.catchup.monitor.http.ApiFixture.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.topology.ServerFacts;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.wire.StatusEvent;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The topology in {@code /status}, {@code /stream} and {@code /metrics}, before and after a promotion. */
class TopologyEndpointsTest {
  private static final ServerFacts PRIMARY_WRITABLE = ServerFacts.of(false, "u1", 1, null);
  private final ApiFixture f = new ApiFixture(ApiFixture.fastLimits());
  private long version = 100;

  @AfterEach
  void close() {
    f.close();
  }

  /** Replicating from the server whose server_id is {@code sourceId} (UUID unknown). */
  private static ServerFacts replicaOf(long id, long sourceId, boolean readOnly) {
    return ServerFacts.of(readOnly, "u" + id, id,
        new ServerFacts.Source("127.0.0.1", 1, sourceId, null, true, true));
  }

  private void publish(String name, GtidSet confirmed, ServerFacts facts) {
    f.registry.publish(new ServerStatus(name, Role.UNKNOWN,
        new ServerStatus.Confirmation(confirmed, confirmed, f.clock.instant()),
        new ServerStatus.Binlog(FeedState.CONNECTED, f.clock.instant(), 0, null, null, 0, 0),
        ServerStatus.Replication.NONE, null, ++version, facts));
  }

  private void asConfigured() {
    publish("primary", upTo(10), PRIMARY_WRITABLE);
    publish("replica1", upTo(10), replicaOf(2, 1, true));
    publish("replica2", upTo(10), replicaOf(3, 1, true));
  }

  /** replica1 promoted and written to; primary read-only, re-pointed to it; replica2 too. */
  private void promoteReplica1() {
    GtidSet more = upTo(10).union(MysqlGtidSet.of(OTHER_SOURCE, "", 1, 4));
    publish("replica1", more, ServerFacts.of(false, "u2", 2, null));
    publish("primary", upTo(10), replicaOf(1, 2, true));
    publish("replica2", upTo(10), replicaOf(3, 2, true));
  }

  private static Map<String, String> sources(JsonNode topology) {
    Map<String, String> out = new HashMap<>();
    topology.path("servers").forEach(s -> out.put(s.path("name").asText(),
        s.path("role").asText() + "<" + (s.path("source").isNull() ? "-" : s.path("source").asText())
            + (s.path("readOnly").asBoolean() ? ",ro" : "")));
    return out;
  }

  @Test
  void status_asConfigured_showsGenerationOneAndRoles() {
    asConfigured();
    JsonNode t = f.body(f.get("/status")).path("topology");
    assertThat(t.path("generation").asLong()).isEqualTo(1);
    assertThat(t.path("primary").asText()).isEqualTo("primary");
    assertThat(t.path("conflict").isNull()).isTrue();
    assertThat(sources(t)).containsExactlyInAnyOrderEntriesOf(Map.of("primary", "primary<-",
        "replica1", "replica<primary,ro", "replica2", "replica<primary,ro"));
  }

  @Test
  void status_afterPromotion_namesTheNewPrimary_andListsTheOldAsReplica() {
    asConfigured();
    promoteReplica1();
    JsonNode body = f.body(f.get("/status"));
    assertThat(body.path("primary").path("name").asText()).isEqualTo("replica1");
    assertThat(body.path("primary").path("role").asText()).isEqualTo("primary");
    JsonNode others = body.path("replicas");
    assertThat(others).hasSize(2);
    assertThat(others.get(0).path("name").asText()).isEqualTo("primary");
    assertThat(others.get(0).path("role").asText()).isEqualTo("replica");
    // Lag against the new primary: the old one lacks the 4 transactions written since.
    assertThat(others.get(0).path("lag").path("missingTransactions").asLong()).isEqualTo(4);
    JsonNode t = body.path("topology");
    // Conflict first, then resolved, then replica2 re-pointed: one generation each.
    assertThat(t.path("generation").asLong()).isEqualTo(4);
    assertThat(t.path("primary").asText()).isEqualTo("replica1");
    assertThat(sources(t)).containsExactlyInAnyOrderEntriesOf(Map.of("primary", "replica<replica1,ro",
        "replica1", "primary<-", "replica2", "replica<replica1,ro"));
  }

  @Test
  void status_twoWritableNeitherCurrent_hasNoPrimary_andSaysWhy() {
    asConfigured();
    publish("replica1", upTo(10), ServerFacts.of(false, "u2", 2, null));
    publish("replica2", upTo(10), ServerFacts.of(false, "u3", 3, null));
    publish("primary", upTo(10), replicaOf(1, 2, true));
    JsonNode body = f.body(f.get("/status"));
    assertThat(body.path("primary").isNull()).isTrue();
    assertThat(body.path("topology").path("primary").isNull()).isTrue();
    assertThat(body.path("topology").path("conflict").asText())
        .isEqualTo("replica1, replica2 are all writable and replicate from no server; no primary "
            + "until all but one are read-only or replicate");
    assertThat(f.get("/metrics").body()).contains("catchup_topology_has_primary 0\n");
  }

  @Test
  void metrics_countTopologyChanges_andShowTheGeneration() {
    asConfigured();
    assertThat(f.get("/metrics").body()).contains("catchup_topology_generation 1\n",
        "catchup_topology_changes_total 0\n", "catchup_topology_has_primary 1\n");
    promoteReplica1();
    assertThat(f.get("/metrics").body()).contains("catchup_topology_generation 4\n",
        "catchup_topology_changes_total 3\n",
        "catchup_server_up{server=\"replica1\",role=\"primary\"} 1\n");
  }

  @Test
  void stream_promotion_resendsEveryServer_withTheNewTopology_readableByTheSdksReader()
      throws Exception {
    asConfigured();
    HttpResponse<InputStream> r = f.http.send(f.request("/stream").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (SseClient c = new SseClient(r.body())) {
      for (int i = 0; i < 3; i++) {
        StatusEvent e = StatusEvent.parse(Flavor.MYSQL, c.nextEvent().text());
        assertThat(e.topology().generation()).isEqualTo(1);
        assertThat(e.topology().primary()).isEqualTo("primary");
      }
      promoteReplica1();
      Map<String, StatusEvent> latest = new HashMap<>();
      // Bounded: each server is sent at most once per change, and there were three.
      for (int i = 0; i < 12 && !(latest.size() == 3 && latest.values().stream()
          .allMatch(e -> e.topology().generation() == 4)); i++) {
        StatusEvent e = StatusEvent.parse(Flavor.MYSQL, c.nextEvent().text());
        latest.put(e.name(), e);
      }
      assertThat(latest.keySet()).containsExactlyInAnyOrder("primary", "replica1", "replica2");
      assertThat(latest.get("replica1").role()).isEqualTo(StatusEvent.PRIMARY);
      assertThat(latest.get("primary").role()).isEqualTo(StatusEvent.REPLICA);
      StatusEvent.Topology t = latest.get("replica2").topology();
      assertThat(t.generation()).isEqualTo(4);
      assertThat(t.primary()).isEqualTo("replica1");
      assertThat(t.servers()).containsExactly(
          new StatusEvent.Member("primary", "replica", "replica1", true),
          new StatusEvent.Member("replica1", "primary", null, false),
          new StatusEvent.Member("replica2", "replica", "replica1", true));
      assertThat(List.copyOf(latest.values())).allSatisfy(e -> assertThat(e.topology()).isEqualTo(t));
    }
  }
}
