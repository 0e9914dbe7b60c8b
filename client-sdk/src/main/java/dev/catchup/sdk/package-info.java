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
 */
package dev.catchup.sdk;
