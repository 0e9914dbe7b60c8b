package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A session's last write on an injected ticker, and routing's age rule on it, without sleeping. */
class SessionStateTest {
  private static final GtidSet WRITE =
      GtidSet.parse(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10");
  private static final ReadOptions OPTIONS = new ReadOptions(Consistency.READ_YOUR_WRITES,
      ReadPolicy.FALLBACK_TO_PRIMARY, Duration.ofSeconds(1));

  @Test
  void lastWriteNanos_noWriteYet_isLongAgo() {
    AtomicLong now = new AtomicLong(42);
    SessionState state = new SessionState(Flavor.MYSQL, OPTIONS, now::get);
    assertThat(now.get() - state.lastWriteNanos()).isGreaterThan(Duration.ofDays(10_000).toNanos());
    assertThat(read(WRITE, WRITE, state.lastWriteNanos()).young(now.get())).isFalse();
  }

  @Test
  void lastWriteNanos_isTheTickersReadingAtTheWrite_andYoungForTheTrailOnly() {
    AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime readings may be negative
    SessionState state = new SessionState(Flavor.MYSQL, OPTIONS, now::get);
    state.recordWrite(WRITE);
    assertThat(state.lastWriteNanos()).isEqualTo(-5_000_000_000L);

    now.addAndGet(RoutingDecision.MONITOR_TRAIL_NANOS - 1);
    assertThat(read(WRITE, state.written().gtids(), state.lastWriteNanos()).young(now.get()))
        .isTrue();
    now.addAndGet(1);
    assertThat(read(WRITE, state.written().gtids(), state.lastWriteNanos()).young(now.get()))
        .isFalse();
  }

  /** A read of {@code required} by a session that wrote {@code written}, last at {@code lastWrite}. */
  private static RoutingDecision.Read read(GtidSet required, GtidSet written, long lastWrite) {
    return new RoutingDecision.Read(Consistency.READ_YOUR_WRITES, ReadPolicy.WAIT,
        Duration.ofSeconds(1), required, written, lastWrite);
  }
}
