/**
 * The one back-off of every retry loop in Catchup, monitor and SDK alike, and how a repeating
 * failure is logged: {@link dev.catchup.retry.Backoff} (capped exponential with jitter), {@link
 * dev.catchup.retry.FailureStreak}, which words what a repeating failure logs (one warning per
 * streak, a periodic count, one line on recovery), {@link dev.catchup.retry.StreakLog}, which writes
 * those lines to a logger, and {@link dev.catchup.retry.RetryStreak}, the three together for an
 * activity retried with back-off, with one attempt counter ("attempt n" in the log).
 */
package dev.catchup.retry;
