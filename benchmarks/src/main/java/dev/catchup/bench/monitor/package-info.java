/**
 * The monitor's benchmark harness, run by {@code scripts/bench-monitor.sh}: how many binlog
 * transactions a tracker replays per second and per CPU-second, how long a commit takes to become
 * a published confirmation, and what {@code /stream} fan-out costs, all against real topologies
 * started by the testkit, with the monitor in-process. Figures go to
 * {@code results/monitor-bench.md} and {@code .json}, never into assertions.
 */
package dev.catchup.bench.monitor;
