#!/usr/bin/env bash
# The main command: start a local primary + a replica with a 1 s replication delay, show that
# naive read/write splitting reads stale data right after a write and that reading at the write's
# GTID does not, then stop everything it started.
#   scripts/demo.sh                    MySQL 9
#   scripts/demo.sh --flavor mariadb   MariaDB
# Other options: --delay SECONDS, --threads N, --writes-per-thread N.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]]; then
  echo "demo.sh: run as root (the local servers are started with chroot/apt-get)" >&2; exit 1
fi
echo "Building (first run downloads Maven dependencies)..."
mvn -B -q -ntp -pl samples -am package -DskipTests
exec java -Dcatchup.projectRoot="$PWD" -cp samples/target/catchup-samples.jar \
  dev.catchup.samples.StaleReadDemo "$@"
