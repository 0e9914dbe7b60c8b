package dev.catchup.spring.autoconfigure;

import dev.catchup.micrometer.MicrometerCatchupMetrics;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.CatchupDataSourceBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;

/**
 * Binds the auto-configured data source to the application's {@link MeterRegistry}: the SDK's hooks
 * as {@link MicrometerCatchupMetrics}, the internal pools' own HikariCP meters, and, once every
 * singleton exists, the routing mode and topology gauges (bound here rather than left to a
 * {@code MeterBinder} bean, so that they appear with a plain registry bean too, without Boot's
 * metrics auto-configuration).
 *
 * <p>Runs first among the {@link CatchupDataSourceBuilderCustomizer}s: an application's own
 * customizer that calls {@code metrics(...)} replaces these hooks, and its {@code configurePools}
 * adds to the pools' meters instead of dropping them. Used during the context's refresh only, on
 * one thread.
 */
final class MicrometerWiring implements CatchupDataSourceBuilderCustomizer, SmartInitializingSingleton,
    Ordered {
  private final ObjectProvider<MeterRegistry> registries;
  private final ObjectProvider<CatchupDataSource> dataSources;
  private MicrometerCatchupMetrics metrics;

  MicrometerWiring(ObjectProvider<MeterRegistry> registries,
      ObjectProvider<CatchupDataSource> dataSources) {
    this.registries = registries;
    this.dataSources = dataSources;
  }

  @Override
  public void customize(CatchupDataSourceBuilder builder) {
    MeterRegistry registry = registries.getIfAvailable();
    if (registry == null) {
      return;
    }
    metrics = new MicrometerCatchupMetrics(registry);
    builder.metrics(metrics).configurePools(MicrometerCatchupMetrics.poolMetrics(registry));
  }

  @Override
  public void afterSingletonsInstantiated() {
    // Only when the auto-configured data source was built (and so customized): an application's
    // own CatchupDataSource has its own metrics, or none.
    if (metrics != null) {
      dataSources.ifUnique(metrics::bindTo);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  /** The hooks handed to the builder, or null while no registry was found. */
  MicrometerCatchupMetrics metrics() {
    return metrics;
  }
}
