#!/usr/bin/env bash
# JMH microbenchmarks of the hot paths: the GTID algebra (parse, contains, union, print), the
# consistency token (merge a write, encode, decode) and the routing decision with the monitor.
# Writes results/hot-paths-jmh.json (raw JMH) and results/hot-paths-jmh.md (table, machine,
# command). About 3.5 minutes on 2 cores with the defaults; JMH flags change them, e.g.
#   scripts/bench-jmh.sh -wi 1 -i 2      (quicker, noisier)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl benchmarks -am package -DskipTests
mkdir -p results
java -jar benchmarks/target/benchmarks.jar \
  'dev.catchup.bench.GtidBenchmark|dev.catchup.bench.TokenBenchmark|dev.catchup.sdk.RoutingDecisionBenchmark' \
  -rf json -rff results/hot-paths-jmh.json "$@"
java -cp benchmarks/target/benchmarks.jar dev.catchup.bench.JmhReport \
  results/hot-paths-jmh.json results/hot-paths-jmh.md \
  "Hot paths: GTID algebra, consistency token, routing decision (JMH)" scripts/bench-jmh.sh "$@"
echo "wrote results/hot-paths-jmh.md and results/hot-paths-jmh.json"
