package dev.catchup.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseSubscriberTest {

  private static String key(String line) {
    byte[] b = (line + "   trailing bytes past the line's length").getBytes(StandardCharsets.UTF_8);
    return SseSubscriber.key(b, line.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void key_statusEvent_isNameAndVersion() {
    assertThat(key("data: {\"name\":\"replica1\",\"state\":\"UP\",\"topology\":{\"name\":\"x\"},"
        + "\"version\":42}")).isEqualTo("replica1#42");
  }

  @Test
  void key_versionAtTheEndOfTheLine_stopsAtTheLength() {
    assertThat(key("data: {\"name\":\"primary\",\"version\":7")).isEqualTo("primary#7");
  }

  @Test
  void key_lineWithoutNameOrVersion_isUnknown() {
    assertThat(key("data: {\"state\":\"UP\"}")).isEqualTo("?");
  }
}
