package dev.catchup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.Consistency;
import dev.catchup.sdk.ReadPolicy;
import dev.catchup.spring.propagation.CatchupExchangeFilter;
import dev.catchup.spring.propagation.CatchupHeaders;
import dev.catchup.spring.propagation.CatchupTokenFilter;
import dev.catchup.spring.propagation.CatchupTokenInterceptor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The auto-configuration without servers: the data source is built (its pools connect in the
 * background, to a closed port here) and inspected, never used. Boot types whose package moved in
 * 4.0 are reached by name, so this test runs on both Boot lines.
 */
class CatchupAutoConfigurationTest {
  // Port 9 (discard) is closed on loopback: the pools' background connects fail fast and quietly.
  private static final String URL = "jdbc:mysql://127.0.0.1:9/shop";
  private static final String[] VALID = {
      "catchup.flavor=mariadb",
      "catchup.primary.name=db1",
      "catchup.primary.url=" + URL,
      "catchup.replicas[0].name=db2",
      "catchup.replicas[0].url=" + URL,
      "catchup.replicas[1].name=db3",
      "catchup.replicas[1].url=" + URL,
      "catchup.username=app",
      "catchup.password=secret",
      "catchup.monitors[0]=http://127.0.0.1:9/"};

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CatchupDataSourceAutoConfiguration.class,
          CatchupPropagationAutoConfiguration.class, CatchupActuatorAutoConfiguration.class));

  @Test
  void properties_valid_bindIntoTheDataSource() {
    runner.withPropertyValues(VALID)
        .withPropertyValues("catchup.consistency=strong", "catchup.read-policy=fallback-to-primary",
            "catchup.max-wait=750ms", "catchup.pool.size=3")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
          CatchupDataSource ds = context.getBean(CatchupDataSource.class);
          assertThat(ds.flavor()).isEqualTo(Flavor.MARIADB);
          assertThat(ds.primaryName()).isEqualTo("db1");
          assertThat(ds.replicaNames()).containsExactly("db2", "db3");
          assertThat(ds.defaultReadOptions().consistency()).isEqualTo(Consistency.STRONG);
          assertThat(ds.defaultReadOptions().policy()).isEqualTo(ReadPolicy.FALLBACK_TO_PRIMARY);
          assertThat(ds.defaultReadOptions().maxWait()).isEqualTo(Duration.ofMillis(750));
          assertThat(ds.routingHealth().monitorConfigured()).isTrue();
        });
  }

  @Test
  void properties_unsetReadSettings_keepTheSdkDefaults() {
    runner.withPropertyValues(VALID).run(context -> {
      CatchupDataSource ds = context.getBean(CatchupDataSource.class);
      assertThat(ds.defaultReadOptions().consistency()).isEqualTo(Consistency.READ_YOUR_WRITES);
      assertThat(ds.defaultReadOptions().policy()).isEqualTo(ReadPolicy.WAIT_THEN_FALLBACK);
      assertThat(ds.defaultReadOptions().maxWait()).isEqualTo(Duration.ofSeconds(5));
    });
  }

  @Test
  void dataSource_userDefinesOne_backsOff() {
    runner.withPropertyValues(VALID).withUserConfiguration(OwnDataSource.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(DataSource.class);
      assertThat(context).doesNotHaveBean(CatchupDataSource.class);
      // nothing to propagate without a CatchupDataSource
      assertThat(context).doesNotHaveBean(CatchupHeaders.class);
    });
  }

  @Test
  void dataSource_disabled_isNotCreated() {
    runner.withPropertyValues("catchup.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class));
  }

  @Test
  void start_flavorMissing_failsNamingTheProperty() {
    assertStartFails(without("catchup.flavor"), "catchup.flavor", "flavor is required");
  }

  @Test
  void start_primaryMissing_failsNamingTheProperty() {
    assertStartFails(without("catchup.primary.url"), "catchup.primary.url", "primary is required");
  }

  @Test
  void start_noReplica_failsNamingTheProperty() {
    List<String> p = new ArrayList<>();
    for (String s : VALID) {
      if (!s.startsWith("catchup.replicas")) {
        p.add(s);
      }
    }
    assertStartFails(p.toArray(String[]::new), "catchup.replicas", "at least one replica");
  }

  @Test
  void start_usernameMissing_failsNamingTheProperty() {
    assertStartFails(without("catchup.username", "catchup.password"), "catchup.username",
        "credentials are required");
  }

  @Test
  void start_maxWaitTooLong_failsNamingThePropertyAndTheRule() {
    assertStartFails(with("catchup.max-wait=2h"), "catchup.max-wait",
        "maxWait must be between PT0S and PT1H, was PT2H");
  }

  @Test
  void start_replicaUrlWithPassword_failsNamingTheReplicaAndNotThePassword() {
    assertStartFails(with("catchup.replicas[1].url=jdbc:mysql://127.0.0.1:9/shop?password=hunter2"),
        "catchup.replicas[1].url", "must not carry a password");
    runner.withPropertyValues(with("catchup.replicas[1].url=jdbc:mysql://127.0.0.1:9/shop?password=hunter2"))
        .run(context -> assertThat(analysis(context).getDescription()).doesNotContain("hunter2"));
  }

  @Test
  void start_badReplicaName_failsNamingTheName() {
    assertStartFails(with("catchup.replicas[0].name=db 2"), "catchup.replicas[0].name", "must match");
  }

  @Test
  void start_replicaWithoutUrl_failsNamingIt() {
    assertStartFails(with("catchup.replicas[2].name=db4"), "catchup.replicas[2].url", "needs a name");
  }

  @Test
  void start_poolSizeZero_failsNamingTheProperty() {
    assertStartFails(with("catchup.pool.size=0"), "catchup.pool.size",
        "poolSize must be between 1 and 10000, was 0");
  }

  @Test
  void start_badMonitorUrl_failsNamingTheProperty() {
    assertStartFails(with("catchup.monitors[1]=ftp://monitor"), "catchup.monitors[1]",
        "monitor must be an http(s) URL");
  }

  @Test
  void start_badHeaderName_failsNamingTheProperty() {
    assertStartFails(with("catchup.propagation.header-name=Catchup Token"),
        "catchup.propagation.header-name", "must be an HTTP header name");
  }

  @Test
  void start_unknownFlavor_failsInBindingNamingTheProperty() {
    runner.withPropertyValues(with("catchup.flavor=oracle")).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("oracle");
      assertThat(context.getStartupFailure()).hasMessageContaining("catchup");
    });
  }

  @Test
  void propagation_servletApplication_registersTheFilterFirst() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CatchupDataSourceAutoConfiguration.class,
            CatchupPropagationAutoConfiguration.class))
        .withPropertyValues(VALID)
        .run(context -> {
          assertThat(context).hasNotFailed().hasBean("catchupTokenFilter");
          FilterRegistrationBean<?> registration = context.getBean("catchupTokenFilter",
              FilterRegistrationBean.class);
          assertThat(registration.getFilter()).isInstanceOf(CatchupTokenFilter.class);
          assertThat(registration.getOrder()).isLessThan(-100);
        });
  }

  @Test
  void propagation_notAWebApplication_registersNoFilter() {
    runner.withPropertyValues(VALID).run(context -> {
      assertThat(context).doesNotHaveBean("catchupTokenFilter");
      assertThat(context).hasSingleBean(CatchupHeaders.class);
    });
  }

  @Test
  void propagation_disabled_registersNothing() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CatchupDataSourceAutoConfiguration.class,
            CatchupPropagationAutoConfiguration.class))
        .withPropertyValues(with("catchup.propagation.enabled=false"))
        .run(context -> {
          assertThat(context).doesNotHaveBean("catchupTokenFilter");
          assertThat(context).doesNotHaveBean(CatchupTokenInterceptor.class);
          assertThat(context).doesNotHaveBean("catchupRestClientCustomizer");
        });
  }

  @Test
  void propagation_userBuiltCatchupDataSource_isPropagatedToo() {
    runner.withUserConfiguration(OwnCatchupDataSource.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(CatchupDataSource.class);
      assertThat(context).hasSingleBean(CatchupHeaders.class).hasSingleBean(CatchupTokenInterceptor.class);
    });
  }

  @Test
  void customizers_restClientAndRestTemplate_getTheInterceptor() {
    runner.withPropertyValues(VALID).run(context -> {
      CatchupTokenInterceptor interceptor = context.getBean(CatchupTokenInterceptor.class);

      RestClient.Builder restClient = RestClient.builder();
      customize(context, "catchupRestClientCustomizer", restClient);
      List<ClientHttpRequestInterceptor> seen = new ArrayList<>();
      restClient.requestInterceptors(seen::addAll);
      assertThat(seen).containsExactly(interceptor);

      RestTemplate restTemplate = new RestTemplate();
      customize(context, "catchupRestTemplateCustomizer", restTemplate);
      assertThat(restTemplate.getInterceptors()).containsExactly(interceptor);
    });
  }

  @Test
  void customizers_webClient_getsTheExchangeFilter() {
    runner.withPropertyValues(VALID).run(context -> {
      WebClient.Builder webClient = WebClient.builder();
      customize(context, "catchupWebClientCustomizer", webClient);
      List<ExchangeFilterFunction> seen = new ArrayList<>();
      webClient.filters(seen::addAll);
      assertThat(seen).containsExactly(context.getBean(CatchupExchangeFilter.class));
    });
  }

  @Test
  void customizers_noWebFlux_noWebClientCustomizer() {
    runner.withPropertyValues(VALID).withClassLoader(new FilteredClassLoader(WebClient.class))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean("catchupWebClientCustomizer");
          assertThat(context).doesNotHaveBean(CatchupExchangeFilter.class);
          assertThat(context).hasBean("catchupRestClientCustomizer");
        });
  }

  @Test
  void actuator_present_healthIsUpWithTheRoutingDetails() {
    runner.withPropertyValues(VALID).run(context -> {
      Object indicator = context.getBean("catchupHealthIndicator");
      assertThat(MovedBootTypes.present(MovedBootTypes.HEALTH_INDICATOR, getClass().getClassLoader()))
          .hasValueSatisfying(type -> assertThat(type).isInstanceOf(Class.class)
              .satisfies(t -> assertThat(((Class<?>) t).isInstance(indicator)).isTrue()));
      Object health = indicator.getClass().getMethod("health").invoke(indicator);
      Object status = health.getClass().getMethod("getStatus").invoke(health);
      assertThat(status.getClass().getMethod("getCode").invoke(status)).isEqualTo("UP");
      @SuppressWarnings("unchecked")
      Map<String, Object> details = (Map<String, Object>) health.getClass().getMethod("getDetails")
          .invoke(health);
      assertThat(details).containsEntry("mode", "direct").containsEntry("flavor", "MARIADB")
          .containsEntry("primary", "db1").containsEntry("replicas", List.of("db2", "db3"))
          .containsEntry("monitors", List.of("http://127.0.0.1:9/"))
          .containsKey("reason");

      Info.Builder info = new Info.Builder();
      context.getBean("catchupInfoContributor", InfoContributor.class).contribute(info);
      assertThat(info.build().getDetails()).containsKey("catchup");
    });
  }

  @Test
  void actuator_absent_noHealthNorInfo() {
    runner.withPropertyValues(VALID)
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
            "org.springframework.boot.health"))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(CatchupDataSource.class);
          assertThat(context).doesNotHaveBean("catchupHealthIndicator");
          assertThat(context).doesNotHaveBean("catchupInfoContributor");
        });
  }

  private void assertStartFails(String[] properties, String property, String rule) {
    runner.withPropertyValues(properties).run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = analysis(context);
      assertThat(analysis.getDescription()).contains(property + ": ").contains(rule);
      assertThat(analysis.getAction()).contains("Set " + property);
      assertThat(analysis.getDescription()).doesNotContain("secret");
    });
  }

  private static FailureAnalysis analysis(
      org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
    FailureAnalysis analysis = new CatchupFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
    return analysis;
  }

  private static void customize(ApplicationContext context, String beanName, Object target)
      throws Exception {
    Object customizer = context.getBean(beanName);
    Method customize = null;
    for (Method m : customizer.getClass().getInterfaces()[0].getMethods()) {
      if (m.getName().equals("customize")) {
        customize = m;
      }
    }
    assertThat(customize).as("customize method of %s", beanName).isNotNull();
    customize.invoke(customizer, target);
  }

  private static String[] without(String... names) {
    List<String> p = new ArrayList<>();
    outer:
    for (String s : VALID) {
      for (String n : names) {
        if (s.startsWith(n + "=")) {
          continue outer;
        }
      }
      p.add(s);
    }
    return p.toArray(String[]::new);
  }

  private static String[] with(String extra) {
    List<String> p = new ArrayList<>(List.of(VALID));
    p.add(extra);
    return p.toArray(String[]::new);
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnDataSource {
    @Bean
    DataSource myDataSource() {
      return new SimpleDriverDataSource();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnCatchupDataSource {
    @Bean(destroyMethod = "close")
    CatchupDataSource myDataSource() {
      return CatchupDataSource.builder().flavor(Flavor.MYSQL).primary(URL).replica("r1", URL)
          .credentials("app", "secret").build();
    }
  }
}
