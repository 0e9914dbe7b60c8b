package dev.catchup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.micrometer.MicrometerCatchupMetrics;
import dev.catchup.sdk.CatchupDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter's Micrometer wiring in a Spring context, without servers: the data source's pools
 * start (connecting in vain to a closed port) and register their meters, the SDK's hooks are
 * {@code catchup-micrometer}'s, and the routing gauges are bound. That the hooks count routed reads
 * is checked against real servers in {@code TwoServicesIT}.
 */
class MicrometerAutoConfigurationTest {
  private static final String URL = "jdbc:mysql://127.0.0.1:9/shop"; // closed port
  private static final String[] VALID = {
      "catchup.flavor=mysql",
      "catchup.primary.name=db1",
      "catchup.primary.url=" + URL,
      "catchup.replicas[0].name=db2",
      "catchup.replicas[0].url=" + URL,
      "catchup.username=app",
      "catchup.password=secret"};

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CatchupDataSourceAutoConfiguration.class))
      .withPropertyValues(VALID);

  @Test
  void micrometer_registryBean_dataSourceReportsToIt() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(CatchupDataSource.class);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      MicrometerWiring wiring = context.getBean(MicrometerWiring.class);
      assertThat(wiring.metrics()).as("the hooks handed to the builder")
          .isInstanceOf(MicrometerCatchupMetrics.class);
      // Registered when the hooks are made: they are the ones in this registry.
      assertThat(registry.find("catchup.fallbacks").counters()).isNotEmpty();
      // The internal pools' own meters, under their pools' names.
      assertThat(registry.find("hikaricp.connections").tag("pool", "catchup-db1").gauge()).isNotNull();
      assertThat(registry.find("hikaricp.connections").tag("pool", "catchup-db2").gauge()).isNotNull();
      // The gauges that need the built data source: no monitor, so reads ask the servers.
      assertThat(registry.get("catchup.routing.mode").tag("mode", "direct").gauge().value())
          .isEqualTo(1.0);
      assertThat(registry.get("catchup.read.servers").gauge().value()).isEqualTo(1.0);
    });
  }

  @Test
  void micrometer_applicationCustomizerConfiguresPools_bothApply() {
    Set<String> customized = ConcurrentHashMap.newKeySet();
    CatchupDataSourceBuilderCustomizer own = b -> b.configurePools(c -> customized.add(c.getPoolName()));
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(CatchupDataSourceBuilderCustomizer.class, () -> own)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(customized).as("the application's pool settings")
              .containsExactlyInAnyOrder("catchup-db1", "catchup-db2");
          assertThat(context.getBean(MeterRegistry.class).find("hikaricp.connections").gauges())
              .as("the pools' meters").hasSize(2);
        });
  }

  @Test
  void micrometer_noRegistryBean_nothingBoundAndNoFailure() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(CatchupDataSource.class);
      assertThat(context.getBean(MicrometerWiring.class).metrics()).isNull();
    });
  }

  @Test
  void micrometer_absent_noMetricsBeanAndNoFailure() {
    for (FilteredClassLoader without : List.of(new FilteredClassLoader("io.micrometer"),
        new FilteredClassLoader("dev.catchup.micrometer"))) {
      runner.withClassLoader(without).run(context -> {
        assertThat(context).hasNotFailed().hasSingleBean(CatchupDataSource.class);
        assertThat(context).doesNotHaveBean("catchupMicrometerCustomizer");
      });
    }
  }

  @Test
  void micrometer_applicationOwnsTheDataSource_gaugesNotBound() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withUserConfiguration(CatchupAutoConfigurationTest.OwnCatchupDataSource.class)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(CatchupDataSource.class);
          assertThat(context.getBean(MeterRegistry.class).find("catchup.routing.mode").gauges())
              .isEmpty();
        });
  }
}
