package dev.catchup.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A subscriber's queue, writes and drops, against a fake of what it writes to. */
class SubscriberTest {
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
  private static final int BACKLOG = 2;
  private static final StreamLimits LIMITS = new StreamLimits(4, BACKLOG, WRITE_TIMEOUT,
      Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(10));

  /**
   * A clock the test moves; when armed, the next read from another thread than the test's stops
   * until released. The subscriber reads it between taking its queue and starting the write.
   */
  private static final class PausingClock {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final Thread testThread = Thread.currentThread();
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean armed;

    long read() {
      if (armed && Thread.currentThread() != testThread) {
        armed = false;
        reached.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return now.get();
    }
  }

  /** A subscriber admitted and broadcast to, writing to {@code out}. */
  private static Subscriber subscribed(Subscribers subscribers, FakeOut out) {
    Subscriber s = subscribers.admit("10.0.0.1:5000", out);
    subscribers.add(s);
    return s;
  }

  @Test
  void drop_overflowWhileACompletionStartsAWrite_stillFinishesTheSubscriber() throws Exception {
    PausingClock clock = new PausingClock();
    Subscribers subscribers = new Subscribers(LIMITS, clock::read);
    FakeOut out = new FakeOut();
    Subscriber s = subscribed(subscribers, out);
    s.offerOrDrop(new byte[] {1}); // written at once: the first write is now pending
    assertThat(out.pending).hasSize(1);
    s.offerOrDrop(new byte[] {2}); // queued behind it

    // The first write completes on a "Jetty" thread, which takes the queue and stops just before
    // starting the next write, holding the subscriber's single-writer flag.
    clock.armed = true;
    Thread completion = new Thread(() -> out.pending.get(0).succeeded(), "completion");
    completion.start();
    assertThat(clock.reached.await(10, TimeUnit.SECONDS)).isTrue();

    // Meanwhile the broadcaster overflows the queue: the subscriber is dropped.
    for (int i = 0; i <= BACKLOG; i++) {
      s.offerOrDrop(new byte[] {3});
    }
    clock.release.countDown();
    completion.join(10_000);
    assertThat(completion.isAlive()).isFalse();

    // The write the completion thread started never completes; the stall check runs past it.
    clock.now.addAndGet(WRITE_TIMEOUT.toNanos() * 2);
    subscribers.dropStalled(clock.now.get());

    assertThat(subscribers.open()).isZero();
    assertThat(subscribers.dropped()).isEqualTo(1);
    assertThat(out.aborted.get()).hasMessageContaining("more than 2 broadcasts behind");
  }

  @Test
  void dropStalled_writePendingPastTheTimeout_abortsAndFreesThePlace() {
    AtomicLong now = new AtomicLong();
    Subscribers subscribers = new Subscribers(LIMITS, now::get);
    FakeOut out = new FakeOut();
    Subscriber s = subscribed(subscribers, out);
    s.offerOrDrop(new byte[] {1});

    subscribers.dropStalled(now.get() + WRITE_TIMEOUT.toNanos()); // not past it yet
    assertThat(subscribers.open()).isEqualTo(1);
    subscribers.dropStalled(now.get() + WRITE_TIMEOUT.toNanos() + 1);

    assertThat(subscribers.open()).isZero();
    assertThat(subscribers.dropped()).isEqualTo(1);
    assertThat(out.aborted.get()).hasMessageContaining("write blocked for more than PT5S");
  }

  @Test
  void closeAll_writeInFlight_endsTheStreamAfterItCompletes() {
    Subscribers subscribers = new Subscribers(LIMITS, System::nanoTime);
    FakeOut out = new FakeOut();
    Subscriber s = subscribed(subscribers, out);
    s.offerOrDrop(new byte[] {1});

    subscribers.closeAll(List.of());
    assertThat(out.ended).isFalse(); // the write in flight goes out first
    out.pending.get(0).succeeded();

    assertThat(out.ended).isTrue();
    assertThat(out.aborted.get()).isNull();
    assertThat(subscribers.open()).isZero();
    assertThat(subscribers.dropped()).isZero();
  }

  @Test
  void offerOrDrop_backlogCountsBroadcastsNotTheEventsInThem() {
    Subscribers subscribers = new Subscribers(LIMITS, System::nanoTime);
    FakeOut out = new FakeOut();
    Subscriber s = subscribed(subscribers, out);
    byte[] threeEvents = ("event: status\ndata: {}\n\n".repeat(3)).getBytes(StandardCharsets.US_ASCII);
    s.offerOrDrop(threeEvents); // written at once, and left pending
    s.offerOrDrop(threeEvents); // queued: one broadcast of three events
    s.offerOrDrop(threeEvents); // queued: the backlog (2) is full, not past

    assertThat(out.aborted.get()).isNull();
    assertThat(subscribers.open()).isEqualTo(1);

    s.offerOrDrop(threeEvents);

    assertThat(subscribers.dropped()).isEqualTo(1);
    assertThat(out.aborted.get()).hasMessage("stream subscriber dropped: more than " + BACKLOG
        + " broadcasts behind");
  }

  @Test
  void shutdown_lastSubscriberFinishes_returnsTrueWithoutWaitingTheBudget() throws Exception {
    Subscribers subscribers = new Subscribers(LIMITS, System::nanoTime);
    FakeOut out = new FakeOut();
    Subscriber s = subscribed(subscribers, out);
    s.offerOrDrop(new byte[] {1}); // a write in flight: the subscriber finishes after it
    subscribers.closeAll(List.of());
    CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> {
      try {
        return subscribers.shutdown(TimeUnit.MINUTES.toNanos(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
    assertThat(shutdown).isNotDone(); // one is open until its write completes

    out.pending.get(0).succeeded();

    // Woken by the release, long before the five minutes it was given.
    assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out.ended).isTrue();
  }

  @Test
  void shutdown_subscriberNeverFinishes_returnsFalseAtTheBudget() throws Exception {
    Subscribers subscribers = new Subscribers(LIMITS, System::nanoTime);
    FakeOut out = new FakeOut();
    Subscriber s = subscribed(subscribers, out);
    s.offerOrDrop(new byte[] {1}); // never completes
    subscribers.closeAll(List.of());

    assertThat(subscribers.shutdown(TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
    assertThat(subscribers.shutdown(0)).isFalse();
    assertThat(subscribers.open()).isEqualTo(1);
  }

  @Test
  void admit_atMaxSubscribers_refuses() {
    Subscribers subscribers = new Subscribers(LIMITS, System::nanoTime);
    for (int i = 0; i < LIMITS.maxSubscribers(); i++) {
      assertThat(subscribers.admit("p" + i, new FakeOut())).isNotNull();
    }
    assertThat(subscribers.admit("one more", new FakeOut())).isNull();
    assertThat(subscribers.open()).isEqualTo(LIMITS.maxSubscribers());
  }
}
