package dev.catchup.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.sdk.CatchupDataSource;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CatchupDataSourceMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void bindTo_noMonitor_directModeGenerationZeroAndReaders() {
    try (CatchupDataSource ds = MeterCatalogTest.unreachableDataSource(null)) {
      new CatchupDataSourceMeters(ds).bindTo(registry);

      assertThat(registry.get("catchup.routing.mode").tag("mode", "direct").gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("catchup.routing.mode").tag("mode", "monitor").gauge().value())
          .isZero();
      assertThat(registry.get("catchup.topology.generation").gauge().value()).isZero();
      assertThat(registry.get("catchup.read.servers").gauge().value()).isEqualTo(1);
    }
  }

  @Test
  void bindTo_commonTags_onEveryGauge() {
    try (CatchupDataSource ds = MeterCatalogTest.unreachableDataSource(null)) {
      new MicrometerCatchupMetrics(registry, Tags.of("datasource", "billing")).bindTo(ds);

      assertThat(registry.get("catchup.routing.mode").tag("datasource", "billing").gauges())
          .hasSize(2);
      assertThat(registry.get("catchup.topology.generation").tag("datasource", "billing").gauge())
          .isNotNull();
      assertThat(registry.get("catchup.read.servers").tag("datasource", "billing").gauge())
          .isNotNull();
    }
  }

  @Test
  void poolMetrics_eachServersPool_hasHikariMetersUntilClosed() {
    try (CatchupDataSource ds = MeterCatalogTest.unreachableDataSource(registry)) {
      for (String pool : new String[] {"catchup-primary", "catchup-r1"}) {
        assertThat(registry.get("hikaricp.connections").tag("pool", pool).gauge().value())
            .as(pool).isZero();
        assertThat(registry.get("hikaricp.connections.max").tag("pool", pool).gauge().value())
            .as(pool).isEqualTo(1);
      }
    }
    // HikariCP removes a closed pool's meters: no series of a pool that is gone.
    assertThat(registry.find("hikaricp.connections").gauges()).isEmpty();
  }

  @Test
  void constructor_nullDataSource_throwsNamingIt() {
    var e = assertThrows(NullPointerException.class, () -> new CatchupDataSourceMeters(null));
    assertThat(e).hasMessage("ds must not be null");
  }
}
