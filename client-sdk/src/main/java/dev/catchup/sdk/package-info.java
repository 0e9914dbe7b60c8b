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
 * <p>Public API: {@link dev.catchup.sdk.CatchupDataSource} and its builder
 * ({@link dev.catchup.sdk.CatchupDataSourceBuilder}), {@link dev.catchup.sdk.Session},
 * {@link dev.catchup.sdk.ConsistencyToken}, {@link dev.catchup.sdk.Consistency},
 * {@link dev.catchup.sdk.ReadPolicy}, {@link dev.catchup.sdk.ReadOptions},
 * {@link dev.catchup.sdk.CatchupMetrics},
 * {@link dev.catchup.sdk.ReplicaNotCaughtUpException},
 * {@link dev.catchup.sdk.UncommittedTokenException} and
 * {@link dev.catchup.sdk.LostWritesException}. Routing, capture, waiting and following the topology
 * are package-private.
 *
 * <h2>Inside</h2>
 *
 * <p>Who uses whom (an arrow is a reference in the code). Nothing points back up to the data
 * source: it builds the parts below and hands each only the collaborator it needs.
 *
 * <pre>
 * CatchupDataSource            facade: sessions, thread binding, lifecycle; builds the rest
 *  |  CatchupDataSourceBuilder -&gt; ServerSettings (-&gt; JdbcUrls), PoolSettings, MonitorSettings,
 *  |                              ReadSettings: one immutable, checked record per concern
 *  +-&gt; Session                 -&gt; ConnectionSource, SessionState, CatchupMetrics
 *  +-&gt; Connections             implements ConnectionSource: opens connections, borrows physical ones
 *  |    +-&gt; RoutedConnection   -&gt; ConnectionSource, JdbcFacade, WriteCapture.Recording
 *  |    |     (extends DelegatingConnection: the plain JDBC delegation)
 *  |    +-&gt; ReadRouter         -&gt; RoutingDecision (pure), Servers, ReplicaViews, MonitorFeed, PrimaryCommits,
 *  |    |                         FallbackLimiter, ServerWait
 *  |    +-&gt; Servers            every server's pool (Replica handle, WriteCaptureChoice) and the current
 *  |                            Roles (-&gt; Fence); -&gt; RoleSources (the topology thread, hands new Roles back
 *  |                            through a Sink): discovery: ServerProbe (I/O) then RoleDiscovery (pure);
 *  |                            the monitor's topology (MonitorFeed hands it over): MonitorRoles (pure)
 *  |         WriteCaptureChoice -&gt; WriteCapture: GtidCapture (from the replies)
 *  |                                          | QueryCapture (-&gt; ServerWait, by query)
 *  +-&gt; Servers (pools), MonitorFeed: made and closed here
 *
 * MonitorFeed                  facade over the monitors' /stream; its parts, one concern each:
 *  +-&gt; FeedReconnects         reader and watchdog RunLoops: tries the monitors (RetryStreak)
 *  |    +-&gt; FeedStream         one try of one monitor: HTTP, SseFramer, drops a silent stream
 *  +-&gt; FeedView               what the followed monitor said: ReplicaViews, primaries, topology
 *  +-&gt; FeedWaiters            reads waiting in the process for a view that proves their token
 *  +-&gt; FeedHealth             usable (cheap, for routing), and why not (built when shown)
 *       (MonitorRoster: the monitors, the one followed and why not each other; the parts share it)
 * </pre>
 *
 * <p>A {@link dev.catchup.sdk.Session} is passed down as an argument (to the router, to the
 * captures) so that they read its token and record its writes; it holds its
 * {@code ConnectionSource}, never the data source. How a primary's writes are recorded (from the
 * replies, or by a query after each use) is chosen once per primary, inside
 * {@code WriteCaptureChoice}; a replica's connection records nothing
 * ({@code WriteCapture.Recording.NONE}). Values shared by all: {@link dev.catchup.sdk.ReadOptions},
 * {@link dev.catchup.sdk.ConsistencyToken}, {@link dev.catchup.sdk.CatchupMetrics}.
 *
 * <p>Inside, where a read runs is decided by {@code RoutingDecision}, a pure function of values
 * (the read's requirement, the roles and their fence, each reader's state, the monitor's view, what
 * the primary is known to have committed, the time) that returns the next action; {@code ReadRouter} performs it (borrows,
 * checks and waits, waits on the monitor feed, metrics, logs) and decides again on what it learned.
 * Time comes from one injected {@code Ticker}, so tests move it instead of sleeping; what takes a
 * {@link java.time.Clock} (the failure streaks of the feed and of a replica) gets that ticker as
 * one ({@code TickerClock}).
 */
package dev.catchup.sdk;
