/**
 * The lifecycle every background thread of the monitor shares: {@link
 * dev.catchup.monitor.background.RunLoop} (before start, work, request stop, await stop), the one
 * {@link dev.catchup.monitor.background.Backoff} (capped exponential with jitter, counting
 * attempts) and {@link dev.catchup.monitor.background.Background#stopAll}, which stops many
 * components in parallel within one time budget.
 */
package dev.catchup.monitor.background;
