package dev.catchup.monitor.http;

import dev.catchup.monitor.stream.StreamLimits;
import java.time.Duration;

/**
 * Bounds of the HTTP API. The fan-out limits come from the settings ({@link #of(HttpSettings)}:
 * {@code http.maxSubscribers}, {@code http.maxWaits}, and the handler threads that grow with the
 * latter); the rest are internal, {@link #DEFAULTS} suiting a monitor of a handful of servers;
 * tests shrink the timings.
 *
 * @param dispatcherThreads threads running handlers; a {@code /wait} holds one while it waits
 * @param dispatcherQueue the listen backlog: connections the kernel holds while the server is at
 *     http.maxConnections (requests waiting for a thread queue without bound, one per connection)
 * @param maxConcurrentWaits {@code /wait} requests waiting at once; more get 503, so that waits can
 *     never take every dispatcher thread
 * @param maxSubscribers open {@code /stream} connections; more get 503
 * @param subscriberBacklog broadcasts queued for one subscriber, see
 *     {@link StreamLimits#subscriberBacklog()}; past it the subscriber is dropped
 * @param writeTimeout a subscriber whose write blocks this long is dropped
 * @param keepAlive interval of {@code : keepalive} comments on the stream
 * @param recheck how often the stream re-evaluates every server, so that a server turning UNKNOWN
 *     by age alone (no publish) is announced
 * @param pace shortest interval between two broadcast cycles: an isolated change goes out at
 *     once, a burst is coalesced into at most one event per server per pace
 * @param maxGtidLength longest {@code gtid} parameter, in characters
 */
record Limits(int dispatcherThreads, int dispatcherQueue, int maxConcurrentWaits,
    int maxSubscribers, int subscriberBacklog, Duration writeTimeout, Duration keepAlive,
    Duration recheck, Duration pace, int maxGtidLength) {

  // Keep-alive every second: subscribers (SDKs) judge the feed's freshness by it, so a silent
  // partition shows within a couple of seconds rather than after 15.
  static final Limits DEFAULTS = new Limits(16, 256, 8, 64, 256, Duration.ofSeconds(10),
      Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofMillis(1), 64 * 1024);

  /** {@link #DEFAULTS} with the fan-out limits of {@code settings}. */
  static Limits of(HttpSettings settings) {
    Limits d = DEFAULTS;
    return new Limits(settings.maxWaits() + HttpSettings.OTHER_HANDLER_THREADS, d.dispatcherQueue(),
        settings.maxWaits(), settings.maxSubscribers(), d.subscriberBacklog(), d.writeTimeout(),
        d.keepAlive(), d.recheck(), d.pace(), d.maxGtidLength());
  }

  Limits {
    if (maxConcurrentWaits < 0 || maxConcurrentWaits >= dispatcherThreads) {
      throw new IllegalArgumentException("maxConcurrentWaits must be between 0 and dispatcherThreads - 1 ("
          + (dispatcherThreads - 1) + "), was " + maxConcurrentWaits);
    }
    if (dispatcherQueue < 1 || maxSubscribers < 1 || subscriberBacklog < 1 || maxGtidLength < 1) {
      throw new IllegalArgumentException("dispatcherQueue, maxSubscribers, subscriberBacklog and "
          + "maxGtidLength must be positive, were " + dispatcherQueue + ", " + maxSubscribers + ", "
          + subscriberBacklog + ", " + maxGtidLength);
    }
  }

  /** The bounds of {@code /stream}. */
  StreamLimits stream() {
    return new StreamLimits(maxSubscribers, subscriberBacklog, writeTimeout, keepAlive, recheck, pace);
  }
}
