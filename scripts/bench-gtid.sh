#!/usr/bin/env bash
# JMH microbenchmarks of the GTID algebra (parse, contains, union, print).
# Writes results/gtid-jmh.json (raw JMH) and results/gtid-jmh.md (table with machine and command).
# Takes about 1.5 minutes on 2 cores with the defaults; pass JMH flags to change them, e.g.
#   scripts/bench-gtid.sh -wi 1 -i 2      (quicker, noisier)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl benchmarks -am package -DskipTests
mkdir -p results
java -jar benchmarks/target/benchmarks.jar 'dev.catchup.bench.GtidBenchmark' \
  -rf json -rff results/gtid-jmh.json "$@"
java -cp benchmarks/target/benchmarks.jar dev.catchup.bench.JmhReport \
  results/gtid-jmh.json results/gtid-jmh.md "GTID algebra microbenchmarks (JMH)" \
  scripts/bench-gtid.sh "$@"
echo "wrote results/gtid-jmh.md and results/gtid-jmh.json"
