package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  @Test
  void of_nothingGiven_text() {
    assertThat(LogFormat.of(null, Map.of())).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void of_variable_json() {
    assertThat(LogFormat.of(null, Map.of(LogFormat.VARIABLE, "JSON"))).isEqualTo(LogFormat.JSON);
  }

  @Test
  void of_flagAndVariable_flagWins() {
    assertThat(LogFormat.of("text", Map.of(LogFormat.VARIABLE, "json"))).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void of_unknownFlag_throwsNamingOptionValueAndRule() {
    ConfigException e = assertThrows(ConfigException.class, () -> LogFormat.of("xml", Map.of()));
    assertThat(e.getMessage()).isEqualTo("--log-format must be text or json, was 'xml'");
  }

  @Test
  void of_unknownVariable_throwsNamingVariable() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LogFormat.of(null, Map.of(LogFormat.VARIABLE, "yaml")));
    assertThat(e.getMessage())
        .isEqualTo("CATCHUP_MONITOR_LOG_FORMAT must be text or json, was 'yaml'");
  }

  @Test
  void apply_json_pointsLogbackAtTheJsonConfiguration_unlessTheJvmNamedOne() {
    String before = System.getProperty(LogFormat.LOGBACK_CONFIGURATION);
    try {
      System.clearProperty(LogFormat.LOGBACK_CONFIGURATION);
      LogFormat.JSON.apply();
      assertThat(System.getProperty(LogFormat.LOGBACK_CONFIGURATION)).isEqualTo("logback-json.xml");

      System.setProperty(LogFormat.LOGBACK_CONFIGURATION, "/etc/catchup/logback.xml");
      LogFormat.JSON.apply();
      assertThat(System.getProperty(LogFormat.LOGBACK_CONFIGURATION))
          .isEqualTo("/etc/catchup/logback.xml");

      System.clearProperty(LogFormat.LOGBACK_CONFIGURATION);
      LogFormat.TEXT.apply();
      assertThat(System.getProperty(LogFormat.LOGBACK_CONFIGURATION)).isNull();
    } finally {
      if (before == null) {
        System.clearProperty(LogFormat.LOGBACK_CONFIGURATION);
      } else {
        System.setProperty(LogFormat.LOGBACK_CONFIGURATION, before);
      }
    }
  }

  @Test
  void environmentSettings_acceptTheLogFormatVariable() {
    // It is no key of the file: accepted (not an unknown variable), and nothing applied.
    assertThat(EnvironmentSettings.apply(new com.fasterxml.jackson.databind.ObjectMapper()
        .createObjectNode(), Map.of(LogFormat.VARIABLE, "json"))).isEmpty();
  }
}
