/**
 * What the load harnesses here share: the benchmark table and its SQL, the in-process monitor,
 * counting the SDK's metrics, sampling connection pools, summary statistics, progress lines, the
 * machine description and command-line flags. Nothing here measures anything by itself.
 */
package dev.catchup.bench.harness;
