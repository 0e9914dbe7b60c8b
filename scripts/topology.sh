#!/usr/bin/env bash
# topology.sh - bring up / tear down a local replicated MySQL or MariaDB topology
# (one primary + N GTID replicas on free 127.0.0.1 ports) for Catchup tests and demos.
#
# Usage:
#   topology.sh install mysql|mariadb|mariadb-11.8|all
#   topology.sh up     --flavor mysql|mariadb [--version 11.8] --dir DIR [--replicas N] [--delay SECONDS]
#   topology.sh down   --dir DIR
#   topology.sh stop   --dir DIR --server NAME [--graceful]   (default: kill -9)
#   topology.sh start  --dir DIR --server NAME
#   topology.sh delay  --dir DIR --server NAME --seconds D
#   topology.sh sql    --dir DIR --server NAME "SQL"          (root via socket, tab-separated, no header)
#   topology.sh status --dir DIR
#   topology.sh promote  --dir DIR --server NAME             (stop + reset replication, writable)
#   topology.sh repoint  --dir DIR --server NAME --source NAME  (replicate from another server)
#   topology.sh readonly --dir DIR --server NAME --on|--off  (super_read_only on MySQL)
#   topology.sh add      --dir DIR --source NAME [--seconds D] (a new replica; prints the properties)
#   topology.sh ports  N                                       (N free loopback ports, one per line)
# NAME is primary, replica1, replica2, ... (names stay when roles change: after `promote` replica1
# may be the primary; NAME.source in the properties file says whom a server replicates from).
#
# `up` also makes a test CA and one server certificate (SAN 127.0.0.1, ::1, localhost) and starts
# every server with them, so tests can require TLS and verify it (tlsCa= in the properties file).
# `up` prints DIR/topology.properties (java.util.Properties format) on stdout; all progress and
# errors go to stderr, and any failure exits non-zero. Servers run detached (setsid) and are
# only ever killed by the PIDs recorded in that file.
# Servers: --flavor mysql is MySQL 9 from a Debian sid chroot (bookworm ships none); --flavor
# mariadb is the host's MariaDB package (10.11 on bookworm), --flavor mariadb --version 11.8 the
# MariaDB 11.8 LTS of a second sid chroot (its packages conflict with MySQL's). `install all`
# installs all three.
# Environment: CATCHUP_MYSQL_ROOT (default /var/cache/catchup/mysql-root: the MySQL 9 chroot),
# CATCHUP_MARIADB_ROOT (default /var/cache/catchup/mariadb-root: the MariaDB 11.8 chroot), CATCHUP_TIMEOUT (seconds per wait, default 90),
# CATCHUP_SERVER_ARGS (extra server options for `up`, e.g. "--performance-schema=ON" for MariaDB;
# recorded as serverArgs so `start` reuses them).
set -euo pipefail
# Java's ProcessBuilder may hand us a PATH without the sbin dirs (mariadbd, chroot, debootstrap).
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"
export LC_ALL=C

PROG=topology.sh
MYSQL_ROOT="${CATCHUP_MYSQL_ROOT:-/var/cache/catchup/mysql-root}"
MARIADB_ROOT="${CATCHUP_MARIADB_ROOT:-/var/cache/catchup/mariadb-root}"
READY=".catchup-root-ready"            # marker written last: a root without it is unfinished
TIMEOUT="${CATCHUP_TIMEOUT:-90}"
APP_USER=catchup APP_PASS=catchup
PORT_LOCK=/tmp/catchup-ports.lock PORT_RECENT=/tmp/catchup-ports.recent

die() { printf '%s: error: %b\n' "$PROG" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

# ---------------------------------------------------------------- properties file helpers
# The properties file is the single source of truth (Java reads it too), so every update is a
# rewrite into a temp file + rename: a concurrent reader never sees a half-written file.
prop() { awk -v k="$1" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$PROPS"; }
set_prop() {
  awk -v k="$1" -v v="$2" 'index($0, k "=") == 1 { print k "=" v; d = 1; next } { print }
                           END { if (!d) print k "=" v }' "$PROPS" > "$PROPS.tmp.$$"
  mv -f "$PROPS.tmp.$$" "$PROPS"
}
load_topology() {
  DIR=$(realpath -m "$1"); PROPS="$DIR/topology.properties"
  [[ -f $PROPS ]] || die "no topology in $DIR ($PROPS not found)"
  FLAVOR=$(prop flavor); ROOT=$(prop serverRoot); set_vocab
}
servers() { echo primary; local i n; n=$(prop replicas); for ((i = 1; i <= n; i++)); do echo "replica$i"; done; }
hpath() { printf '%s%s' "$ROOT" "$1"; }   # server-visible path -> host path (chroot prefix, if any)
# in_root CMD...: run a server binary, inside the chroot when the topology has one (ROOT not empty).
in_root() { if [[ -n $ROOT ]]; then chroot "$ROOT" "$@"; else "$@"; fi; }

# MySQL 8.4+/9 dropped the MASTER/SLAVE syntax; MariaDB 10.11 only half-adopted the new one.
set_vocab() {
  case "$FLAVOR" in
    mysql) R_STATUS="SHOW REPLICA STATUS" R_START="START REPLICA" R_STOP="STOP REPLICA"
           F_IO=Replica_IO_Running F_SQL=Replica_SQL_Running F_BEHIND=Seconds_Behind_Source ;;
    mariadb) R_STATUS="SHOW SLAVE STATUS" R_START="START SLAVE" R_STOP="STOP SLAVE"
           F_IO=Slave_IO_Running F_SQL=Slave_SQL_Running F_BEHIND=Seconds_Behind_Master ;;
    *) die "unknown flavor '$FLAVOR' (expected mysql or mariadb)" ;;
  esac
}

