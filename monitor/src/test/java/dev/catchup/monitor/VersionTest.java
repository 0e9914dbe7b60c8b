package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionTest {
  private static InputStream props(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void resolve_manifestVersion_wins() throws IOException {
    assertThat(Version.resolve("1.2.3", props("version=0.0.1\n"))).isEqualTo("1.2.3");
  }

  @Test
  void resolve_noManifest_readsTheProperties() throws IOException {
    assertThat(Version.resolve(null, props("version=0.4.0-SNAPSHOT\n"))).isEqualTo("0.4.0-SNAPSHOT");
  }

  @Test
  void resolve_nothingOrUnfilteredProperties_isUnknown() throws IOException {
    assertThat(Version.resolve(null, null)).isEqualTo("unknown");
    assertThat(Version.resolve(" ", props("version=${project.version}\n"))).isEqualTo("unknown");
  }

  @Test
  void current_fromClasses_isTheBuildsVersion() {
    // Surefire runs from target/classes: no manifest, so this is the version.properties fallback.
    assertThat(Version.current()).isEqualTo(System.getProperty("catchup.version"));
  }
}
