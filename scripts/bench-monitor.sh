#!/usr/bin/env bash
# Benchmark of the monitor against real local topologies (scripts/topology.sh, delay 0):
#   1. tailer throughput: one tracker replays a binlog backlog; transactions/s and per CPU-second
#   2. latency: replica commit (MySQL) / client commit reply -> confirmed status published (p50/p99)
#   3. /stream fan-out: 0, 1 and more subscribers under the same write load; delivery latency, CPU
# Writes results/monitor-bench.md and results/monitor-bench.json (same figures). About 3 minutes on
# 2 cores with the defaults. Options (see --help): --flavor mysql|mariadb|both (default both),
# --backlog N, --rounds R, --rate R, --seconds S, --fanout-rate R, --fanout-seconds S,
# --subscribers 1,100,500, --replicas N, e.g. a quick look:
#   scripts/bench-monitor.sh --flavor mysql --backlog 5000 --rounds 1 --seconds 3 --fanout-seconds 3
# Needs what the tests need: root on Debian 12, Java 17, Maven (servers are installed on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
bench_help "$0" "$@"
echo "bench-monitor: building the benchmarks jar (monitor, testkit) ..."
bench_build
bench_exec dev.catchup.bench.monitor.MonitorBenchmark scripts/bench-monitor.sh -Xmx512m -- "$@"
