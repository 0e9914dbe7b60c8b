package dev.catchup.background;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closing trackers: all are told to stop before any is waited for, within one shared budget. */
class StopAllTest {
  /** A component whose threads end only some time after it is told to stop; records the calls. */
  private static final class Slow implements Background {
    final String name;
    final List<String> calls;
    final boolean stops;
    Duration waitedWith;

    Slow(String name, List<String> calls, boolean stops) {
      this.name = name;
      this.calls = calls;
      this.stops = stops;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void requestStop() {
      calls.add("stop " + name);
    }

    @Override
    public boolean awaitStop(Duration within) {
      calls.add("await " + name);
      waitedWith = within;
      return stops;
    }
  }

  @Test
  void stopAll_requestsEveryStop_beforeAwaitingAny() {
    List<String> calls = new ArrayList<>();
    List<Slow> all = List.of(new Slow("a", calls, true), new Slow("b", calls, true),
        new Slow("c", calls, true));
    List<String> left = Background.stopAll(all, Duration.ofSeconds(8));
    assertThat(left).isEmpty();
    // Stopping one after another (tell a, wait for a, tell b, ...) made a close of N hung servers
    // take N times the wait of one.
    assertThat(calls).containsExactly("stop a", "stop b", "stop c", "await a", "await b", "await c");
  }

  @Test
  void stopAll_sharesOneDeadline_andNamesWhatDidNotStop() {
    List<String> calls = new ArrayList<>();
    Slow a = new Slow("a", calls, false);
    Slow b = new Slow("b", calls, true);
    List<String> left = Background.stopAll(List.of(a, b), Duration.ofSeconds(8));
    assertThat(left).containsExactly("a");
    assertThat(a.waitedWith).isLessThanOrEqualTo(Duration.ofSeconds(8));
    assertThat(b.waitedWith).isLessThanOrEqualTo(a.waitedWith);
  }
}
