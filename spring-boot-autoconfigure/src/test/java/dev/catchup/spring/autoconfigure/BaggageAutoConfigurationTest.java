package dev.catchup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.spring.propagation.CatchupBaggage;
import dev.catchup.spring.propagation.CatchupTokenFilter;
import dev.catchup.spring.propagation.CatchupTokenInterceptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;

/**
 * {@code catchup.propagation.baggage.enabled} in a Spring context: off by default, on only with
 * OpenTelemetry's API, and end to end from Boot's {@code RestClient.Builder} to the request filter
 * of another context.
 */
class BaggageAutoConfigurationTest {
  private static final String URL = "jdbc:mysql://127.0.0.1:9/shop"; // closed port
  private static final String TOKEN = "mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57,"
      + "4a2b6c00-1111-11e1-9e33-c80aa9429562:1-9:orders:1-4";

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CatchupDataSourceAutoConfiguration.class,
          CatchupPropagationAutoConfiguration.class))
      .withPropertyValues("catchup.flavor=mysql", "catchup.primary.url=" + URL,
          "catchup.replicas[0].name=db2", "catchup.replicas[0].url=" + URL,
          "catchup.username=app", "catchup.password=secret");

  @Test
  void baggage_default_off() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(CatchupBaggage.class);
      assertThat(sent(context).getFirst("baggage")).isNull();
    });
  }

  @Test
  void baggage_enabled_restClientSendsItAndTheFilterOfAnotherServiceReadsIt() {
    runner.withPropertyValues("catchup.propagation.baggage.enabled=true").run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(CatchupBaggage.class);
      HttpHeaders sent = sent(context);
      assertThat(sent.getFirst("baggage")).startsWith(CatchupBaggage.KEY + "=").contains("%2C");

      // The next service behind a proxy that forwards baggage but drops the Catchup-Token header.
      runner.withPropertyValues("catchup.propagation.baggage.enabled=true").run(next -> {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/invoices/1");
        request.addHeader("baggage", sent.getFirst("baggage"));
        List<ConsistencyToken> seen = new ArrayList<>();
        CatchupDataSource ds = next.getBean(CatchupDataSource.class);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter(next).doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
          private static final long serialVersionUID = 1L;

          @Override
          protected void service(jakarta.servlet.http.HttpServletRequest req,
              jakarta.servlet.http.HttpServletResponse res) {
            seen.add(ds.currentSession().token());
          }
        }));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(seen).containsExactly(ConsistencyToken.decode(TOKEN));
      });
    });
  }

  @Test
  void baggage_enabledWithoutOpenTelemetry_failsNamingTheProperty() {
    runner.withPropertyValues("catchup.propagation.baggage.enabled=true")
        .withClassLoader(new FilteredClassLoader("io.opentelemetry"))
        .run(context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis = new CatchupFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription())
              .contains("catchup.propagation.baggage.enabled: W3C baggage needs "
                  + "io.opentelemetry:opentelemetry-api on the class path");
        });
  }

  @Test
  void baggage_offWithoutOpenTelemetry_startsAsUsual() {
    runner.withClassLoader(new FilteredClassLoader("io.opentelemetry")).run(context -> {
      assertThat(context).hasNotFailed().hasBean("catchupTokenFilter")
          .hasSingleBean(CatchupTokenInterceptor.class).doesNotHaveBean(CatchupBaggage.class);
    });
  }

  /** The headers a RestClient from the customized builder sends with the token bound. */
  private static HttpHeaders sent(ApplicationContext context) throws Exception {
    RestClient.Builder builder = RestClient.builder();
    Object customizer = context.getBean("catchupRestClientCustomizer");
    for (Method m : customizer.getClass().getInterfaces()[0].getMethods()) {
      if (m.getName().equals("customize")) {
        m.invoke(customizer, builder);
      }
    }
    MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
    HttpHeaders[] headers = new HttpHeaders[1];
    server.expect(requestTo("http://billing/invoices/1")).andExpect(r -> headers[0] = r.getHeaders())
        .andRespond(withSuccess());
    CatchupDataSource ds = context.getBean(CatchupDataSource.class);
    try (var scope = ds.bind(ds.newSession().observe(TOKEN))) {
      builder.build().get().uri("http://billing/invoices/1").retrieve().toBodilessEntity();
    }
    server.verify();
    return headers[0];
  }

  private static CatchupTokenFilter filter(ApplicationContext context) {
    return (CatchupTokenFilter) context.getBean("catchupTokenFilter", FilterRegistrationBean.class)
        .getFilter();
  }
}
