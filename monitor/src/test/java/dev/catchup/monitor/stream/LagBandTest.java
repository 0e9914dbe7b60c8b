package dev.catchup.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The lag bands whose crossing sends a stream event (moved here from the HTTP layer's StreamTest). */
class LagBandTest {
  @Test
  void lagBands_changeOnlyAtTheirEdges() {
    assertThat(StreamBroadcaster.lagBand(null)).isEqualTo(-1);
    assertThat(StreamBroadcaster.lagBand(0.0)).isZero();
    assertThat(StreamBroadcaster.lagBand(0.001)).isEqualTo(StreamBroadcaster.lagBand(0.05));
    assertThat(StreamBroadcaster.lagBand(0.051)).isEqualTo(StreamBroadcaster.lagBand(0.5));
    assertThat(StreamBroadcaster.lagBand(0.6)).isEqualTo(StreamBroadcaster.lagBand(2.0));
    assertThat(StreamBroadcaster.lagBand(2.1)).isEqualTo(StreamBroadcaster.lagBand(10.0));
    assertThat(StreamBroadcaster.lagBand(10.1)).isEqualTo(StreamBroadcaster.lagBand(3600.0));
    assertThat(List.of(0.0, 0.01, 0.1, 1.0, 5.0, 20.0)).extracting(StreamBroadcaster::lagBand)
        .doesNotHaveDuplicates();
  }
}
