package dev.catchup.spring.autoconfigure;

import dev.catchup.sdk.CatchupDataSourceBuilder;

/**
 * Adjusts the auto-configured data source's builder after the {@code catchup.*} properties are
 * applied: for what properties do not carry (metrics, pool settings of HikariCP's own,
 * {@code configurePools}). Every bean of this type runs, in {@code @Order}.
 */
@FunctionalInterface
public interface CatchupDataSourceBuilderCustomizer {
  /** Called once, before {@code build()}. */
  void customize(CatchupDataSourceBuilder builder);
}
