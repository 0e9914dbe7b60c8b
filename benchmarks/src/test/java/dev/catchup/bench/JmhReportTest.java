package dev.catchup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JmhReportTest {
  @Test
  void header_saysCommandStartAndDuration_likeTheOtherResultsFiles() {
    Instant started = Instant.parse("2026-12-05T12:19:13.141883187Z");
    assertThat(JmhReport.header("Hot paths (JMH)", "scripts/bench-jmh.sh -wi 1", started,
        started.plusSeconds(212).plusMillis(700)))
        .isEqualTo("# Hot paths (JMH)\n\nWritten by `scripts/bench-jmh.sh -wi 1` on "
            + "2026-12-05T12:19:13Z (212 s).\n\n");
  }
}
