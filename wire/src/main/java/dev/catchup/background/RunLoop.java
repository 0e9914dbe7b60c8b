package dev.catchup.background;

import dev.catchup.retry.Backoff;
import dev.catchup.retry.RetryStreak;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of every background thread of the monitor (binlog feeds, trackers, the heartbeat
 * writer, the stream broadcaster) and of the SDK, after Maxwell's run-loop: {@link #beforeStart()}
 * once, {@link #work()} until stopped, {@link #afterStop()} once, all on the loop's own daemon
 * thread; {@link #requestStop()} and {@link #awaitStop} from any thread, so that many loops stop in
 * parallel (see {@link Background#stopAll}).
 *
 * <p>A {@link RuntimeException} from {@code work()} is a bug or an unexpected state, not a server
 * problem: it is retried as a {@link RetryStreak} says (its stack trace once per streak of
 * failures, then a "still failing" count at most once a minute, one line on recovery), the loop
 * waiting on its {@link Backoff} before the next round, never spinning. The logs go to the
 * subclass's logger, or to the one it names. An interrupt stops the loop.
 *
 * <p>A loop that retries something of its own (a reconnect) gives that its own {@link RetryStreak}
 * and waits with {@link #pause}, which a stop request ends at once:
 *
 * <pre>{@code
 * protected void work() {
 *   try {
 *     followTheStream(); // returns when the stream ends
 *     reconnects.recovered();
 *   } catch (IOException e) {
 *     pause(reconnects.failed(e, null)); // "...; retrying in 412 ms (attempt 3)"
 *   }
 * }
 * protected void onStopRequested() { closeTheStream(); } // what an interrupt cannot end
 * }</pre>
 */
public abstract class RunLoop implements Background {
  private final String name;
  private final RetryStreak failures; // loop thread only
  private final Thread thread;
  private volatile boolean running = true;
  private String lastFailure; // loop thread only

  /**
   * @param name what the loop works for, starting each of its log lines; also {@link #name()}
   *     unless overridden
   * @param threadName the loop thread's name
   * @param errorKind how a failed round is called in the logs ("tracker", "stream broadcast")
   * @param failures the back-off between failed rounds
   * @param clock the time of failed rounds, for the streak's reminders and its length
   */
  protected RunLoop(String name, String threadName, String errorKind, Backoff failures,
      Clock clock) {
    this(name, threadName, errorKind, failures, clock, null);
  }

  /**
   * As {@link #RunLoop(String, String, String, Backoff, Clock)}, logging to {@code log}: for a
   * loop that is one part of a component whose lines operators find under the component's logger.
   */
  protected RunLoop(String name, String threadName, String errorKind, Backoff failures,
      Clock clock, Logger log) {
    this.name = Objects.requireNonNull(name, "name");
    this.failures = new RetryStreak(name + ": " + Objects.requireNonNull(errorKind, "errorKind"),
        clock, failures, log != null ? log : LoggerFactory.getLogger(getClass()));
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  /** Starts the loop thread. */
  public void start() {
    thread.start();
  }

  /** Once, on the loop thread, before the first {@link #work()}. */
  protected void beforeStart() throws InterruptedException {}

  /** One round. Returns to be called again (unless stopped); blocks at most until stopped. */
  protected abstract void work() throws InterruptedException;

  /** Once, on the loop thread, after the last round: release what the loop held. */
  protected void afterStop() {}

  /**
   * Called by {@link #requestStop()} on the caller's thread, after the loop is marked stopping and
   * before its thread is interrupted: close what the loop blocks on that an interrupt cannot end.
   */
  protected void onStopRequested() {}

  /** Whether no stop was requested. */
  protected final boolean isRunning() {
    return running;
  }

  /** Why the last round failed while failures last; null after a round that worked. */
  protected final String lastFailure() {
    return lastFailure;
  }

  /** Waits {@code d} unless stopped first; false when the loop is stopping. */
  protected final boolean pause(Duration d) {
    if (!running) {
      return false;
    }
    try {
      Thread.sleep(Math.max(0, d.toMillis()));
      return running;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return false;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void requestStop() {
    running = false;
    onStopRequested();
    thread.interrupt();
  }

  @Override
  public boolean awaitStop(Duration within) throws InterruptedException {
    thread.join(Math.max(1, within.toMillis()));
    return !thread.isAlive();
  }

  /** Requests a stop and waits up to {@code within}, keeping the caller's interrupt. */
  protected final void stopWithin(Duration within) {
    requestStop();
    try {
      awaitStop(within);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      beforeStart();
      while (running) {
        try {
          work();
          recovered();
        } catch (RuntimeException e) {
          failed(e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // and stop: only requestStop() interrupts this thread
    } finally {
      running = false;
      afterStop();
    }
  }

  private void failed(RuntimeException e) {
    lastFailure = e.toString();
    pause(failures.failed(e, null));
  }

  private void recovered() {
    if (failures.attempts() > 0) {
      failures.recovered();
      lastFailure = null;
    }
  }
}
