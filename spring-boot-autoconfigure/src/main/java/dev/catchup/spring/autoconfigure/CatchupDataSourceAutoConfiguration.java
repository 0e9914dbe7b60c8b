package dev.catchup.spring.autoconfigure;

import dev.catchup.sdk.CatchupDataSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link DataSource}: a {@link CatchupDataSource} built from the
 * {@code catchup.*} properties, closed with the context. Backs off when the application defines a
 * {@code DataSource} of its own, and runs before Boot's own data source auto-configuration (named
 * by both its Boot 4 and Boot 3 class names), which then backs off in turn.
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass(CatchupDataSource.class)
@ConditionalOnProperty(prefix = "catchup", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(CatchupProperties.class)
public class CatchupDataSourceAutoConfiguration {
  /**
   * The data source, named {@code dataSource} as Boot's own would be.
   *
   * @throws CatchupConfigurationException naming the property that is missing or refused
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(DataSource.class)
  public CatchupDataSource dataSource(CatchupProperties properties,
      ObjectProvider<CatchupDataSourceBuilderCustomizer> customizers) {
    return DataSourceFactory.build(properties, customizers.orderedStream().toList());
  }

  /**
   * Micrometer, when it and {@code catchup-micrometer} are on the class path: the SDK's metrics,
   * the internal pools' own and the routing gauges, in the application's registry (when there is
   * one; without a {@code MeterRegistry} bean nothing is bound).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
      "dev.catchup.micrometer.MicrometerCatchupMetrics"})
  static class MicrometerConfiguration {
    @Bean
    MicrometerWiring catchupMicrometerCustomizer(
        ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry,
        ObjectProvider<CatchupDataSource> dataSources) {
      return new MicrometerWiring(registry, dataSources);
    }
  }
}
