/**
 * The client SDK: a {@link javax.sql.DataSource} over a primary and replicas that gives
 * read-your-writes.
 *
 * <p>Writes go to the primary, and the driver reports each write's GTID in the same reply (session
 * state tracking), so recording it costs no round trip. The GTIDs a session must see form its
 * {@link dev.catchup.sdk.ConsistencyToken}. A read on a connection marked read-only goes to a
 * replica that already has the token, waits there for it, or goes to the primary, as the
 * {@link dev.catchup.sdk.ReadPolicy} says; it is never served stale.
 *
 * <p>Public API: {@link dev.catchup.sdk.CatchupDataSource} and its builder,
 * {@link dev.catchup.sdk.Session}, {@link dev.catchup.sdk.ConsistencyToken},
 * {@link dev.catchup.sdk.Consistency}, {@link dev.catchup.sdk.ReadPolicy},
 * {@link dev.catchup.sdk.ReadOptions}, {@link dev.catchup.sdk.CatchupMetrics},
 * {@link dev.catchup.sdk.ReplicaNotCaughtUpException} and
 * {@link dev.catchup.sdk.UncommittedTokenException}. Routing, capture and waiting are
 * package-private.
 *
 * <p>Inside, where a read runs is decided by {@code RoutingDecision}, a pure function of values
 * (the read's requirement, each replica's state, the monitor's view, what the primary is known to
 * have committed, the time) that returns the next action; {@code ReadRouter} performs it (borrows,
 * checks and waits, waits on the monitor feed, metrics, logs) and decides again on what it learned.
 * Time comes from one injected {@code Ticker}, so tests move it instead of sleeping.
 */
package dev.catchup.sdk;
