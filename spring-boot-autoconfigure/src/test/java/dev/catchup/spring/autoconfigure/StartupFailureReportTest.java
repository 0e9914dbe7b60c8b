package dev.catchup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What a person starting a misconfigured application reads: Boot's failure report (from the
 * analyzer registered in {@code META-INF/spring.factories}) naming the property, not a stack trace
 * to dig through.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {
  @Test
  void start_maxWaitOutOfRange_reportNamesThePropertyAndTheRule(CapturedOutput output) {
    SpringApplicationBuilder app = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("spring.main.banner-mode=off",
            "catchup.flavor=mysql",
            "catchup.primary.url=jdbc:mysql://127.0.0.1:9/shop",
            "catchup.replicas[0].name=replica1",
            "catchup.replicas[0].url=jdbc:mysql://127.0.0.1:9/shop",
            "catchup.username=app",
            "catchup.password=secret",
            "catchup.max-wait=2h");
    assertThrows(Exception.class, app::run);
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("The Catchup data source could not be configured: catchup.max-wait: "
            + "maxWait must be between PT0S and PT1H, was PT2H")
        .contains("Set catchup.max-wait correctly")
        .doesNotContain("secret");
  }

  @Test
  void start_nothingConfigured_reportNamesTheFirstMissingProperty(CapturedOutput output) {
    SpringApplicationBuilder app = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("spring.main.banner-mode=off");
    assertThrows(Exception.class, app::run);
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("catchup.flavor: flavor is required");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
