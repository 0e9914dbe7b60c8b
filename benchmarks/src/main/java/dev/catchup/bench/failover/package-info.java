/**
 * The failover benchmark ({@code scripts/bench-failover.sh}): a read-your-writes workload through
 * the SDK while the primary is replaced, planned (switchover) and unplanned (the primary killed,
 * the most advanced replica promoted without what it had not applied), with and without the
 * monitor. It measures the time from the promotion to the first successful write and read, the
 * requests that failed and why, stale reads, and the reads failed as lost writes against the
 * writes actually lost. Results go to {@code results/failover.md} and {@code .json}; nothing here
 * is a test.
 */
package dev.catchup.bench.failover;
