package dev.catchup.spring.autoconfigure;

import dev.catchup.sdk.CatchupDataSource;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Actuator views of the data source, only when Actuator is on the class path: the {@code catchup}
 * health indicator (UP, with the routing mode, the servers, the monitors and the SDK's reason) and
 * the {@code catchup} entry of {@code /actuator/info} (the routing mode and the servers). The
 * database's own reachability is Boot's {@code db} indicator's, which checks this data source.
 */
@AutoConfiguration(after = CatchupDataSourceAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.catchup.sdk.CatchupDataSource",
    "org.springframework.boot.actuate.info.InfoContributor"})
@ConditionalOnSingleCandidate(CatchupDataSource.class)
@EnableConfigurationProperties(CatchupProperties.class)
@Import(CatchupActuatorAutoConfiguration.HealthRegistrar.class)
public class CatchupActuatorAutoConfiguration {
  /** The {@code catchup} entry of {@code /actuator/info}. */
  @Bean
  @ConditionalOnMissingBean(name = "catchupInfoContributor")
  public InfoContributor catchupInfoContributor(CatchupDataSource dataSource,
      CatchupProperties properties) {
    return builder -> builder.withDetail("catchup", RoutingView.details(dataSource,
        List.copyOf(properties.getMonitors())));
  }

  /**
   * The {@code catchup} health indicator, as whichever Boot line's {@code HealthIndicator} is
   * present (its package moved in Boot 4.0).
   */
  static final class HealthRegistrar
      implements ImportBeanDefinitionRegistrar, BeanFactoryAware, BeanClassLoaderAware {
    private BeanFactory beanFactory;
    private ClassLoader classLoader;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      if (registry.containsBeanDefinition("catchupHealthIndicator")) {
        return; // the application's own
      }
      MovedBootTypes.present(MovedBootTypes.HEALTH_INDICATOR, classLoader).ifPresent(indicator -> {
        // Health sits beside HealthIndicator in both lines.
        Class<?> health = ClassUtils.resolveClassName(
            indicator.getPackageName() + ".Health", classLoader);
        MovedBootTypes.register(registry, classLoader, "catchupHealthIndicator",
            List.of(indicator.getName()), () -> {
              CatchupDataSource ds = beanFactory.getBean(CatchupDataSource.class);
              List<String> monitors = List.copyOf(beanFactory.getBean(CatchupProperties.class).getMonitors());
              return args -> up(health, RoutingView.details(ds, monitors));
            });
      });
    }

    /** {@code Health.up().withDetails(details).build()}, by name. */
    static Object up(Class<?> health, Map<String, Object> details) {
      try {
        Object builder = health.getMethod("up").invoke(null);
        builder = builder.getClass().getMethod("withDetails", Map.class).invoke(builder, details);
        return builder.getClass().getMethod("build").invoke(builder);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("could not build the catchup health: " + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(health.getName() + " is not the Health this starter knows: "
            + "this Spring Boot version is not supported (" + e + ")", e);
      }
    }
  }
}
