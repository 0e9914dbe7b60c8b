/**
 * The strategies benchmark ({@code scripts/bench-strategies.sh}): ways of giving a session its
 * reads after its writes, side by side on the same real topology in one run: every read on a
 * replica, every read on the primary, the primary for a while after each write, a GTID wait on the
 * replica before a read that follows a write, and Catchup with each read policy, with and without
 * the monitor. Stale reads are counted independently of every strategy; results go to
 * {@code results/strategies.md} and {@code .json}. Nothing here is a test; a smoke run in
 * {@code StrategiesBenchmarkIT} only keeps it working.
 */
package dev.catchup.bench.strategies;
