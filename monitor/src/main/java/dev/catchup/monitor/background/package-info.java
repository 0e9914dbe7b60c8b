/**
 * The lifecycle every background thread of the monitor shares: {@link
 * dev.catchup.monitor.background.RunLoop} (before start, work, request stop, await stop), which
 * waits on the one {@link dev.catchup.retry.Backoff} (capped exponential with jitter, counting
 * attempts; in the wire module, shared with the SDK) after a failed round, and {@link
 * dev.catchup.monitor.background.Background#stopAll}, which stops many components in parallel
 * within one time budget. {@link dev.catchup.monitor.background.StreakLog} writes the lines a
 * {@link dev.catchup.retry.FailureStreak} decides on, so that every repeating failure of the monitor
 * logs alike: one warning per streak, a count once a minute, one line on recovery.
 */
package dev.catchup.monitor.background;
