package dev.catchup.spring.autoconfigure;

import com.zaxxer.hikari.HikariConfig;
import dev.catchup.sdk.CatchupDataSourceBuilder;
import dev.catchup.sdk.CatchupMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Consumer;

/**
 * Binds the data source to a {@link MeterRegistry} through {@code catchup-micrometer}'s
 * {@code MicrometerCatchupMetrics}, by name (see {@link CatchupDataSourceAutoConfiguration}).
 */
final class MicrometerBinding {
  static final String METRICS = "dev.catchup.micrometer.MicrometerCatchupMetrics";

  private MicrometerBinding() {}

  @SuppressWarnings("unchecked")
  static void bind(CatchupDataSourceBuilder builder, MeterRegistry registry) {
    try {
      Class<?> type = Class.forName(METRICS, true, MicrometerBinding.class.getClassLoader());
      builder.metrics((CatchupMetrics) type.getConstructor(MeterRegistry.class).newInstance(registry));
      builder.configurePools((Consumer<HikariConfig>) type.getMethod("poolMetrics", MeterRegistry.class)
          .invoke(null, registry));
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("catchup-micrometer failed to bind to the meter registry: "
          + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("catchup-micrometer on the class path does not match this "
          + "starter (" + e + "): use the same Catchup version for both", e);
    }
  }
}
