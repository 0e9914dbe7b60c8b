package dev.catchup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The metadata IDEs read: generated from {@link CatchupProperties}, merged with the hints. */
class ConfigurationMetadataTest {
  @Test
  void metadata_generated_namesEveryPropertyAndTheHints() throws Exception {
    String json;
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("spring-configuration-metadata.json on the class path").isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String p : new String[] {"catchup.flavor", "catchup.primary.url", "catchup.primary.name",
        "catchup.replicas", "catchup.username", "catchup.password", "catchup.consistency",
        "catchup.read-policy", "catchup.max-wait", "catchup.monitors", "catchup.monitor-token",
        "catchup.monitor-max-staleness", "catchup.pool.size", "catchup.pool.connect-timeout",
        "catchup.pool.replica-connect-timeout", "catchup.topology-check-interval",
        "catchup.reads-on-primary", "catchup.propagation.header-name", "catchup.propagation.enabled",
        "catchup.propagation.baggage.enabled",
        "catchup.max-primary-fallbacks-per-second"}) {
      assertThat(json).contains("\"name\": \"" + p + "\"");
    }
    assertThat(json).contains("\"defaultValue\": \"Catchup-Token\"")
        .contains("\"value\": \"wait-then-fallback\"").contains("\"value\": \"mariadb\"");
  }
}
