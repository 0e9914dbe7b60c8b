#!/usr/bin/env bash
# Benchmark of failover through the client SDK, on real local topologies (scripts/topology.sh):
# per flavor (MySQL, MariaDB), with and without the monitor, planned (switchover) and unplanned
# (the primary killed while its replicas are delayed, the most advanced replica promoted), R rounds
# each, under a read-your-writes workload of K threads (one SDK session each, every read checked):
#   - time from the promotion to the first successful write and the first read-your-writes read
#   - requests failed during the change, grouped by exception, SQLState and reason
#   - stale reads (must be 0)
#   - reads failed as lost writes (LostWritesException) against the writes actually lost
# Writes results/failover.md and results/failover.json (same figures). About 3 minutes on 2 cores
# with the defaults. Options (see --help): --flavor mysql|mariadb|both (default both), --replicas N,
# --modes direct,monitor, --kinds planned,unplanned, --rounds R, --threads K, --think-ms T,
# --warmup-reads N, --settle-ms T, --delay S, --check-ms T, --max-wait-ms W, --out DIR; e.g. a quick look:
#   scripts/bench-failover.sh --flavor mysql --rounds 1 --out /tmp/failover
# Needs what the tests need: root on Debian 12, Java 17, Maven (servers are installed on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
bench_help "$0" "$@"
echo "bench-failover: building the benchmarks jar (SDK, monitor, testkit) ..."
bench_build
# logback-failover.xml sends the pools' warnings (a stack trace per connection of a killed server)
# to benchmarks/target/failover-pools.log.
bench_exec dev.catchup.bench.failover.FailoverBenchmark scripts/bench-failover.sh -Xmx768m \
  -Dlogback.configurationFile=logback-failover.xml -- "$@"
