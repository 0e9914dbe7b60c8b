/**
 * The one back-off of every retry loop in Catchup, monitor and SDK alike: {@link
 * dev.catchup.retry.Backoff} (capped exponential with jitter, counting attempts so that logs can say
 * "attempt n"), and {@link dev.catchup.retry.FailureStreak}, which words what a repeating failure
 * logs (one warning per streak, a periodic count, one line on recovery). Depends on nothing but the
 * JDK.
 */
package dev.catchup.retry;
