/**
 * The lifecycle every background thread of Catchup shares, monitor and SDK alike: {@link
 * dev.catchup.background.RunLoop} (before start, work, request stop, await stop), which retries a
 * failed round as a {@link dev.catchup.retry.RetryStreak} says (the one back-off, one warning per
 * streak), and {@link dev.catchup.background.Background#stopAll}, which stops many components in
 * parallel within one time budget.
 */
package dev.catchup.background;
