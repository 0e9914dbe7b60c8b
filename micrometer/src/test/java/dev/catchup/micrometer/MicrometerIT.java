package dev.catchup.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupDataSourceBuilder;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A data source over real servers with these metrics: a write then a read of it counts one
 * replica read and one recorded write, and every server's pool has HikariCP's meters.
 */
class MicrometerIT {
  private static final String TABLE = "micrometer_rows";

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void writeThenRead_countsTheReplicaReadAndEveryPoolsMeters(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    try (Connection c = t.connect(t.primary()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE
          + " (id VARCHAR(64) PRIMARY KEY, v BIGINT NOT NULL)");
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerCatchupMetrics metrics = new MicrometerCatchupMetrics(registry);
    CatchupDataSourceBuilder b = CatchupDataSource.builder().flavor(flavor)
        .primary(t.primary().jdbcUrl()).credentials(t.user(), t.password()).poolSize(2)
        // Long enough that a busy machine does not send the read to the primary.
        .maxWait(Duration.ofSeconds(30))
        .metrics(metrics).configurePools(MicrometerCatchupMetrics.poolMetrics(registry));
    List<String> pools = new ArrayList<>(List.of("catchup-primary"));
    for (Server r : t.replicas()) {
      b.replica(r.name(), r.jdbcUrl());
      pools.add("catchup-" + r.name());
    }
    String id = UUID.randomUUID().toString();

    try (CatchupDataSource ds = b.build()) {
      metrics.bindTo(ds);
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (id, v) VALUES (?, 7)")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
      try (Connection c = ds.getReadConnection();
          PreparedStatement ps = c.prepareStatement("SELECT v FROM " + TABLE + " WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).as("the row just written").isTrue();
          assertThat(rs.getLong(1)).isEqualTo(7);
        }
      }

      double replicaReads = registry.get("catchup.reads").tag("target", "replica")
          .tag("consistency", "read_your_writes").counters().stream()
          .mapToDouble(Counter::count).sum();
      assertThat(replicaReads).as("the read, on a replica").isEqualTo(1);
      assertThat(registry.get("catchup.reads").tag("target", "primary").counters().stream()
          .mapToDouble(Counter::count).sum()).as("no primary read").isZero();
      assertThat(registry.get("catchup.token.sources").summary().count()).as("writes recorded")
          .isEqualTo(1);
      for (String pool : pools) {
        assertThat(registry.find("hikaricp.connections").tag("pool", pool).gauge())
            .as("pool meters of %s", pool).isNotNull();
        assertThat(registry.get("hikaricp.connections.max").tag("pool", pool).gauge().value())
            .as(pool).isEqualTo(2);
      }
      // The write and the read borrowed from the primary's pool and a replica's.
      assertThat(registry.get("hikaricp.connections.acquire").tag("pool", "catchup-primary")
          .timer().count()).isPositive();
      assertThat(registry.get("catchup.routing.mode").tag("mode", "direct").gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("catchup.read.servers").gauge().value())
          .isEqualTo(t.replicas().size());
    }
  }
}
