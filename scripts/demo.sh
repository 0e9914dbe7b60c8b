#!/usr/bin/env bash
# The main command. Starts a local primary + a replica applying every write one second late, the
# Catchup monitor, and the sample shop (orders + billing services); drives the same traffic through
# naive read/write splitting and through Catchup; prints the before/after; stops all it started.
#   scripts/demo.sh                      MySQL 9 (local servers, no Docker needed)
#   scripts/demo.sh --flavor mariadb     MariaDB
#   scripts/demo.sh --docker             the same stack with docker compose (needs a Docker engine)
#   scripts/demo.sh --spring             the shop as two Spring Boot applications on the starter
#                                        (samples-spring; local servers, --flavor works too)
# Other options: --delay SECONDS (1), --clients N (8), --orders-per-client N (3), --keep (leave the
# stack running until Enter is pressed, to look at http://127.0.0.1:<monitor port>/).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

FLAVOR=mysql DELAY=1 CLIENTS=8 PER_CLIENT=3 DOCKER=0 KEEP=0 SPRING=0
while (($#)); do
  case $1 in
    --flavor|--delay|--clients|--orders-per-client)
      (($# >= 2)) || { echo "demo.sh: $1 needs a value (see --help)" >&2; exit 2; } ;;
  esac
  case $1 in
    --flavor) FLAVOR=${2:-}; shift 2 ;;
    --delay) DELAY=${2:-}; shift 2 ;;
    --clients) CLIENTS=${2:-}; shift 2 ;;
    --orders-per-client) PER_CLIENT=${2:-}; shift 2 ;;
    --docker) DOCKER=1; shift ;;
    --spring) SPRING=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $FLAVOR == mysql || $FLAVOR == mariadb ]] || { echo "demo.sh: --flavor must be mysql or mariadb" >&2; exit 2; }
[[ $DELAY =~ ^[0-9]+$ ]] || { echo "demo.sh: --delay must be whole seconds" >&2; exit 2; }
((DOCKER && SPRING)) && { echo "demo.sh: --spring runs on local servers; it does not combine with --docker" >&2; exit 2; }
step() { printf '\n== %s\n' "$*"; }

if ((DOCKER)); then
  docker info >/dev/null 2>&1 || { echo "demo.sh: --docker needs a running Docker engine" >&2; exit 1; }
  file=docker/compose.yaml; [[ $FLAVOR == mariadb ]] && file=docker/compose.mariadb.yaml
  # Installed before `up`: a stack that fails to come up is taken down too, volumes included, so
  # the next run initialises fresh servers.
  trap 'step "Stopping the stack"; docker compose -f "$file" down -v' EXIT
  step "Building images and starting $file (primary, delayed replica, monitor, orders, billing)"
  docker compose -f "$file" up --build --wait
  step "Driving traffic (monitor status page: http://127.0.0.1:9760/)"
  rc=0
  docker compose -f "$file" run --rm driver --orders http://orders:8080 --clients "$CLIENTS" --orders-per-client "$PER_CLIENT" || rc=$?
  if ((KEEP)); then
    echo; read -r -p "Stack left running (monitor: http://127.0.0.1:9760/). Press Enter to stop. " _ || true
  fi
  exit $rc
fi

if [[ $EUID -ne 0 ]]; then
  echo "demo.sh: run as root (the local servers are started with chroot/apt-get)" >&2; exit 1
