package dev.catchup.background;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.catchup.retry.Backoff;
import dev.catchup.testkit.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RunLoopTest {
  @RegisterExtension
  final LogCapture logs = LogCapture.of(Recording.class, Level.INFO);

  /** Records its lifecycle; its rounds block until stopped, or fail while {@code failures} last. */
  private static final class Recording extends RunLoop {
    final List<String> calls = new ArrayList<>(); // guarded by itself
    final CountDownLatch working = new CountDownLatch(1);
    final CountDownLatch recovered = new CountDownLatch(1);
    volatile int failures;

    Recording(int failures) {
      this(failures, null);
    }

    Recording(int failures, org.slf4j.Logger log) {
      super("test-loop", "test-loop-thread", "test", new Backoff(Duration.ofMillis(1),
          Duration.ofMillis(2)), Clock.systemUTC(), log);
      this.failures = failures;
    }

    private void record(String call) {
      synchronized (calls) {
        calls.add(call);
      }
    }

    List<String> calls() {
      synchronized (calls) {
        return List.copyOf(calls);
      }
    }

    @Override
    protected void beforeStart() {
      record("beforeStart");
    }

    @Override
    protected void work() throws InterruptedException {
      if (failures > 0) {
        failures--;
        throw new IllegalStateException("round failed, " + failures + " more to go");
      }
      if (recovered.getCount() > 0) {
        record("work, last failure " + lastFailure());
        recovered.countDown();
        return; // the round after this one sees lastFailure() cleared
      }
      working.countDown();
      Thread.sleep(TimeUnit.MINUTES.toMillis(1)); // blocks until requestStop() interrupts it
    }

    @Override
    protected void onStopRequested() {
      record("onStopRequested");
    }

    @Override
    protected void afterStop() {
      record("afterStop");
    }
  }

  @Test
  void runLoop_stopRequestedWhileWorking_runsTheLifecycleInOrder_andStops() throws Exception {
    Recording loop = new Recording(0);
    loop.start();
    assertThat(loop.working.await(10, TimeUnit.SECONDS)).isTrue();

    loop.requestStop();

    assertThat(loop.awaitStop(Duration.ofSeconds(10))).isTrue();
    assertThat(loop.calls()).containsExactly("beforeStart", "work, last failure null",
        "onStopRequested", "afterStop");
  }

  @Test
  void runLoop_failingRounds_backOff_logTheStackTraceOncePerStreak_andOneLineOnRecovery() throws Exception {
    Recording loop = new Recording(10);
    runUntilRecovered(loop);
    List<ILoggingEvent> warnings = logs.events(Level.WARN);
    List<ILoggingEvent> infos = logs.events(Level.INFO);
    // Ten quick failures are one streak: one warning with the trace, then silence (the reminder
    // comes once a minute at most), then one line on recovery.
    assertThat(warnings).as("the first failure only").hasSize(1);
    assertThat(warnings.get(0).getThrowableProxy()).isNotNull();
    assertThat(warnings.get(0).getFormattedMessage()).startsWith("test-loop: test failed: "
        + "java.lang.IllegalStateException: round failed, 9 more to go; retrying in ")
        .contains("(attempt 1)");
    assertThat(infos).hasSize(1);
    assertThat(infos.get(0).getFormattedMessage())
        .startsWith("test-loop: test recovered after 10 failed attempts in ");
    // The round that recovered still saw why the previous one failed.
    assertThat(loop.calls()).contains("work, last failure java.lang.IllegalStateException: round "
        + "failed, 0 more to go");
  }

  @Test
  void runLoop_givenTheLoggerOfTheComponentItServes_logsItsFailedRoundsThere() throws Exception {
    List<ILoggingEvent> componentLines;
    try (LogCapture component = LogCapture.of("dev.catchup.test.Component", null)) {
      runUntilRecovered(new Recording(1, component.logger()));
      componentLines = component.events();
    }
    assertThat(componentLines).extracting(ILoggingEvent::getLevel)
        .containsExactly(Level.WARN, Level.INFO);
    assertThat(logs.events()).as("nothing under the loop's own class").isEmpty();
  }

  /** Starts {@code loop}, waits for the round after its failures, and stops it. */
  private static void runUntilRecovered(Recording loop) throws InterruptedException {
    loop.start();
    try {
      assertThat(loop.recovered.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      loop.requestStop();
      assertThat(loop.awaitStop(Duration.ofSeconds(10))).isTrue();
    }
  }
}
