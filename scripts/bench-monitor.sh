#!/usr/bin/env bash
# Benchmark of the monitor against real local topologies (scripts/topology.sh, delay 0):
#   1. tailer throughput: one tracker replays a binlog backlog; transactions/s and per CPU-second
#   2. latency: replica commit (MySQL) / client commit reply -> confirmed status published (p50/p99)
#   3. /stream fan-out: 0, 1, 100 and 1,000 subscribers (raw HTTP clients on --fanout-readers threads) under the
#      same write load; delivery latency, CPU per delivery, heap per subscriber, threads; then the
#      largest count shared by --fanout-monitors monitors (default 2). About --fanout-seconds + 1 s
#      per level (about 50 s with the defaults, 18 s with the quick look below)
#   4. the monitor's cost as the write rate grows (200, 2,000 and max tx/s): confirmation reads per
#      transaction, tracker CPU per 1,000 transactions
# Writes results/monitor-bench.md and results/monitor-bench.json (same figures). About 3.5 minutes on
# 2 cores with the defaults. Options (see --help): --flavor mysql|mariadb|both (default both),
# --backlog N, --rounds R, --rate R, --seconds S, --fanout-rate R, --fanout-seconds S,
# --subscribers 1,100,1000, --fanout-readers T (threads reading the subscribers, default 4),
# --fanout-monitors M (1: no shared cell), --max-subscribers N (http.maxSubscribers, default 1024),
# --cost-rates 200,2000,0 (0: as fast as the writers go), --cost-seconds S, --cost-writers K,
# --replicas N, --out DIR, e.g. a quick look (about 40 s):
#   scripts/bench-monitor.sh --flavor mysql --backlog 1000 --rounds 1 --seconds 2 --fanout-seconds 3 \
#     --subscribers 64,1000 --cost-seconds 2
# Needs what the tests need: root on Debian 12, Java 17, Maven (servers are installed on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
bench_help "$0" "$@"
echo "bench-monitor: building the benchmarks jar (monitor, testkit) ..."
bench_build
bench_exec dev.catchup.bench.monitor.MonitorBenchmark scripts/bench-monitor.sh -Xmx512m -- "$@"
