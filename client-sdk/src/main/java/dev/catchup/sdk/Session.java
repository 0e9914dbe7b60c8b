package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A unit of causality: the writes a user, request or job made, and the tokens it received from
 * elsewhere. Thread-safe; typically one per request or job ({@link CatchupDataSource#newSession()}).
 *
 * <p>Get connections through it ({@link #getConnection()}, {@link #getReadConnection()}) or bind it to
 * the current thread with {@link CatchupDataSource#bind(Session)} so code that only knows the
 * {@link javax.sql.DataSource} uses it too.
 *
 * <p>Its read options start as the data source's ({@link CatchupDataSource#defaultReadOptions()});
 * {@link #consistency}, {@link #readPolicy} and {@link #maxWait} change one of them and keep the
 * rest.
 */
public final class Session {
  // Narrow collaborators rather than the data source: where connections come from, where recorded
  // writes are counted, and what the session knows.
  private final ConnectionSource source;
  private final CatchupMetrics metrics;
  private final SessionState state;

  Session(ConnectionSource source, CatchupMetrics metrics, SessionState state) {
    this.source = source;
    this.metrics = metrics;
    this.state = state;
  }

  /** A connection bound to this session: writes are recorded, reads honour the token. */
  public Connection getConnection() throws SQLException {
    return source.open(this, false, state.readOptions());
  }

  /** A read-only connection bound to this session, served by a replica when one is caught up. */
  public Connection getReadConnection() throws SQLException {
    return source.open(this, true, state.readOptions());
  }

  /** A read-only connection with options for this read only. */
  public Connection getReadConnection(ReadOptions options) throws SQLException {
    return source.open(this, true, java.util.Objects.requireNonNull(options, "options"));
  }

  /** Everything this session must see: its writes and the tokens it observed. Pass it on. */
  public ConsistencyToken token() {
    return state.token();
  }

  /** The writes this session made. */
  public ConsistencyToken writtenToken() {
    return state.written();
  }

  /**
   * Merges a token received from elsewhere (another service's writes), for this session's reads
   * to honour.
   *
   * @throws IllegalArgumentException if its flavor differs from the data source's, or if the
   *     session's token would grow past {@link ConsistencyToken#MAX_ENCODED_LENGTH} characters (the
   *     session is then unchanged)
   */
  public Session observe(ConsistencyToken token) {
    if (token.flavor() != state.flavor()) {
      throw new IllegalArgumentException("token is " + token.flavor() + " but the data source is "
          + state.flavor());
    }
    state.observe(token);
    return this;
  }

  /**
   * Decodes and merges a token received as text (for example an HTTP header); null or blank text is
   * ignored. Malformed text is rejected before any SQL runs.
   *
   * @throws IllegalArgumentException if the text is malformed or of the other flavor, or if the
   *     session's token would grow too long (see {@link #observe(ConsistencyToken)})
   */
  public Session observe(String encodedToken) {
    if (encodedToken == null || encodedToken.isBlank()) {
      return this;
    }
    return observe(ConsistencyToken.decode(encodedToken));
  }

  /**
   * Accepts that the writes {@code lost} names were lost in a failover: removes exactly those
   * GTIDs from this session's token (its own writes and what it observed), so that its reads are
   * served again, without them. What else the token requires stays required. The application
   * decides whether that is acceptable (the user's last writes are gone); nothing does it for it.
   *
   * <p>MySQL: the lost intervals are removed; earlier transactions of the same source stay
   * required. MariaDB: a token holds one entry per domain, so for each domain with a lost entry
   * {@code d-s-n} the entry becomes {@code d-s-h}, where {@code h} is how far the new primary has
   * server {@code s}'s transactions in {@code d}: the writes before the lost ones stay required, and
   * writes made on the new primary since are required again only once the session makes or
   * observes them.
   *
   * @return this session
   * @throws IllegalArgumentException if the exception is of the other flavor
   */
  public Session acceptLoss(LostWritesException lost) {
    java.util.Objects.requireNonNull(lost, "lost");
    if (lost.lostGtids().flavor() != state.flavor()) {
      throw new IllegalArgumentException("the lost writes are " + lost.lostGtids().flavor()
          + " but the data source is " + state.flavor());
    }
    state.acceptLoss(lost.lostGtids(), lost.retained());
    return this;
  }

  /** Default options for reads of this session (at first the data source's). */
  public ReadOptions readOptions() {
    return state.readOptions();
  }

  /**
   * Replaces every option of this session's reads. To change one and keep the others (the data
   * source's, at first), use {@link #consistency}, {@link #readPolicy} or {@link #maxWait}.
   */
  public Session readOptions(ReadOptions options) {
    state.readOptions(options);
    return this;
  }

  /** Sets the consistency of this session's reads, keeping their policy and longest wait. */
  public Session consistency(Consistency consistency) {
    return readOptions(state.readOptions().withConsistency(consistency));
  }

  /** Sets the policy of this session's reads, keeping their consistency and longest wait. */
  public Session readPolicy(ReadPolicy policy) {
    return readOptions(state.readOptions().withPolicy(policy));
  }

  /** Sets the longest wait of this session's reads, keeping their consistency and policy. */
  public Session maxWait(Duration maxWait) {
    return readOptions(state.readOptions().withMaxWait(maxWait));
  }

  /** Where this session's connections come from: tells the data sources' sessions apart. */
  ConnectionSource source() {
    return source;
  }

  SessionState state() {
    return state;
  }

  void recordWrite(GtidSet gtids) {
    metrics.gtidRecorded(state.recordWrite(gtids));
  }

  long lastWriteNanos() {
    return state.lastWriteNanos();
  }

  void markUnknownWrite() {
    state.markUnknownWrite();
  }

  /** Writes not yet covered by a sync with the primary's executed set. */
  int unknownWrites() {
    return state.unknownWrites();
  }

  /**
   * Records the primary's executed set, read after {@code covered} unknown writes happened: it
   * contains them, so they are no longer unknown.
   */
  void resolveUnknownWrites(GtidSet primaryExecuted, int covered) {
    recordWrite(primaryExecuted);
    state.coveredUnknownWrites(covered);
  }

  /** Sessions are equal when they share their state (the thread's default session, for one). */
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Session s && s.state == state);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(state);
  }

  @Override
  public String toString() {
    return "Session[" + token().encode() + "]";
  }
}
