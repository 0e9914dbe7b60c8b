package dev.catchup.spring.autoconfigure;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.spring.propagation.CatchupBaggage;
import dev.catchup.spring.propagation.CatchupExchangeFilter;
import dev.catchup.spring.propagation.CatchupHeaders;
import dev.catchup.spring.propagation.CatchupTokenFilter;
import dev.catchup.spring.propagation.CatchupTokenInterceptor;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Token propagation for the application's {@link CatchupDataSource} (the auto-configured one or
 * the application's own), with no application code: the request filter, the token on outgoing
 * {@code RestClient}, {@code RestTemplate} and {@code WebClient} requests (through Boot's customizers,
 * so every builder Boot hands out has it), and {@link CatchupHeaders} for messages; with
 * {@code catchup.propagation.baggage.enabled=true}, W3C baggage too. Off with
 * {@code catchup.propagation.enabled=false}.
 */
@AutoConfiguration(after = CatchupDataSourceAutoConfiguration.class)
@ConditionalOnClass(CatchupDataSource.class)
@ConditionalOnSingleCandidate(CatchupDataSource.class)
@ConditionalOnProperty(prefix = "catchup.propagation", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(CatchupProperties.class)
public class CatchupPropagationAutoConfiguration {
  /** Runs before filters that may use the database (Spring Security's runs at -100). */
  public static final int FILTER_ORDER = -110;
  static final String W3C_BAGGAGE = "io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator";

  /** Message headers. */
  @Bean
  @ConditionalOnMissingBean
  public CatchupHeaders catchupHeaders(CatchupDataSource dataSource, CatchupProperties properties) {
    return headerNamed(properties, name -> new CatchupHeaders(dataSource, name));
  }

  /** The filter's and interceptors' header name is checked where each is made. */
  static <T> T headerNamed(CatchupProperties properties, Function<String, T> make) {
    try {
      return make.apply(properties.getPropagation().getHeaderName());
    } catch (IllegalArgumentException e) {
      throw new CatchupConfigurationException("catchup.propagation.header-name", e.getMessage(), e);
    }
  }

  /** W3C baggage, on request: off by default, since baggage reaches every downstream service. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "catchup.propagation.baggage", name = "enabled")
  @ConditionalOnClass(name = W3C_BAGGAGE)
  static class BaggageConfiguration {
    @Bean
    @ConditionalOnMissingBean
    CatchupBaggage catchupBaggage() {
      return new CatchupBaggage();
    }
  }

  /** Baggage asked for without OpenTelemetry: the start fails, naming the property. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "catchup.propagation.baggage", name = "enabled")
  @ConditionalOnMissingClass(W3C_BAGGAGE)
  static class BaggageWithoutOpenTelemetry {
    BaggageWithoutOpenTelemetry() {
      throw new CatchupConfigurationException("catchup.propagation.baggage.enabled",
          "W3C baggage needs io.opentelemetry:opentelemetry-api on the class path (" + W3C_BAGGAGE
              + " is missing)", null);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = {"org.springframework.web.filter.OncePerRequestFilter",
      "jakarta.servlet.Filter"})
  static class ServletFilterConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "catchupTokenFilter")
    FilterRegistrationBean<CatchupTokenFilter> catchupTokenFilter(CatchupDataSource dataSource,
        CatchupProperties properties, ObjectProvider<CatchupBaggage> baggage) {
      FilterRegistrationBean<CatchupTokenFilter> registration = new FilterRegistrationBean<>(
          headerNamed(properties,
              name -> new CatchupTokenFilter(dataSource, name, baggage.getIfAvailable())));
      registration.setOrder(FILTER_ORDER);
      return registration;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  @Import(RestCustomizers.class)
  static class RestClientConfiguration {
    @Bean
    @ConditionalOnMissingBean
    CatchupTokenInterceptor catchupTokenInterceptor(CatchupDataSource dataSource,
        CatchupProperties properties, ObjectProvider<CatchupBaggage> baggage) {
      return headerNamed(properties,
          name -> new CatchupTokenInterceptor(dataSource, name, baggage.getIfAvailable()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  @Import(WebClientCustomizers.class)
  static class WebClientConfiguration {
    @Bean
    @ConditionalOnMissingBean
    CatchupExchangeFilter catchupExchangeFilter(CatchupDataSource dataSource,
        CatchupProperties properties, ObjectProvider<CatchupBaggage> baggage) {
      return headerNamed(properties,
          name -> new CatchupExchangeFilter(dataSource, name, baggage.getIfAvailable()));
    }
  }

  /** Registers Boot's customizer beans under whichever Boot line's names are present. */
  abstract static class Customizers
      implements ImportBeanDefinitionRegistrar, BeanFactoryAware, BeanClassLoaderAware {
    BeanFactory beanFactory;
    ClassLoader classLoader;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
    }

    void register(BeanDefinitionRegistry registry, String beanName, List<String> names,
        Supplier<Function<Object[], Object>> body) {
      MovedBootTypes.register(registry, classLoader, beanName, names, body);
    }
  }

  static final class RestCustomizers extends Customizers {
    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      register(registry, "catchupRestClientCustomizer", MovedBootTypes.REST_CLIENT_CUSTOMIZER, () -> {
        CatchupTokenInterceptor interceptor = beanFactory.getBean(CatchupTokenInterceptor.class);
        return args -> {
          ((RestClient.Builder) args[0]).requestInterceptor(interceptor);
          return null;
        };
      });
      register(registry, "catchupRestTemplateCustomizer", MovedBootTypes.REST_TEMPLATE_CUSTOMIZER, () -> {
        CatchupTokenInterceptor interceptor = beanFactory.getBean(CatchupTokenInterceptor.class);
        return args -> {
          ((RestTemplate) args[0]).getInterceptors().add(interceptor);
          return null;
        };
      });
    }
  }

  static final class WebClientCustomizers extends Customizers {
    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      register(registry, "catchupWebClientCustomizer", MovedBootTypes.WEB_CLIENT_CUSTOMIZER, () -> {
        CatchupExchangeFilter filter = beanFactory.getBean(CatchupExchangeFilter.class);
        return args -> {
          ((WebClient.Builder) args[0]).filter(filter);
          return null;
        };
      });
    }
  }
}
