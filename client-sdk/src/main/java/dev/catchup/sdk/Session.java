package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A unit of causality: the writes a user, request or job made, and the tokens it received from
 * elsewhere. Thread-safe; typically one per user session or request.
 *
 * <p>Get connections through it ({@link #getConnection()}, {@link #getReadConnection()}) or bind it to
 * the current thread with {@link CatchupDataSource#bind(Session)} so code that only knows the
 * {@link javax.sql.DataSource} uses it too.
 */
public final class Session {
  private final CatchupDataSource dataSource;
  private final AtomicReference<ConsistencyToken> written;
  private final AtomicReference<ConsistencyToken> observed;
  private volatile ReadOptions readOptions;
  /** When the last write was recorded ({@link System#nanoTime()}), for routing's age rule. */
  private volatile long lastWriteNanos = System.nanoTime() - Long.MAX_VALUE / 2;
  /** Writes whose GTID could not be read: the next read syncs with the primary instead. */
  private final java.util.concurrent.atomic.AtomicInteger unknownWrites =
      new java.util.concurrent.atomic.AtomicInteger();

  Session(CatchupDataSource dataSource, ReadOptions readOptions) {
    this.dataSource = dataSource;
    Flavor flavor = dataSource.flavor();
    this.written = new AtomicReference<>(ConsistencyToken.empty(flavor));
    this.observed = new AtomicReference<>(ConsistencyToken.empty(flavor));
    this.readOptions = readOptions;
  }

  /** A connection bound to this session: writes are recorded, reads honour the token. */
  public Connection getConnection() throws SQLException {
    return dataSource.connection(this, false, readOptions);
  }

  /** A read-only connection bound to this session, served by a replica when one is caught up. */
  public Connection getReadConnection() throws SQLException {
    return dataSource.connection(this, true, readOptions);
  }

  /** A read-only connection with options for this read only. */
  public Connection getReadConnection(ReadOptions options) throws SQLException {
    return dataSource.connection(this, true, options);
  }

  /** Everything this session must see: its writes and the tokens it observed. Pass it on. */
  public ConsistencyToken token() {
    return written.get().merge(observed.get());
  }

  /** The writes this session made. */
  public ConsistencyToken writtenToken() {
    return written.get();
  }

  /**
   * Merges a token received from elsewhere; {@link Consistency#CAUSAL} reads honour it.
   *
   * @throws IllegalArgumentException if its flavor differs from the data source's
   */
  public Session observe(ConsistencyToken token) {
    if (token.flavor() != dataSource.flavor()) {
      throw new IllegalArgumentException("token is " + token.flavor() + " but the data source is "
          + dataSource.flavor());
    }
    observed.accumulateAndGet(token, ConsistencyToken::merge);
    return this;
  }

  /**
   * Decodes and merges a token received as text (for example an HTTP header); null or blank text is
   * ignored. Malformed text is rejected before any SQL runs.
   *
   * @throws IllegalArgumentException if the text is malformed or of the other flavor
   */
  public Session observe(String encodedToken) {
    if (encodedToken == null || encodedToken.isBlank()) {
      return this;
    }
    return observe(ConsistencyToken.decode(encodedToken));
  }

  /** Default options for reads of this session. */
  public ReadOptions readOptions() {
    return readOptions;
  }

  /** Changes the default options for reads of this session. */
  public Session readOptions(ReadOptions options) {
    this.readOptions = java.util.Objects.requireNonNull(options, "options");
    return this;
  }

  void recordWrite(GtidSet gtids) {
    lastWriteNanos = System.nanoTime();
    ConsistencyToken after = written.updateAndGet(t -> t.merge(gtids));
    dataSource.metrics().gtidRecorded(after.sources());
  }

  long lastWriteNanos() {
    return lastWriteNanos;
  }

  void markUnknownWrite() {
    unknownWrites.incrementAndGet();
  }

  /** Writes not yet covered by a sync with the primary's executed set. */
  int unknownWrites() {
    return unknownWrites.get();
  }

  /**
   * Records the primary's executed set, read after {@code covered} unknown writes happened: it
   * contains them, so they are no longer unknown.
   */
  void resolveUnknownWrites(GtidSet primaryExecuted, int covered) {
    recordWrite(primaryExecuted);
    unknownWrites.addAndGet(-covered);
  }

  @Override
  public String toString() {
    return "Session[" + token().encode() + "]";
  }
}
