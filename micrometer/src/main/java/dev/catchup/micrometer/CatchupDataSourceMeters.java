package dev.catchup.micrometer;

import dev.catchup.sdk.CatchupDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Gauges of one {@link CatchupDataSource}, read from its public state when the registry is
 * scraped: the routing mode ({@code catchup.routing.mode}, 1 for the mode in force and 0 for the
 * other: following the monitor, or asking the servers directly), the topology's generation (one
 * more per change of primary) and how many servers are in the read rotation.
 *
 * <p>As usual for Micrometer gauges, the data source is held weakly: the gauges do not keep it
 * alive. A framework that binds every {@link MeterBinder} (Spring Boot's actuator) binds this one
 * when it is a bean.
 */
public final class CatchupDataSourceMeters implements MeterBinder {
  // One text for both series: Prometheus has one help line per name.
  private static final String MODE = "1 for the routing mode in force (monitor: reads follow the "
      + "monitor; direct: they ask the servers), 0 for the other";
  private final CatchupDataSource ds;
  private final Tags common;

  /** Gauges of {@code ds}, with no tags beyond their own. */
  public CatchupDataSourceMeters(CatchupDataSource ds) {
    this(ds, Tags.empty());
  }

  /** Gauges of {@code ds}, each also carrying {@code commonTags}. */
  public CatchupDataSourceMeters(CatchupDataSource ds, Iterable<Tag> commonTags) {
    this.ds = Objects.requireNonNull(ds, "ds must not be null");
    this.common = Tags.of(Objects.requireNonNull(commonTags, "commonTags must not be null"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("catchup.routing.mode", ds, d -> d.routingHealth().followingMonitor() ? 1 : 0)
        .description(MODE)
        .tags(common).tag("mode", "monitor").register(registry);
    Gauge.builder("catchup.routing.mode", ds, d -> d.routingHealth().followingMonitor() ? 0 : 1)
        .description(MODE)
        .tags(common).tag("mode", "direct").register(registry);
    Gauge.builder("catchup.topology.generation", ds, CatchupDataSource::topologyGeneration)
        .description("The topology's generation: 0 as configured, one more per change of primary")
        .tags(common).register(registry);
    Gauge.builder("catchup.read.servers", ds, d -> d.replicaNames().size())
        .description("Servers in the read rotation now")
        .baseUnit("servers").tags(common).register(registry);
  }
}
