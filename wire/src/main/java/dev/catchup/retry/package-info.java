/**
 * The one back-off of every retry loop in Catchup, monitor and SDK alike: {@link
 * dev.catchup.retry.Backoff} (capped exponential with jitter, counting attempts so that logs can say
 * "attempt n"). Depends on nothing but the JDK.
 */
package dev.catchup.retry;