fi
need=()
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
if ((${#need[@]})); then
  step "Installing ${need[*]} (first run only)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Maven's output goes to a file, shown only when the build fails: even in quiet batch mode it
# prints a line of terminal reset codes.
build() {
  local log; log=$(mktemp /tmp/catchup-demo-build.XXXXXX)
  if ! mvn -B -q -ntp -Dstyle.color=never "$@" > "$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "demo.sh: the build failed (Maven's output above)" >&2; exit 1
  fi
  rm -f "$log"
}
if ((SPRING)); then
  step "Building the monitor, the Spring Boot sample and the driver (the first run downloads Maven dependencies)"
  build -pl monitor,samples,samples-spring -am package -DskipTests
else
  step "Building the monitor and the sample shop (the first run downloads Maven dependencies)"
  build -pl monitor,samples -am package -DskipTests
fi

if [[ $FLAVOR == mysql && ! -f ${CATCHUP_MYSQL_ROOT:-/var/cache/catchup/mysql-root}/.catchup-root-ready ]]; then
  step "Installing MySQL 9 (first run only: builds a Debian sid root with debootstrap, about a minute)"
else
  step "Checking the $FLAVOR server installation"
fi
scripts/topology.sh install "$FLAVOR"

DIR=$(mktemp -d /tmp/catchup-demo.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  step "Stopping everything the demo started"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  scripts/topology.sh down --dir "$DIR" 2>/dev/null || true
  if ((rc == 0)); then rm -rf "$DIR"; else echo "logs kept in $DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Starting a $FLAVOR primary and a replica applying each write at least ${DELAY} s late (GTID replication)"
scripts/topology.sh up --flavor "$FLAVOR" --dir "$DIR" --replicas 1 --delay "$DELAY" > /dev/null 2> "$DIR/topology.log" ||
  { cat "$DIR/topology.log" >&2; exit 1; }
prop() { sed -n "s/^$1=//p" "$DIR/topology.properties"; }
PRIMARY="127.0.0.1:$(prop primary.port)" REPLICA="127.0.0.1:$(prop replica1.port)"
echo "primary $PRIMARY, replica $REPLICA ($(prop version))"

# The compose stack's monitor user with exactly its grants (docker/*/monitor-user.sql), on each
# server unlogged, so the delayed replica need not catch up first.
for s in primary replica1; do
  scripts/topology.sh sql --dir "$DIR" --server "$s" \
    "SET sql_log_bin = 0; $(grep -v '^--' "docker/$FLAVOR/monitor-user.sql")" > /dev/null
done

mapfile -t PORTS < <(scripts/topology.sh ports 5)
MONITOR_PORT=${PORTS[0]} BILLING_PORT=${PORTS[1]} ORDERS_PORT=${PORTS[2]}
NAIVE_BILLING_PORT=${PORTS[3]} NAIVE_ORDERS_PORT=${PORTS[4]}
# The compose stack's monitor config, with the container host names mapped to the local servers.
sed -e "s/host: primary, port: 3306/host: 127.0.0.1, port: $(prop primary.port)/" \
    -e "s/host: replica, port: 3306/host: 127.0.0.1, port: $(prop replica1.port)/" \
    "docker/monitor.$FLAVOR.yaml" > "$DIR/monitor.yaml"

http_ok() {   # http_ok PORT PATH: true on HTTP 200 (bash only: curl may not be installed)
  local line
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  read -r -t 5 line <&3 || line=
  exec 3<&-
  [[ $line == *" 200 "* ]]
}
await_http() {   # await_http NAME PORT PATH PID LOG
  local i
  for ((i = 0; i < 600; i++)); do
    if http_ok "$2" "$3" 2>/dev/null; then return 0; fi
    kill -0 "$4" 2>/dev/null || { echo "demo.sh: $1 exited; its log:" >&2; tail -n 30 "$5" >&2; exit 1; }
    sleep 0.1
  done
  echo "demo.sh: $1 did not answer :$2$3 within 60 s; its log:" >&2; tail -n 30 "$5" >&2; exit 1
}

step "Starting the Catchup monitor (tails both binlogs) on http://127.0.0.1:$MONITOR_PORT/"
java -jar monitor/target/catchup-monitor.jar --config "$DIR/monitor.yaml" \
  --http-port "$MONITOR_PORT" > "$DIR/monitor.log" 2>&1 &
PIDS+=($!)
await_http monitor "$MONITOR_PORT" /health "$!" "$DIR/monitor.log"

service() {   # service NAME PORT [extra VAR=value...]
  local name=$1 port=$2; shift 2
  env CATCHUP_SAMPLE_SERVICE="$name" CATCHUP_SAMPLE_PORT="$port" CATCHUP_SAMPLE_FLAVOR="$FLAVOR" \
    CATCHUP_SAMPLE_PRIMARY="$PRIMARY" CATCHUP_SAMPLE_REPLICAS="replica=$REPLICA" \
    CATCHUP_SAMPLE_DB_USER="$(prop user)" CATCHUP_SAMPLE_DB_PASSWORD="$(prop password)" \
    CATCHUP_SAMPLE_MONITOR="http://127.0.0.1:$MONITOR_PORT" "$@" \
    java -cp samples/target/catchup-samples.jar dev.catchup.samples.shop.ShopService \
    > "$DIR/$name.log" 2>&1 &
  PIDS+=($!)
  await_http "$name service" "$port" /health "$!" "$DIR/$name.log"
}
spring_app() {   # spring_app NAME SERVICE PORT PATH_PREFIX [extra --property=value...]: starts, does not wait
  local name=$1 svc=$2 port=$3 prefix=$4; shift 4
  local url="jdbc:mysql://%s/?useSSL=false&allowPublicKeyRetrieval=true"
  # The application.yaml in the jar holds everything else; these are the local servers.
  java -jar "samples-spring/target/catchup-samples-spring-$svc.jar" --server.port="$port" \
    --catchup.flavor="$FLAVOR" --catchup.primary.url="$(printf "$url" "$PRIMARY")" \
    "--catchup.replicas[0].name=replica" "--catchup.replicas[0].url=$(printf "$url" "$REPLICA")" \
    --catchup.username="$(prop user)" --catchup.password="$(prop password)" "$@" \
    > "$DIR/$name.log" 2>&1 &
  PIDS+=($!)
  APPS+=("$name $port $prefix/actuator/health $! $DIR/$name.log")
}
if ((SPRING)); then
  step "Starting the Spring Boot shop: on Catchup, billing :$BILLING_PORT and orders :$ORDERS_PORT; on the naive split (profile naive), billing :$NAIVE_BILLING_PORT and orders :$NAIVE_ORDERS_PORT"
  APPS=()
  spring_app billing billing "$BILLING_PORT" "" --catchup.monitors="http://127.0.0.1:$MONITOR_PORT"
  spring_app orders orders "$ORDERS_PORT" "" --catchup.monitors="http://127.0.0.1:$MONITOR_PORT" \
    --shop.billing-url="http://127.0.0.1:$BILLING_PORT"
  spring_app naive-billing billing "$NAIVE_BILLING_PORT" /naive --spring.profiles.active=naive
  spring_app naive-orders orders "$NAIVE_ORDERS_PORT" /naive --spring.profiles.active=naive \
    --shop.billing-url="http://127.0.0.1:$NAIVE_BILLING_PORT/naive"
  for app in "${APPS[@]}"; do
    read -r name port path pid log <<< "$app"
    await_http "$name" "$port" "$path" "$pid" "$log"
  done
  DRIVER_ARGS=(--orders "http://127.0.0.1:$ORDERS_PORT" --naive "http://127.0.0.1:$NAIVE_ORDERS_PORT"
    --strategies naive,catchup)
else
  step "Starting the sample shop: billing on :$BILLING_PORT, orders on :$ORDERS_PORT"
  service billing "$BILLING_PORT"
  service orders "$ORDERS_PORT" CATCHUP_SAMPLE_BILLING="http://127.0.0.1:$BILLING_PORT"
  DRIVER_ARGS=(--orders "http://127.0.0.1:$ORDERS_PORT")
fi

cat <<EOF

Each client places an order (orders then asks billing for the invoice, passing the Catchup token
in a header), reads it back, pays it and reads it back again; the replica applies every write
at least ${DELAY} s after the primary commits it (MySQL counts the delay in whole seconds from the
commit and applies about a second later than asked). Every read is checked against what the
client wrote.
EOF
step "Driving the shop"
rc=0
java -cp samples/target/catchup-samples.jar dev.catchup.samples.driver.DemoDriver \
  "${DRIVER_ARGS[@]}" --clients "$CLIENTS" --orders-per-client "$PER_CLIENT" || rc=$?
if ((KEEP)); then
  echo; read -r -p "Stack left running (monitor: http://127.0.0.1:$MONITOR_PORT/). Press Enter to stop. " _ || true
fi
exit $rc
