package dev.catchup.samples.spring.trace;

import dev.catchup.samples.trace.ReadTrace;
import dev.catchup.spring.autoconfigure.CatchupDataSourceBuilderCustomizer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * The demo's instrumentation, apart from the services' code: each request's reads are traced
 * with the plain shop's {@link ReadTrace} and reported in the same {@code Catchup-Read-*} headers,
 * so the same driver tallies where reads ran. With Catchup the trace comes from the SDK's metrics
 * hooks (set through the starter's customizer); on the naive split, from its routing. An
 * application leaves all of this out.
 */
@Configuration(proxyBeanMethods = false)
@Import(ReadTraceConfiguration.Headers.class)
public class ReadTraceConfiguration {

  @Bean
  OncePerRequestFilter readTraceFilter() {
    return new OncePerRequestFilter() {
      @Override
      protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
          FilterChain chain) throws ServletException, IOException {
        ReadTrace.begin();
        try {
          chain.doFilter(request, response);
        } finally {
          ReadTrace.end();
        }
      }
    };
  }

  @Bean
  CatchupDataSourceBuilderCustomizer readTraceMetrics() {
    return builder -> builder.metrics(ReadTrace.metrics());
  }

  /** Sets the headers just before the body is written (the reads are done by then). */
  @RestControllerAdvice
  static class Headers implements ResponseBodyAdvice<Object> {
    @Override
    public boolean supports(MethodParameter returnType,
        Class<? extends HttpMessageConverter<?>> converterType) {
      return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
        Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
        ServerHttpResponse response) {
      ReadTrace t = ReadTrace.current();
      if (t != null) {
        t.headers().forEach(response.getHeaders()::set);
      }
      return body;
    }
  }
}
