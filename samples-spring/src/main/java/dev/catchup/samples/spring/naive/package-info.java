/**
 * The {@code naive} profile: the services on a plain read/write split, the baseline the demo
 * compares Catchup with.
 */
package dev.catchup.samples.spring.naive;