# ---------------------------------------------------------------- SQL client
# Admin SQL runs as root over the unix socket: root has no password and this avoids TCP auth
# plugin negotiation. A chroot's client lives in it, so the socket path is the inner one.
run_sql() {
  local srv=$1; shift
  local sock; sock=$(prop "$srv.socket")
  if [[ $FLAVOR == mysql ]]; then
    in_root /usr/bin/mysql --no-defaults -uroot --socket="$sock" -N -B "$@"
  else
    in_root mariadb --no-defaults -uroot --socket="$sock" -N -B "$@"
  fi
}
q() { local srv=$1; shift; run_sql "$srv" -e "$*"; }
rstatus() {   # rstatus SERVER FIELD -> one field of SHOW REPLICA/SLAVE STATUS
  run_sql "$1" --column-names -E -e "$R_STATUS" | awk -v f="$2" '{ k = $1; sub(/:$/, "", k) }
    k == f { i = index($0, ": "); print (i ? substr($0, i + 2) : ""); exit }'
}

# ---------------------------------------------------------------- install
host_mirror() {   # the host's own Debian mirror, from deb822 .sources or classic .list files
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ for (i = 2; i <= NF; i++) print $i }'
    grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -E 's/^deb +(\[[^]]*\] +)?//' | awk '{ print $1 }'
  } | grep -v -- '-security' | grep -m1 -E '/debian/?$' || true
}

# On a fresh machine the package lists may be missing or stale: refresh them once and retry.
host_apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=300 "$@" >&2 && return
  log "apt-get install $* failed; refreshing package lists and retrying"
  apt-get -o DPkg::Lock::Timeout=300 update >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=300 "$@" >&2
}

# build_sid_root ROOT WHAT SERIES SERVER PACKAGE...: a Debian sid chroot at ROOT with PACKAGEs,
# built once and cached (the marker file is written last). SERIES, when not empty, is the version
# prefix SERVER --version must show (sid moves on: a root of another series is refused, not used).
build_sid_root() {
  local root=$1 what=$2 series=$3 server=$4; shift 4
  if [[ -f $root/$READY ]]; then log "$what: root $root already built"; return; fi
  mkdir -p "$(dirname "$root")"
  # Two test JVMs may call install at once: serialise, then re-check.
  exec 8>"$root.lock"; flock 8
  if [[ -f $root/$READY ]]; then exec 8>&-; return; fi
  command -v debootstrap >/dev/null || host_apt_install debootstrap
  local mirror; mirror=$(host_mirror)
  [[ -n $mirror ]] || die "cannot find a Debian mirror in /etc/apt/sources.list{,.d/*}"
  log "building the $what root with debootstrap (first run only, ~1 min) from $mirror ..."
  local t0; t0=$(now)
  # Build next to the final path and rename at the end, so an interrupted build never leaves
  # something that looks finished. --one-file-system: never recurse into a leftover /proc mount.
  # A killed earlier build may have left debootstrap's /proc or /sys mounts behind: detach them.
  awk -v p="$root.tmp." 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l
  rm -rf --one-file-system "$root".tmp.* "$root"
  local tmp; tmp=$(mktemp -d "$root.tmp.XXXXXX")
  # shellcheck disable=SC2064  # expand $tmp now: it is local
  trap "rm -rf --one-file-system '$tmp'" EXIT
  trap 'exit 130' INT TERM HUP   # run the EXIT trap when killed
  debootstrap --variant=minbase sid "$tmp" "$mirror" > "$tmp.log" 2>&1 ||
    die "debootstrap failed (log: $tmp.log):\n$(tail -n 20 "$tmp.log")"
  # The sid Release file on the mirror may be past its Valid-Until date.
  { chroot "$tmp" apt-get -o Acquire::Check-Valid-Until=false -o Acquire::Check-Date=false update &&
    chroot "$tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" &&
    chroot "$tmp" apt-get clean; } >> "$tmp.log" 2>&1 ||
    die "apt-get inside the sid root failed (log: $tmp.log):\n$(tail -n 20 "$tmp.log")"
  local version; version=$(chroot "$tmp" "$server" --version)
  log "$version"
  if [[ -n $series && ! $version =~ Ver\ ${series//./\\.}\. ]]; then
    die "Debian sid now ships another $what than $series: $version; the tests name $series"
  fi
  # debootstrap writes no /etc/hosts; mariadb-install-db refuses to run if localhost does not resolve.
  [[ -s $tmp/etc/hosts ]] || printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' > "$tmp/etc/hosts"
  mkdir -p "$tmp/var/lib/catchup"; touch "$tmp/$READY"
  mv "$tmp" "$root"; rm -f "$tmp.log"; trap - EXIT INT TERM HUP; exec 8>&-
  log "$what: root ready at $root in $(elapsed "$t0") s"
}

install_mysql() {
  build_sid_root "$MYSQL_ROOT" "MySQL 9" "" /usr/sbin/mysqld mysql-server-core mysql-client-core
}

# MariaDB 11.8 LTS from sid, in a root of its own: mysql-server-core and mariadb-server-core
# conflict. mariadb-install-db needs my_print_defaults (in the server core) and hostname.
install_mariadb_118() {
  build_sid_root "$MARIADB_ROOT" "MariaDB 11.8" 11.8 /usr/sbin/mariadbd \
    mariadb-server-core mariadb-client-core hostname
}

install_mariadb() {
  if command -v mariadbd >/dev/null; then log "mariadb: $(mariadbd --version)"; return; fi
  log "installing mariadb-server from Debian ..."
  host_apt_install mariadb-server || die "apt-get install mariadb-server failed"
  # We run our own instances; a distro service (if one was started) would only waste memory.
  if pidof mariadbd >/dev/null 2>&1 && [[ -f /run/mysqld/mysqld.pid ]]; then
    (systemctl stop mariadb || service mariadb stop) >/dev/null 2>&1 || true
  fi
}

cmd_install() {
  case "${1:-}" in
    mysql) install_mysql ;; mariadb) install_mariadb ;; mariadb-11.8) install_mariadb_118 ;;
    all) install_mariadb; install_mysql; install_mariadb_118 ;;
    *) die "install needs mysql, mariadb, mariadb-11.8 or all" ;;
  esac
}

