# Sourced by scripts/bench-{strategies,routing,monitor,failover}.sh: what the load harnesses' scripts
# share. Each script keeps its own header comment (its --help text), heap size and main class.

# --help / -h: print the calling script's header comment. The harness prints its own usage after
# the build, so this does not exit.
bench_help() {
  local script=$1
  shift
  for a in "$@"; do
    if [[ $a == --help || $a == -h ]]; then
      sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$script"
      echo
      break
    fi
  done
}

# Builds the benchmarks jar (and the modules it needs) quietly.
bench_build() {
  mvn -B -q -ntp -Dstyle.color=never -pl benchmarks -am package -DskipTests
}

# The source revision the results record, marked when the working tree differs from it.
bench_revision() {
  local revision
  revision="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ $revision != unknown && -n "$(git status --porcelain 2>/dev/null)" ]]; then
    revision="$revision (working tree has uncommitted changes)"
  fi
  echo "$revision"
}

# bench_exec MAIN SCRIPT [JVM option...] -- [argument...]: runs the harness MAIN from the jar in
# place of the shell, telling it the command line (as SCRIPT and the arguments) and the revision
# to record in its results.
bench_exec() {
  local main=$1 script=$2
  shift 2
  local jvm=()
  while [[ $# -gt 0 && $1 != -- ]]; do
    jvm+=("$1")
    shift
  done
  shift
  exec java -Xms256m "${jvm[@]}" -Dcatchup.projectRoot="$PWD" -cp benchmarks/target/benchmarks.jar \
    "$main" --invoked-as "$script${*:+ $*}" --revision "$(bench_revision)" "$@"
}
