package dev.catchup.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.catchup.sdk.CatchupDataSource;
import dev.catchup.sdk.ConsistencyToken;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Driver;
import java.sql.DriverManager;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The filter and the interceptor hold a {@link CatchupBaggage} field, and OpenTelemetry is an
 * optional dependency: with baggage off they must load and run in an application without it. Run in
 * a class loader of the test class path less every OpenTelemetry jar.
 */
class WithoutOpenTelemetryTest {
  @Test
  void filterAndInterceptor_noOpenTelemetryOnTheClassPath_loadAndPropagate() throws Exception {
    List<URL> urls = new ArrayList<>();
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !entry.contains("opentelemetry")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class,
          () -> loader.loadClass("io.opentelemetry.api.baggage.Baggage"));
      @SuppressWarnings("unchecked")
      Callable<String> probe = (Callable<String>) loader.loadClass(Probe.class.getName())
          .getDeclaredConstructor().newInstance();
      assertThat(probe.call()).isEqualTo("200 " + Fixtures.TOKEN);
    }
  }

  /** Runs inside the loader: the filter takes a header in, the interceptor sends it on. */
  public static final class Probe implements Callable<String> {
    @Override
    public String call() throws Exception {
      // DriverManager hands a caller only drivers of its own class loader: register this one's.
      Class<?> driverType = Class.forName("com.mysql.cj.jdbc.Driver");
      try (CatchupDataSource ds = Fixtures.dataSource()) {
        MockHttpServletRequest in = new MockHttpServletRequest("GET", "/x");
        in.addHeader(ConsistencyToken.HEADER, Fixtures.TOKEN);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockClientHttpRequest out = new MockClientHttpRequest(HttpMethod.GET, URI.create("http://b/x"));
        CatchupTokenInterceptor interceptor = new CatchupTokenInterceptor(ds, ConsistencyToken.HEADER);
        new CatchupTokenFilter(ds, ConsistencyToken.HEADER).doFilter(in, response,
            new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void service(jakarta.servlet.http.HttpServletRequest req,
                  jakarta.servlet.http.HttpServletResponse res) throws java.io.IOException {
                interceptor.intercept(out, new byte[0],
                    (r, body) -> new MockClientHttpResponse(new byte[0], HttpStatus.OK));
              }
            }));
        return response.getStatus() + " " + out.getHeaders().getFirst(ConsistencyToken.HEADER);
      } finally {
        for (Driver d : Collections.list(DriverManager.getDrivers())) {
          if (d.getClass() == driverType) {
            DriverManager.deregisterDriver(d);
          }
        }
      }
    }
  }
}
