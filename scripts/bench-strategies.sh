#!/usr/bin/env bash
# Read-your-writes strategies side by side, on real local topologies (scripts/topology.sh), in one
# run: every read on a replica (naive split), every read on the primary, the primary for 2 s after
# each write (sticky), a GTID wait on the replica before a read that follows a write (as proxies
# that wait do), and Catchup with each read policy (WAIT, WAIT_THEN_FALLBACK, FALLBACK_TO_PRIMARY,
# FAIL), asking the replicas directly and following the monitor (in-process).
# Workload: N client threads, each with a session: write a row, read it back at once, read K
# catalog rows, think. Stale reads are counted independently of every strategy.
# Per strategy: stale reads (after write / other), reads per target, extra queries per read (as
# reported and as counted on the wire), read latency p50/p99/max after write and otherwise, write
# latency, readers waiting and the connections they hold (peak), reads/s on the primary, failures,
# and ratios to the naive split's latency and to primary-only's primary load in the same run.
# Under FALLBACK_TO_PRIMARY, the share of reads right after a write that a replica served, asking
# the replicas directly and following the monitor side by side.
# Writes results/strategies.md and results/strategies.json (same figures); see benchmarks/README.md.
# About 4 minutes on 2 cores with the defaults (both flavors, one replica, delays 0 and 1 s).
# Options (see --help): --flavor mysql|mariadb|both, --replicas 1|2, --threads N, --reads K,
# --seconds S, --rounds R, --warmup-ms W, --delays 0,1, --think-ms T, --sticky-seconds T,
# --max-wait-ms W, --catalog-rows N, --strategies ID,..., --out DIR; e.g. a quick look:
#   scripts/bench-strategies.sh --flavor mysql --seconds 2 --rounds 1 --out /tmp/strategies
# Needs what the tests need: root on Debian 12, Java 17, Maven (servers are installed on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh
bench_help "$0" "$@"
echo "bench-strategies: building the benchmarks jar (SDK, monitor, testkit) ..."
bench_build
# logback-strategies.xml sends the SDK's per-fallback warnings to
# benchmarks/target/strategies-routing.log instead of the terminal.
bench_exec dev.catchup.bench.strategies.StrategiesBenchmark scripts/bench-strategies.sh -Xmx768m \
  -Dlogback.configurationFile=logback-strategies.xml -- "$@"
