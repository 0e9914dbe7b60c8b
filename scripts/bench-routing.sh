#!/usr/bin/env bash
# Benchmark of read routing, the client SDK with and without the monitor, on real local topologies
# (scripts/topology.sh), against a plain JDBC pool on the same replica:
#   1. extra queries per read (CatchupMetrics.extraQuery), reads by target and stale reads: covered
#      reads and reads right after the write, monitor mode and direct mode (delay 0)
#   2. covered read latency (p50/p99) against a raw HikariCP read of the same row
#   3. uncovered reads with a replication delay: Catchup's answer against the replica's actual
#      apply time, timed by an independent 1 ms poller
#   4. database connections held by waiting readers (HikariCP MBeans sampled every 2 ms)
#   5. a read right after its write at delay 0, its end against the replica's actual apply (poller;
#      on MySQL also the replica's binlog commit), with the replica connections held (peak, mean):
#      Catchup + monitor, Catchup direct, and a proxy-style GTID wait (raw JDBC and
#      WAIT_FOR_EXECUTED_GTID_SET / MASTER_GTID_WAIT before the read)
# Writes results/routing-bench.md and results/routing-bench.json (same figures). About 2 minutes
# on 2 cores with the defaults. Options (see --help): --flavor mysql|mariadb|both (default both),
# --replicas N, --covered-reads N, --warmup-reads N, --batch N, --after-write-reads N,
# --after-write-threads K (sections 1 and 5), --delay S, --wait-threads K, --wait-rounds R, --held-threads K,
# --held-rounds R, --out DIR; e.g. a quick look:
#   scripts/bench-routing.sh --flavor mysql --covered-reads 500 --warmup-reads 200 --wait-rounds 2 --held-rounds 1
# Needs what the tests need: root on Debian 12, Java 17, Maven (servers are installed on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
bench_help "$0" "$@"
echo "bench-routing: building the benchmarks jar (SDK, monitor, testkit) ..."
bench_build
bench_exec dev.catchup.bench.routing.RoutingBenchmark scripts/bench-routing.sh -Xmx768m -- "$@"
