package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a {@link Session} knows, without the data source: the tokens, the read options, the unknown
 * writes. The per-thread default session keeps only this in its {@link ThreadLocal}, so a pooled
 * thread never keeps a data source (its pools, its class loader) reachable through its thread-local
 * map: a value that referenced the data source would reference the {@code ThreadLocal} key as
 * well, and the entry would never go stale. Thread-safe.
 */
final class SessionState {
  private final AtomicReference<ConsistencyToken> written;
  private final AtomicReference<ConsistencyToken> observed;
  private volatile ReadOptions readOptions;
  private final Ticker ticker;
  /** When the last write was recorded (a {@link Ticker} reading), for routing's age rule. */
  private volatile long lastWriteNanos;
  /** Writes whose GTID could not be read: the next read syncs with the primary instead. */
  private final AtomicInteger unknownWrites = new AtomicInteger();

  SessionState(Flavor flavor, ReadOptions readOptions) {
    this(flavor, readOptions, Ticker.system());
  }

  /**
   * @param ticker the same ticker the router reads, since routing compares the two readings; like
   *     everything here it must not reference the data source (see above)
   */
  SessionState(Flavor flavor, ReadOptions readOptions, Ticker ticker) {
    this.ticker = ticker;
    // No write yet: as good as written long ago.
    this.lastWriteNanos = ticker.read() - Long.MAX_VALUE / 2;
    this.written = new AtomicReference<>(ConsistencyToken.empty(flavor));
    this.observed = new AtomicReference<>(ConsistencyToken.empty(flavor));
    this.readOptions = Objects.requireNonNull(readOptions, "readOptions");
  }

  /** The flavor of the data source the session belongs to. */
  Flavor flavor() {
    return written.get().flavor();
  }

  ConsistencyToken token() {
    return written.get().merge(observed.get());
  }

  ConsistencyToken written() {
    return written.get();
  }

  /**
   * Merges {@code token} into what was observed, unless the session's token would then be longer
   * than {@link ConsistencyToken#MAX_ENCODED_LENGTH}: other services would reject it, and a
   * session that observes without end would grow without bound.
   */
  void observe(ConsistencyToken token) {
    ConsistencyToken before;
    ConsistencyToken after;
    do {
      before = observed.get();
      after = before.merge(token);
      if (after == before) {
        return;
      }
      int length = written.get().merge(after).encode().length();
      if (length > ConsistencyToken.MAX_ENCODED_LENGTH) {
        throw new IllegalArgumentException("observing this token would grow the session's token to "
            + length + " characters, more than the " + ConsistencyToken.MAX_ENCODED_LENGTH
            + " other services accept; the session is unchanged. A session is one unit of "
            + "causality (a request, a job): start a new one rather than observing into one "
            + "without end");
      }
    } while (!observed.compareAndSet(before, after));
  }

  /**
   * Removes {@code lost} from both tokens and requires {@code retained} in their place where a
   * token named them (see {@link Session#acceptLoss}).
   */
  void acceptLoss(GtidSet lost, GtidSet retained) {
    written.updateAndGet(t -> without(t, lost, retained));
    observed.updateAndGet(t -> without(t, lost, retained));
  }

  private static ConsistencyToken without(ConsistencyToken t, GtidSet lost, GtidSet retained) {
    if (t.isEmpty()) {
      return t;
    }
    GtidSet left = t.gtids().subtract(lost);
    if (left.equals(t.gtids())) {
      return t; // named none of them
    }
    // Only where the token named lost GTIDs: a domain it did not name stays unnamed.
    GtidSet kept = retained.isEmpty() ? retained : retained.subtract(left);
    return ConsistencyToken.of(kept.isEmpty() ? left : left.union(kept));
  }

  ReadOptions readOptions() {
    return readOptions;
  }

  void readOptions(ReadOptions options) {
    this.readOptions = Objects.requireNonNull(options, "options");
  }

  /** Records a write; returns the number of sources the written token names afterwards. */
  int recordWrite(GtidSet gtids) {
    lastWriteNanos = ticker.read();
    return written.updateAndGet(t -> t.merge(gtids)).sources();
  }

  long lastWriteNanos() {
    return lastWriteNanos;
  }

  void markUnknownWrite() {
    unknownWrites.incrementAndGet();
  }

  int unknownWrites() {
    return unknownWrites.get();
  }

  void coveredUnknownWrites(int covered) {
    unknownWrites.addAndGet(-covered);
  }
}
