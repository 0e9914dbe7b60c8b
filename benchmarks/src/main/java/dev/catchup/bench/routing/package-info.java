/**
 * The routing benchmark ({@code scripts/bench-routing.sh}): the client SDK with and without the
 * monitor, on real local topologies, against a plain JDBC pool on the same replica. It measures the
 * queries routing runs of its own per read, the latency of covered reads, how long uncovered reads
 * wait compared with the replica's actual apply time, and the connections waiting readers hold.
 * Results go to {@code results/routing-bench.md} and {@code .json}; nothing here is a test.
 */
package dev.catchup.bench.routing;