# ---------------------------------------------------------------- ports
# Random ports below the kernel's ephemeral range (32768+), skipping listening ones and those
# handed out in the last 2 minutes, so two concurrent `up`s cannot pick the same port before
# their servers have bound it.
free_ports() {   # free_ports N -> N ports, one per line
  local n=$1 p got=() listening
  exec 7>"$PORT_LOCK"; flock 7
  listening=$(awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null |
              while read -r h; do echo $((16#$h)); done)
  touch "$PORT_RECENT"
  awk -v t="$(date +%s)" '$2 > t - 120' "$PORT_RECENT" > "$PORT_RECENT.tmp" || true
  mv -f "$PORT_RECENT.tmp" "$PORT_RECENT"
  while ((${#got[@]} < n)); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    if grep -qx "$p" <<<"$listening" || grep -q "^$p " "$PORT_RECENT" ||
       [[ " ${got[*]} " == *" $p "* ]]; then continue; fi
    got+=("$p"); echo "$p $(date +%s)" >> "$PORT_RECENT"
  done
  exec 7>&-
  printf '%s\n' "${got[@]}"
}

# ---------------------------------------------------------------- server lifecycle
server_cmd() {   # sets CMD to the server's argv, built only from the properties file
  local s=$1
  local dd port id sock pidf errlog
  dd=$(prop "$s.datadir") port=$(prop "$s.port") id=$(prop "$s.serverId")
  sock=$(prop "$s.socket") pidf=$(prop "$s.pidFile") errlog=$(prop "$s.errorLog")
  # Small buffer pool: tests run two topologies (6 servers) on a small machine.
  # flush_log_at_trx_commit=2 / sync_binlog=0 skip fsyncs; still safe against kill -9 (only an OS
  # crash loses data). relay-log-recovery makes replicas crash-safe across `stop` (kill -9).
  local common=(--no-defaults --user=root --datadir="$dd" --port="$port" --bind-address=127.0.0.1
    --socket="$sock" --pid-file="$pidf" --log-error="$errlog" --server-id="$id" --tmpdir="$dd.tmp"
    --log-bin=binlog --relay-log=relay-bin --relay-log-recovery=ON --skip-name-resolve
    --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=2 --sync-binlog=0)
  if [[ $FLAVOR == mysql ]]; then
    # performance_schema stays ON (the monitor reads its replication tables) but with smaller
    # history/digest tables: defaults make each idle mysqld ~540 MB RSS. The event scheduler is
    # off because with it on, a primary with a replica attached needs ~11 s (not ~3 s) to stop.
    CMD=(chroot "$ROOT" /usr/sbin/mysqld "${common[@]}" --mysqlx=OFF --secure-file-priv=
         --gtid-mode=ON --enforce-gtid-consistency=ON --log-replica-updates=ON
         --event-scheduler=OFF
         --innodb-redo-log-capacity=64M --innodb-log-buffer-size=8M --table-open-cache=400
         --performance-schema-digests-size=1000 --performance-schema-max-thread-instances=400
         --performance-schema-events-statements-history-long-size=1000
         --performance-schema-events-stages-history-long-size=1000
         --performance-schema-events-waits-history-long-size=1000
         --performance-schema-events-transactions-history-long-size=1000)
  else
    CMD=(mariadbd "${common[@]}" --log-slave-updates=ON --binlog-format=ROW --gtid-strict-mode=ON)
    [[ -z $ROOT ]] || CMD=(chroot "$ROOT" /usr/sbin/"${CMD[@]}")
  fi
  local tls; tls=$(prop tlsDir)
  if [[ -n $tls ]]; then
    CMD+=(--ssl-ca="$tls/ca.pem" --ssl-cert="$tls/server-cert.pem" --ssl-key="$tls/server-key.pem")
  fi
  local extra; read -r -a extra <<<"$(prop serverArgs)"; CMD+=("${extra[@]}")
}

# Each server gets its own tmpdir: parallel mariadb-install-db runs sharing /tmp collide on
# temp-table file names ("Unknown table 'mysql.tmp_user_sys'", even signal 11).
# Runs as a background job: exec setsid makes the job PID lead its own process group, so an
# interrupted `up` can kill the initialiser with all its children (kill -- -PID).
init_server() {   # create an empty data dir with root@localhost (no password)
  local s=$1 dd errlog
  dd=$(prop "$s.datadir") errlog=$(hpath "$(prop "$s.errorLog")")
  mkdir -p "$(hpath "$dd.tmp")"
  if [[ $FLAVOR == mysql ]]; then
    exec setsid chroot "$ROOT" /usr/sbin/mysqld --no-defaults --initialize-insecure --user=root --datadir="$dd" \
      --innodb-redo-log-capacity=64M --tmpdir="$dd.tmp" --log-error="$(prop "$s.errorLog")" >> "$errlog" 2>&1
  else
    local pre=(); [[ -z $ROOT ]] || pre=(chroot "$ROOT")
    exec setsid "${pre[@]}" mariadb-install-db --no-defaults --user=root --datadir="$dd" --auth-root-authentication-method=normal \
      --skip-test-db --tmpdir="$dd.tmp" >> "$errlog" 2>&1
  fi
}

# make_certs: a CA and one server certificate for every server of the topology, in the data root
# (inside the chroot for MySQL, which must read them). Generated per topology, never reused: the
# CA's key sits next to it, so it is only good for tests. MySQL would make its own certificates,
# but a test that verifies the server (verify-ca) needs a CA it knows, and MariaDB makes none.
make_certs() {
  local tls h
  command -v openssl >/dev/null || host_apt_install openssl || die "apt-get install openssl failed"
  tls=$(prop dataRoot)/tls; h=$(hpath "$tls"); mkdir -p "$h"
  { openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$h/ca-key.pem" -out "$h/ca.pem" \
      -config <(printf '%s\n' '[req]' 'distinguished_name=dn' 'x509_extensions=ext' 'prompt=no' \
        '[dn]' "CN=Catchup test CA ${DIR##*/}" \
        '[ext]' 'basicConstraints=critical,CA:TRUE' 'keyUsage=critical,keyCertSign,cRLSign' \
        'subjectKeyIdentifier=hash') &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$h/server-key.pem" \
      -out "$h/server.csr" &&
    openssl x509 -req -in "$h/server.csr" -CA "$h/ca.pem" -CAkey "$h/ca-key.pem" -days 3650 \
      -set_serial "0x$(openssl rand -hex 12)" -out "$h/server-cert.pem" \
      -extfile <(printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=digitalSignature,keyEncipherment' \
        'extendedKeyUsage=serverAuth' 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost'); } \
    > "$h/openssl.log" 2>&1 || die "cannot make test certificates:\n$(tail -n 20 "$h/openssl.log")"
  rm -f "$h/server.csr"
  set_prop tlsDir "$tls"; set_prop tlsCa "$h/ca.pem"
}

# is_ours PID SERVER: true if PID is alive and is the server started on that data dir
# (guards against killing a recycled PID).
is_ours() {
  [[ $1 =~ ^[0-9]+$ ]] && [[ -r /proc/$1/cmdline ]] &&
    tr '\0' '\n' < "/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$(prop "$2.datadir")"
}

close_inherited_fds() {   # in a subshell about to exec: close every fd above 2
  local fd fds
  fds=$(ls /proc/self/fd)   # listed by a child, so its own directory fd is not among ours
  for fd in $fds; do
    if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

launch_server() {   # start detached; stdin/out/err must not stay attached to the caller's pipes
  local s=$1 errlog
  server_cmd "$s"; errlog=$(hpath "$(prop "$s.errorLog")")
  # A kill -9'ed mysqld leaves SOCKET.lock holding its PID; if that PID still exists (e.g. as an
  # unreaped zombie) the new mysqld refuses to start. We know it is not running: remove them.
  rm -f "$(hpath "$(prop "$s.pidFile")")" "$(hpath "$(prop "$s.socket")")" "$(hpath "$(prop "$s.socket")").lock"
  # The subshell closes every descriptor above stderr before exec: a server outlives us, and one
  # it inherited (say a caller's `exec 9>lock; flock 9`) would keep that lock held while it runs.
  # Not a group leader, so setsid (and chroot) exec in place: $! is the server's PID.
  ( close_inherited_fds; exec setsid "${CMD[@]}" ) < /dev/null >> "$errlog" 2>&1 &
  set_prop "$s.pid" "$!"
  disown "$!"   # not a job of ours: no "Killed" chatter, never waited for
}

server_fail() {   # server_fail SERVER MESSAGE: die with the tail of the server's error log
  local errlog; errlog=$(hpath "$(prop "$1.errorLog")")
  # ERROR lines first: mariadb-install-db buries the real cause under a long generic epilogue.
  die "$1: $2\n--- ERROR lines of $errlog ---\n$(grep -m 10 -E '\[ERROR\]|ERROR' "$errlog" 2>/dev/null)" \
      "\n--- last 15 lines ---\n$(tail -n 15 "$errlog" 2>/dev/null)"
}

wait_ready() {   # wait until the server answers SQL on its socket
  local s=$1 deadline=$((SECONDS + TIMEOUT)) pid
  pid=$(prop "$s.pid")
  until q "$s" "SELECT 1" > /dev/null 2>&1; do
    is_ours "$pid" "$s" || server_fail "$s" "server process $pid exited during startup"
    ((SECONDS < deadline)) || server_fail "$s" "not accepting connections after ${TIMEOUT}s"
    sleep 0.2
  done
  # mysqld runs via `chroot`, which execs it, so $! is already the server; trust the pid file anyway.
  local pf; pf=$(cat "$(hpath "$(prop "$s.pidFile")")" 2>/dev/null || true)
  if [[ -n $pf && $pf != "$pid" ]] && is_ours "$pf" "$s"; then set_prop "$s.pid" "$pf"; fi
}

# await_replica SERVER: like wait_replica, but while the primary is down the IO thread cannot
# connect; it retries every second by itself, so only say so.
await_replica() {
  local src; src=$(prop "$1.source")
  if is_ours "$(prop "$src.pid")" "$src"; then wait_replica "$1"
  else log "$1: its source $src is down; replication resumes when it is back"; fi
}

# wait_replica SERVER [GTIDSET]: IO and SQL threads running and (if given) GTIDSET applied.
wait_replica() {
  local s=$1 gtids=${2:-} deadline io sql err applied
  deadline=$((SECONDS + TIMEOUT + $(prop "$s.delay")))
  while :; do
    io=$(rstatus "$s" "$F_IO") sql=$(rstatus "$s" "$F_SQL")
    err=$(rstatus "$s" Last_IO_Error; rstatus "$s" Last_SQL_Error)
    [[ $sql == No && -n ${err//[$'\n ']/} ]] && server_fail "$s" "replication SQL thread stopped: $err"
    applied=1
    if [[ $io == Yes && $sql == Yes && -n $gtids ]]; then
      if [[ $FLAVOR == mysql ]]; then applied=$(q "$s" "SELECT GTID_SUBSET('$gtids', @@gtid_executed)")
      else applied=$(q "$s" "SELECT MASTER_GTID_WAIT('$gtids', 0.5) = 0"); fi
    fi
    [[ $io == Yes && $sql == Yes && $applied == 1 ]] && return 0
    ((SECONDS < deadline)) ||
      server_fail "$s" "replication not ready after ${TIMEOUT}s (+delay): io=$io sql=$sql applied=$applied errors: $err"
    sleep 0.2
  done
}

stop_pids() {   # stop_pids SIGNAL WAIT_SECONDS SERVER... : signal, wait, then SIGKILL leftovers
  local sig=$1 wait=$2 s pid i alive; shift 2
  local pids=()
  for s in "$@"; do pid=$(prop "$s.pid"); if is_ours "$pid" "$s"; then pids+=("$pid:$s"); fi; done
  ((${#pids[@]})) || return 0
  for i in "${pids[@]}"; do kill "-$sig" "${i%%:*}" 2>/dev/null || true; done
  for ((i = 0; i < wait * 10; i++)); do
    alive=0; for pid in "${pids[@]}"; do is_ours "${pid%%:*}" "${pid#*:}" && alive=1; done
    ((alive)) || return 0; sleep 0.1
  done
  for pid in "${pids[@]}"; do
    if is_ours "${pid%%:*}" "${pid#*:}"; then log "${pid#*:}: still running, sending KILL"; kill -KILL "${pid%%:*}" 2>/dev/null || true; fi
  done
  sleep 0.5
}

# ---------------------------------------------------------------- commands
up_cleanup() {
  local rc=$?
  trap - EXIT
  if ((rc)); then
    log "up failed; cleaning up $DIR"
    # Data dir initialisers still running: KILL (mysqld --initialize ignores TERM).
    local j; for j in $(jobs -p); do kill -KILL -- "-$j" 2>/dev/null || true; done; wait
    (cmd_down --dir "$DIR") || rm -rf "$DIR"
  fi
  exit "$rc"
}

cmd_up() {
  local flavor="" version="" dir="" n=1 delay=0
  while (($#)); do case "$1" in
    --flavor) flavor=${2:?}; shift 2 ;; --version) version=${2:?}; shift 2 ;; --dir) dir=${2:?}; shift 2 ;;
    --replicas) n=${2:?}; shift 2 ;; --delay) delay=${2:?}; shift 2 ;;
    *) die "up: unknown argument '$1'" ;; esac; done
  [[ $flavor == mysql || $flavor == mariadb ]] || die "up: --flavor mysql|mariadb is required"
  # The server binaries: a chroot (ROOT) or the host's (ROOT empty), and the installer of each.
  local install
  case "$flavor/$version" in
    mysql/) install=install_mysql ROOT=$MYSQL_ROOT ;;
    mariadb/) install=install_mariadb ROOT="" ;;
    mariadb/11.8) install=install_mariadb_118 ROOT=$MARIADB_ROOT ;;
    *) die "up: --version '$version' is not one of $flavor's: none (mysql: MySQL 9 from sid;" \
           "mariadb: the host's package) or 11.8 (mariadb only)" ;;
  esac
  [[ -n $dir ]] || die "up: --dir is required"
  [[ $n =~ ^[0-9]+$ && $delay =~ ^[0-9]+$ ]] || die "up: --replicas and --delay must be integers"
  DIR=$(realpath -m "$dir"); PROPS="$DIR/topology.properties"
  [[ -e $PROPS ]] && die "$DIR already holds a topology; run: $PROG down --dir $DIR"
  local t0; t0=$(now)
  "$install"   # cheap no-op once installed
  FLAVOR=$flavor; set_vocab
  mkdir -p "$DIR"; : > "$PROPS"; set_prop flavor "$flavor"
  # From here on a failure tears down whatever was started (the properties file knows it all).
  trap up_cleanup EXIT
  trap 'exit 130' INT TERM HUP   # make sure the EXIT trap runs when the caller kills us

  local data run
  if [[ -n $ROOT ]]; then
    # A chrooted server only sees the chroot, so its files live inside it; unique dir per topology.
    data=$(mktemp -d "$ROOT/var/lib/catchup/topo.XXXXXX"); data=${data#"$ROOT"}; run=$data
  else
    data="$DIR/data"; mkdir -p "$data"
    run=$(mktemp -d /tmp/catchup.XXXXXX)   # unix socket paths must stay < 108 chars
  fi
  set_prop version ""; set_prop user "$APP_USER"; set_prop password "$APP_PASS"
  set_prop replicas "$n"; set_prop serverRoot "$ROOT"; set_prop dataRoot "$data"; set_prop runDir "$run"
  set_prop serverArgs "${CATCHUP_SERVER_ARGS:-}"

  local ports=() i=0 s
  mapfile -t ports < <(free_ports $((n + 1)))
  for s in $(servers); do
    set_prop "$s.host" 127.0.0.1; set_prop "$s.port" "${ports[i]}"; set_prop "$s.pid" ""
    set_prop "$s.serverId" $((i + 1)); set_prop "$s.uuid" ""
    [[ $s == primary ]] || { set_prop "$s.delay" "$delay"; set_prop "$s.source" primary; }
    set_prop "$s.datadir" "$data/$s"; set_prop "$s.socket" "$run/$s.sock"
    set_prop "$s.pidFile" "$run/$s.pid"; set_prop "$s.errorLog" "$data/$s.err"
    i=$((i + 1))
  done

  command -v openssl >/dev/null || host_apt_install openssl || die "openssl is needed for test certificates"
  make_certs
  log "initialising $((n + 1)) $flavor data dirs ..."
  local jobs=()
  for s in $(servers); do init_server "$s" & jobs+=("$!:$s"); done
  local failed=""   # wait for all jobs before failing, so cleanup never races a running init
  for i in "${jobs[@]}"; do wait "${i%%:*}" || failed=${failed:-${i#*:}}; done
  [[ -z $failed ]] || server_fail "$failed" "data dir initialisation failed"
  for s in $(servers); do launch_server "$s"; done
  for s in $(servers); do wait_ready "$s"; done
  log "servers accepting connections after $(elapsed "$t0") s"

  # Users are created with the binlog off on every server, so they carry no GTIDs and replicas
  # never hold transactions the primary lacks (no errant GTIDs).
  local grant="SET sql_log_bin=0; CREATE USER '$APP_USER'@'%' IDENTIFIED BY '$APP_PASS';
               GRANT ALL PRIVILEGES ON *.* TO '$APP_USER'@'%' WITH GRANT OPTION; SET sql_log_bin=1;"
  for s in $(servers); do q "$s" "$grant"; done
  q primary "CREATE DATABASE $APP_USER"   # replicated; doubles as the probe transaction

  for s in $(servers); do [[ $s == primary ]] || { change_source "$s" primary "$delay"; q "$s" "$R_START"; }; done
  local gtids; gtids=$(executed primary)
  for s in $(servers); do [[ $s == primary ]] || wait_replica "$s" "$gtids"; done

  set_prop version "$(q primary "SELECT VERSION()")"
  if [[ $flavor == mysql ]]; then
    for s in $(servers); do set_prop "$s.uuid" "$(q "$s" "SELECT @@server_uuid")"; done
  fi
  trap - EXIT INT TERM HUP
  log "$flavor topology (1 primary + $n replicas, delay ${delay}s) up in $(elapsed "$t0") s"
  cat "$PROPS"
}

# change_source SERVER SOURCE DELAY: point SERVER's replication at SOURCE (GTID auto-positioning),
# replication stopped. Connect retry 1 s (default 60 s): after a test restarts a source, its replicas
# reconnect at once. MariaDB uses current_pos, which also covers a demoted primary's own writes.
change_source() {
  local s=$1 src=$2 delay=$3 port; port=$(prop "$src.port")
  if [[ $FLAVOR == mysql ]]; then
    q "$s" "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=$port,
            SOURCE_USER='$APP_USER', SOURCE_PASSWORD='$APP_PASS', SOURCE_AUTO_POSITION=1,
            SOURCE_DELAY=$delay, GET_SOURCE_PUBLIC_KEY=1,
            SOURCE_CONNECT_RETRY=1, SOURCE_RETRY_COUNT=86400"
  else
    q "$s" "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$port, MASTER_USER='$APP_USER',
            MASTER_PASSWORD='$APP_PASS', MASTER_USE_GTID=current_pos, MASTER_DELAY=$delay,
            MASTER_CONNECT_RETRY=1"
  fi
  set_prop "$s.source" "$src"; set_prop "$s.delay" "$delay"
}

executed() {   # executed SERVER -> its executed GTIDs, one line
  if [[ $FLAVOR == mysql ]]; then q "$1" "SELECT REPLACE(@@gtid_executed, '\\n', '')"; else q "$1" "SELECT @@gtid_binlog_pos"; fi
}

parse_dir_server() {   # common --dir/--server/extra flag parsing for per-server commands
  DIR_ARG="" SERVER="" GRACEFUL=0 SECS="" SOURCE="" ONOFF="" REST=()
  while (($#)); do case "$1" in
    --dir) DIR_ARG=${2:?}; shift 2 ;; --server) SERVER=${2:?}; shift 2 ;;
    --graceful) GRACEFUL=1; shift ;; --seconds) SECS=${2:?}; shift 2 ;;
    --source) SOURCE=${2:?}; shift 2 ;; --on) ONOFF=ON; shift ;; --off) ONOFF=OFF; shift ;;
    --*) die "unknown option '$1'" ;; *) REST+=("$1"); shift ;; esac; done
  [[ -n $DIR_ARG ]] || die "--dir is required"
}
need_server() {
  [[ -n $SERVER ]] || die "--server is required (primary, replica1, ...)"
  [[ -n $(prop "$SERVER.port") ]] || die "no server '$SERVER' in $PROPS"
}

cmd_down() {
  parse_dir_server "$@"
  local dir; dir=$(realpath -m "$DIR_ARG")
  if [[ ! -f $dir/topology.properties ]]; then log "no topology in $dir (already down?)"; return 0; fi
  load_topology "$dir"
  # Straight to KILL: the data is deleted next, so a clean shutdown buys nothing, and a MySQL 9
  # primary that has had a replica attached takes ~10 s to honour SIGTERM.
  # shellcheck disable=SC2046
  stop_pids KILL 10 $(servers)
  local data run; data=$(prop dataRoot) run=$(prop runDir)
  # Only delete what `up` created: guard against an empty or foreign path in a hand-edited file.
  if [[ -n $data && ( $data == "$DIR/data" || $data == /var/lib/catchup/topo.* ) ]]; then rm -rf "$(hpath "$data")"; fi
  if [[ -n $run && ( $run == /tmp/catchup.* || $run == /var/lib/catchup/topo.* ) ]]; then rm -rf "$(hpath "$run")"; fi
  rm -rf "$DIR"
  log "topology in $DIR is down"
}

cmd_stop() {
  parse_dir_server "$@"; load_topology "$DIR_ARG"; need_server
  if ((GRACEFUL)); then stop_pids TERM 60 "$SERVER"; else stop_pids KILL 10 "$SERVER"; fi
  set_prop "$SERVER.pid" ""   # never leave a PID that the kernel may hand to someone else
  log "$SERVER stopped"
}

cmd_start() {
  parse_dir_server "$@"; load_topology "$DIR_ARG"; need_server
  if is_ours "$(prop "$SERVER.pid")" "$SERVER"; then log "$SERVER is already running"; return 0; fi
  launch_server "$SERVER"; wait_ready "$SERVER"
  if [[ -n $(prop "$SERVER.source") ]]; then
    # Replication restarts by itself from persisted state; START is a harmless no-op then
    # (warning only) and a safety net otherwise.
    q "$SERVER" "$R_START" > /dev/null
    await_replica "$SERVER"
  fi
  log "$SERVER started (pid $(prop "$SERVER.pid"), port $(prop "$SERVER.port"))"
}

cmd_delay() {
  parse_dir_server "$@"; load_topology "$DIR_ARG"; need_server
  [[ -n $(prop "$SERVER.source") ]] || die "delay applies to replicas only ($SERVER replicates from nobody)"
  [[ $SECS =~ ^[0-9]+$ ]] || die "delay: --seconds N (integer) is required"
  if [[ $FLAVOR == mysql ]]; then
    q "$SERVER" "STOP REPLICA SQL_THREAD; CHANGE REPLICATION SOURCE TO SOURCE_DELAY=$SECS; START REPLICA SQL_THREAD"
  else   # MariaDB refuses CHANGE MASTER while the IO thread runs; GTID resume makes a full stop safe
    q "$SERVER" "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=$SECS; START SLAVE"
  fi
  set_prop "$SERVER.delay" "$SECS"
  await_replica "$SERVER"   # return only once both threads run again (IO thread reconnected)
  log "$SERVER: delay is now ${SECS}s"
}

cmd_promote() {   # what a failover tool does to its candidate: unapplied relay log is discarded
  parse_dir_server "$@"; load_topology "$DIR_ARG"; need_server
  if [[ $FLAVOR == mysql ]]; then
    q "$SERVER" "STOP REPLICA; RESET REPLICA ALL; SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF"
  else
    q "$SERVER" "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = OFF"
  fi
  set_prop "$SERVER.source" ""; set_prop "$SERVER.delay" 0
  log "$SERVER promoted: replication reset, writable"
}

cmd_repoint() {
  parse_dir_server "$@"; load_topology "$DIR_ARG"; need_server
  [[ -n $SOURCE && -n $(prop "$SOURCE.port") ]] || die "repoint: --source NAME of a server of $DIR is required"
  [[ $SOURCE != "$SERVER" ]] || die "repoint: a server cannot replicate from itself"
  local delay; delay=$(prop "$SERVER.delay"); delay=${delay:-0}
  q "$SERVER" "$R_STOP"
  change_source "$SERVER" "$SOURCE" "$delay"
  q "$SERVER" "$R_START"
  await_replica "$SERVER"
  log "$SERVER now replicates from $SOURCE"
}

cmd_readonly() {
  parse_dir_server "$@"; load_topology "$DIR_ARG"; need_server
  [[ -n $ONOFF ]] || die "readonly: --on or --off is required"
  if [[ $FLAVOR == mysql ]]; then
    if [[ $ONOFF == ON ]]; then q "$SERVER" "SET GLOBAL super_read_only = ON"
    else q "$SERVER" "SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF"; fi
  else
    q "$SERVER" "SET GLOBAL read_only = $ONOFF"
  fi
  log "$SERVER: read-only $ONOFF"
}

cmd_add() {   # a new empty server that replicates everything from --source (binlogs are never purged)
  parse_dir_server "$@"; load_topology "$DIR_ARG"
  [[ -n $SOURCE && -n $(prop "$SOURCE.port") ]] || die "add: --source NAME of a server of $DIR is required"
  local delay=${SECS:-0}; [[ $delay =~ ^[0-9]+$ ]] || die "add: --seconds must be an integer"
  local n id=0 i s port data run
  n=$(($(prop replicas) + 1)); s="replica$n"
  for i in $(servers); do ((id = $(prop "$i.serverId") > id ? $(prop "$i.serverId") : id)); done
  port=$(free_ports 1); data=$(prop dataRoot) run=$(prop runDir)
  set_prop "$s.host" 127.0.0.1; set_prop "$s.port" "$port"; set_prop "$s.pid" ""
  set_prop "$s.serverId" $((id + 1)); set_prop "$s.uuid" ""; set_prop "$s.delay" "$delay"
  set_prop "$s.datadir" "$data/$s"; set_prop "$s.socket" "$run/$s.sock"
  set_prop "$s.pidFile" "$run/$s.pid"; set_prop "$s.errorLog" "$data/$s.err"
  set_prop replicas "$n"
  ( init_server "$s" ) || server_fail "$s" "data dir initialisation failed"
  launch_server "$s"; wait_ready "$s"
  q "$s" "SET sql_log_bin=0; CREATE USER '$APP_USER'@'%' IDENTIFIED BY '$APP_PASS';
          GRANT ALL PRIVILEGES ON *.* TO '$APP_USER'@'%' WITH GRANT OPTION; SET sql_log_bin=1;"
  change_source "$s" "$SOURCE" "$delay"; q "$s" "$R_START"
  ((delay)) || wait_replica "$s" "$(executed "$SOURCE")"
  [[ $FLAVOR == mysql ]] && set_prop "$s.uuid" "$(q "$s" "SELECT @@server_uuid")"
  log "$s added (port $port), replicating from $SOURCE with delay ${delay}s"
  cat "$PROPS"
}

cmd_sql() {
  parse_dir_server "$@"; load_topology "$DIR_ARG"; need_server
  ((${#REST[@]})) || die "sql: missing SQL text"
  q "$SERVER" "${REST[*]}"
}

cmd_status() {
  parse_dir_server "$@"; load_topology "$DIR_ARG"
  echo "$FLAVOR $(prop version) in $DIR"
  local s pid
  for s in $(servers); do
    pid=$(prop "$s.pid")
    if ! is_ours "$pid" "$s"; then printf '%-9s port=%s DOWN\n' "$s" "$(prop "$s.port")"; continue; fi
    printf '%-9s port=%s pid=%s up' "$s" "$(prop "$s.port")" "$pid"
    if [[ -n $(prop "$s.source") ]]; then
      printf ' from=%s' "$(prop "$s.source")"
      printf ' io=%s sql=%s behind=%s delay=%s' "$(rstatus "$s" "$F_IO")" "$(rstatus "$s" "$F_SQL")" \
        "$(rstatus "$s" "$F_BEHIND")" "$(rstatus "$s" SQL_Delay)"
      local e; e=$(rstatus "$s" Last_IO_Error)$(rstatus "$s" Last_SQL_Error)
      [[ -z $e ]] || printf ' error=%q' "$e"
    fi
    echo
  done
}

cmd_ports() {
  [[ ${1:-} =~ ^[1-9][0-9]?$ ]] || die "ports needs a count from 1 to 99"
  free_ports "$1"
}

cmd=${1:-}; shift || true
case "$cmd" in
  ports) cmd_ports "$@" ;;
  install|up|down|stop|start|delay|sql|status|promote|repoint|readonly|add)
    [[ $EUID -eq 0 ]] || die "must run as root (chroot, apt-get; servers run with --user=root)"
    "cmd_$cmd" "$@" ;;
  -h|--help|help) usage ;;
  "") usage >&2; exit 2 ;;
  *) die "unknown command '$cmd' (see --help)" ;;
esac
