/**
 * What the load harnesses here share: how a run goes from its script (options, a topology per
 * flavor, the results files and their common sections), the benchmark table and its SQL, the
 * in-process monitor, counting the SDK's metrics, sampling connection pools, reading a binlog
 * after the fact, summary statistics, progress lines, the machine description and command-line
 * flags. Nothing here measures anything by itself.
 */
package dev.catchup.bench.harness;
