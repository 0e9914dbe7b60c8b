#!/usr/bin/env bash
# JMH microbenchmarks of the hot paths, beside the code they measure (test sources): the GTID
# algebra (parse, contains, union, print; gtid module), the consistency token (merge a write,
# encode, decode), the routing decision with the monitor and the JDBC calls of a covered read
# through a routed connection against the same calls on the driver's objects (client-sdk module).
# Writes results/hot-paths-jmh.json (raw JMH, both modules) and results/hot-paths-jmh.md (table,
# machine, command). About 3 minutes on 2 cores with the defaults; JMH flags change them, e.g.
#   scripts/bench-jmh.sh -wi 1 -i 2      (quicker, noisier)
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiles the benchmarks (JMH's generator runs on the test sources) and writes each module's test
# classpath to target/jmh.classpath.
mvn -B -q -ntp -pl gtid,client-sdk,benchmarks -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
mkdir -p results benchmarks/target
# One JMH run per benchmark class, in the order of the results table, each from its module's test
# classpath.
parts=()
started=$(date +%s) # for the report's "(N s)", as the other results files say how long they took
for run in gtid:GtidBenchmark client-sdk:TokenBenchmark client-sdk:RoutingDecisionBenchmark \
    client-sdk:CoveredReadBenchmark; do
  module=${run%%:*} benchmark=${run#*:}
  java -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/jmh.classpath")" \
    org.openjdk.jmh.Main "$benchmark" -rf json -rff "benchmarks/target/jmh-$benchmark.json" "$@"
  parts+=("benchmarks/target/jmh-$benchmark.json")
done
java -cp benchmarks/target/benchmarks.jar dev.catchup.bench.JmhReport \
  results/hot-paths-jmh.json results/hot-paths-jmh.md \
  "Hot paths: GTID algebra, consistency token, routing decision, covered read JDBC (JMH)" \
  "scripts/bench-jmh.sh${*:+ $*}" "$started" "${parts[@]}"
echo "wrote results/hot-paths-jmh.md and results/hot-paths-jmh.json"
