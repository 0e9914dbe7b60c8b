package dev.catchup.monitor.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.catchup.background.RunLoop;
import dev.catchup.gtid.GtidSet;
import dev.catchup.monitor.binlog.FeedState;
import dev.catchup.monitor.topology.ReplicationTopology;
import dev.catchup.monitor.topology.Role;
import dev.catchup.monitor.tracking.Registry;
import dev.catchup.monitor.tracking.ServerState;
import dev.catchup.monitor.tracking.ServerStatus;
import dev.catchup.retry.Backoff;
import dev.catchup.retry.FailureStreak;
import dev.catchup.retry.StreakLog;
import dev.catchup.wire.StreamFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /stream}: Server-Sent Events of every server's status, for SDKs.
 *
 * <p>One owned thread broadcasts (a {@link RunLoop}). A registry publish only marks the server
 * dirty and wakes it (the tracker thread never serialises or writes). Each cycle the thread reads
 * the <em>latest</em> snapshot of every dirty server and, when its confirmed set, state, feed or
 * lag band (see {@link Key}) differs from what was last sent, encodes it once, and queues the
 * cycle's events, as one array of bytes shared by all, to every subscriber: a burst of publishes
 * collapses into one event, and a cycle costs one write per subscriber however many servers
 * changed (a keep-alive due goes in the same bytes; a joining subscriber's snapshot of every
 * server is one array too, so that each cycle queues at most one entry per subscriber, which is
 * what {@link StreamLimits#subscriberBacklog()} counts). Cycles are at least
 * {@link StreamLimits#pace()} apart, so an isolated change goes out at once and a storm costs at
 * most one event per server per pace.
 *
 * <p>The broadcaster never blocks on a socket: {@link Subscribers} owns the connections, each with
 * a bounded queue and at most one non-blocking write in flight (started by this thread when the
 * socket is idle, so a healthy subscriber is written without a thread hand-off); a subscriber
 * whose queue overflows, whose write fails, or whose write is pending longer than
 * {@link StreamLimits#writeTimeout()} is dropped and its connection aborted.
 */
public final class StreamBroadcaster extends RunLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamBroadcaster.class);
  private static final byte[] KEEPALIVE = StreamFormat.KEEPALIVE;
  /** How long {@link #close()} waits for the thread and the final chunks. */
  private static final Duration CLOSE_BUDGET = Duration.ofSeconds(3);
  /** How long the final chunks get before the server's stop closes what is left. */
  private static final Duration FINAL_CHUNKS_BUDGET = Duration.ofSeconds(1);

  private final Registry registry;
  private final StreamLimits limits;
  private final StatusEncoder encoder;
  private final Subscribers subscribers;
  /** The ticker of the cycles' pacing and of the subscribers' write timeouts. */
  private final LongSupplier nanoTime;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Set<String> dirty = new LinkedHashSet<>(); // guarded by lock
  private final List<Subscriber> joining = new ArrayList<>(); // guarded by lock
  private boolean stopping; // guarded by lock
  private final Map<String, Key> lastSent = new HashMap<>(); // broadcaster thread only
  /** Servers whose status cannot be sent, each with its streak. Broadcaster thread only. */
  private final Map<String, FailureStreak> failing = new HashMap<>();
  private final AtomicLong events = new AtomicLong();
  private final AutoCloseable subscription;
  // Broadcaster thread only: when the last cycle ran, and when the next recheck and keepalive are due.
  private long lastCycle;
  private long nextRecheck;
  private long nextKeepAlive;

  /**
   * What makes an event worth sending. The lag band is there because SDKs use a replica's
   * {@code secondsBehind} as it was at the last event: a replica that stops applying while the
   * primary moves on changes neither its set nor its state, and would look caught up until it
   * applies again. Crossing a band sends an event (at most once per band change, within the
   * tracker's reconcile interval), so the SDK learns it fell behind. A new topology generation
   * (or a read-only flag read for the first time) sends every server again: each event carries
   * the topology.
   */
  private record Key(GtidSet confirmed, ServerState state, FeedState feed, int lagBand, Role role,
      ReplicationTopology topology) {}

  /** Coarse bands of seconds behind: -1 unknown, 0 none, then up to 50 ms, 0.5 s, 2 s, 10 s, more. */
  static int lagBand(Double secondsBehind) {
    if (secondsBehind == null) {
      return -1;
    }
    double b = secondsBehind;
    return b <= 0 ? 0 : b <= 0.05 ? 1 : b <= 0.5 ? 2 : b <= 2 ? 3 : b <= 10 ? 4 : 5;
  }

  /** Not started: {@link #start} starts it (tests drive {@link #cycle} themselves). */
  StreamBroadcaster(Registry registry, StreamLimits limits, StatusEncoder encoder) {
    this(registry, limits, encoder, System::nanoTime);
  }

  /**
   * Not started, paced by {@code nanoTime} (read like {@link System#nanoTime()}): tests move it and
   * drive the rounds ({@link #beforeStart}, {@link #work}) themselves.
   */
  StreamBroadcaster(Registry registry, StreamLimits limits, StatusEncoder encoder,
      LongSupplier nanoTime) {
    super("stream", "catchup-http-stream", "stream broadcast",
        new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)), registry.clock());
    this.registry = registry;
    this.limits = limits;
    this.encoder = encoder;
    this.nanoTime = nanoTime;
    this.subscribers = new Subscribers(limits, nanoTime);
    this.subscription = registry.subscribe(s -> markDirty(s.name()));
  }

  /** Starts broadcasting what {@code registry} publishes, events made by {@code encoder}. */
  public static StreamBroadcaster start(Registry registry, StreamLimits limits,
      StatusEncoder encoder) {
    StreamBroadcaster b = new StreamBroadcaster(registry, limits, encoder);
    b.start();
    return b;
  }

  /** Open subscribers. */
  public int subscribers() {
    return subscribers.open();
  }

  /** Events broadcast so far. */
  public long events() {
    return events.get();
  }

  /** Subscribers dropped so far for a failed or too slow write. */
  public long dropped() {
    return subscribers.dropped();
  }

  private void markDirty(String name) {
    lock.lock();
    try {
      dirty.add(name);
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes over the response: sends the headers and hands it to the broadcaster, which completes
   * {@code callback} when the stream ends.
   *
   * @return false, having sent nothing, when {@link StreamLimits#maxSubscribers()} are open
   */
  public boolean open(Request request, Response response, Callback callback) throws IOException {
    Subscriber s = subscribers.accept(request, response, callback);
    if (s == null) {
      return false;
    }
    if (!join(s)) {
      subscribers.refuse(response, callback); // ends the (empty) stream: closing
    }
    return true;
  }

  /**
   * Takes a place for a subscriber writing to {@code out}; null when
   * {@link StreamLimits#maxSubscribers()} are open. {@link #open} does this for a response.
   */
  Subscriber admit(String peer, StreamOut out) {
    return subscribers.admit(peer, out);
  }

  /**
   * Hands an admitted subscriber to the thread, which sends it the snapshot at its next cycle.
   *
   * @return false, having taken nothing, when the stream is closing
   */
  boolean join(Subscriber s) {
    lock.lock();
    try {
      if (stopping) {
        return false;
      }
      joining.add(s);
      wake.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  protected void beforeStart() {
    long now = nanoTime.getAsLong();
    lastCycle = now - limits.pace().toNanos();
    nextRecheck = now;
    nextKeepAlive = now + limits.keepAlive().toNanos();
  }

  /** One cycle: waits until something is due, then sends what changed. */
  @Override
  protected void work() throws InterruptedException {
    long pace = limits.pace().toNanos();
    long now;
    Collection<String> batch;
    List<Subscriber> joiners;
    lock.lock();
    try {
      while (true) {
        if (stopping) {
          return;
        }
        now = nanoTime.getAsLong();
        long until = Math.min(nextRecheck, nextKeepAlive);
        if (!dirty.isEmpty() || !joining.isEmpty()) {
          until = Math.min(until, lastCycle + pace);
        }
        if (now - until >= 0) {
          break;
        }
        wake.awaitNanos(until - now);
      }
      batch = new ArrayList<>(dirty);
      dirty.clear();
      joiners = new ArrayList<>(joining);
      joining.clear();
    } finally {
      lock.unlock();
    }
    lastCycle = now;
    if (now - nextRecheck >= 0 || !joiners.isEmpty()) {
      // Time alone can turn a server UNKNOWN; joiners need every server.
      batch = registry.all().stream().map(ServerStatus::name).toList();
      nextRecheck = now + limits.recheck().toNanos();
    }
    boolean keepAlive = now - nextKeepAlive >= 0;
    if (keepAlive) {
      nextKeepAlive = now + limits.keepAlive().toNanos();
    }
    cycle(batch, joiners, keepAlive);
    subscribers.dropStalled(now);
  }

  /**
   * Sends what changed among {@code batch} to every subscriber, the snapshot of every server in
   * {@code batch} to each of {@code joiners} (who then join the others), and a keep-alive when
   * {@code keepAlive}. Broadcaster thread only.
   */
  void cycle(Collection<String> batch, List<Subscriber> joiners, boolean keepAlive) {
    List<byte[]> snapshot = new ArrayList<>();
    List<byte[]> changed = new ArrayList<>();
    for (String name : batch) {
      try {
        Registry.InTopology read = registry.statusInTopology(name).orElse(null);
        if (read == null) {
          lastSent.remove(name); // removed from the seed list; the topology no longer names it
          failing.remove(name); // nothing more to send of it, nor to recover
          continue;
        }
        // The event's role and its topology from one reading, so that they never disagree.
        ServerStatus s = read.status();
        ServerState state = registry.state(s);
        Double behind = s.role() == Role.REPLICA ? registry.secondsBehind(s) : null;
        Key key = new Key(s.confirmed(), state, s.feed(), lagBand(behind), s.role(),
            read.topology());
        byte[] event = null;
        if (!key.equals(lastSent.get(name))) {
          event = encoder.event(s, state, behind, read.topology());
          lastSent.put(name, key);
          events.incrementAndGet();
          changed.add(event);
        }
        if (!joiners.isEmpty()) {
          snapshot.add(event != null ? event : encoder.event(s, state, behind, read.topology()));
        }
        FailureStreak streak = failing.remove(name);
        if (streak != null) {
          StreakLog.write(log, streak.recovered());
        }
      } catch (RuntimeException e) {
        // One bad status must not stop the others; retried at each recheck, logged once per
        // streak (with the trace: it is a bug), then a count once a minute, then its recovery.
        FailureStreak streak = failing.computeIfAbsent(name,
            n -> new FailureStreak("stream: sending the status of " + n, registry.clock()));
        StreakLog.write(log, streak.failed(e, "the other servers' statuses still go out; "
            + "retrying at the next recheck"));
      }
    }
    if (keepAlive) {
      // In the cycle's one broadcast, not queued apart: a subscriber's backlog counts cycles.
      changed.add(KEEPALIVE);
      if (!joiners.isEmpty()) {
        snapshot.add(KEEPALIVE);
      }
    }
    if (!changed.isEmpty()) {
      subscribers.broadcast(concat(changed));
    }
    // One broadcast too, however many servers: queued one per server, a fleet larger than the
    // backlog would drop every new subscriber on arrival.
    byte[] first = snapshot.isEmpty() ? null : concat(snapshot);
    for (Subscriber j : joiners) {
      if (first != null) {
        j.offerOrDrop(first);
      }
      subscribers.add(j);
    }
  }

  /** The parts one after the other (the part itself when there is one). */
  private static byte[] concat(List<byte[]> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int size = 0;
    for (byte[] p : parts) {
      size += p.length;
    }
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  @Override
  protected void onStopRequested() {
    lock.lock();
    try {
      stopping = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
    try {
      subscription.close();
    } catch (Exception e) {
      log.warn("closing the stream: {}", e.toString());
    }
  }

  /** Ends every stream, those still joining too (each gets its final chunk). */
  @Override
  protected void afterStop() {
    List<Subscriber> left;
    lock.lock();
    try {
      stopping = true;
      left = new ArrayList<>(joining);
      joining.clear();
    } finally {
      lock.unlock();
    }
    subscribers.closeAll(left);
  }

  /**
   * Waits for the thread, then gives the final chunks up to a second (within {@code within}) to
   * the final chunks before interrupting them.
   */
  @Override
  public boolean awaitStop(Duration within) throws InterruptedException {
    // Real time, not the ticker: this bounds real waits for the thread and the sockets.
    long deadline = System.nanoTime() + within.toNanos();
    boolean stopped = super.awaitStop(within);
    long chunks = Math.min(FINAL_CHUNKS_BUDGET.toNanos(), deadline - System.nanoTime());
    return subscribers.shutdown(chunks) && stopped;
  }

  /** Ends every stream and stops the threads, within a few seconds. */
  @Override
  public void close() {
    stopWithin(CLOSE_BUDGET);
  }
}
