/**
 * The monitor's benchmark harness, run by {@code scripts/bench-monitor.sh}: how many binlog
 * transactions a tracker replays per second and per CPU-second, how long a commit takes to become
 * a published confirmation, and what {@code /stream} fan-out costs, all against real topologies
 * started by the testkit. No class here is named {@code *Test} or {@code *IT}, so the test runners
 * never pick it up; figures go to {@code results/monitor-bench.md} and {@code .json}, never into
 * assertions.
 */
package dev.catchup.monitor.bench;
