#!/usr/bin/env bash
# Benchmark, not a test: the daemon's CPU per wal-fetch (issue 14, restore side). 10 segments of md5 text (the kind
# bench/recovery.sh's inserts write) are pushed to a file archive; a daemon started by hand then serves
# 20 warm-up fetches and 50 measured ones, in order, as one recovery's restore_command would ask for them (segment 01
# follows 0A: its prefetch is never ready, it is fetched in-band). The daemon JVM's CPU comes from /proc.
#   RESULT <launcher> <prefetch> <daemon CPU ms per fetch> <wall ms per fetch>
# Usage: bench/daemon-fetch.sh [PREFETCH [LAUNCHER]]   (PREFETCH default 8; LAUNCHER default this checkout's, which
#   finds its jar beside it or in ../target: another build's launcher copied beside its jar compares two builds)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
prefetch=${1:-8}
launcher=${2:-$walj}
need_jar
need_tools python3:python3
make_work daemon-fetch
mkdir -p "$work/pg_wal" "$work/archive/wal_005" "$work/dest"
python3 - "$work/pg_wal" <<'PY'
import hashlib, sys
for i in range(1, 11):
    rows = b''.join(hashlib.md5(str(i * 1000000 + j).encode()).hexdigest().encode() * 3 for j in range(175000))
    open('%s/0000000100000000000000%02X' % (sys.argv[1], i), 'wb').write(rows[:16777216].ljust(16777216, b'x'))
PY
export WALE_FILE_PREFIX="file://localhost$work/archive" WALJ_DAEMON_AUTOSTART=off
for f in "$work"/pg_wal/*; do "$launcher" --terse wal-push --pool-size 1 "$f"; done
mkdir -m 700 "$work/run"
export WALJ_DAEMON_SOCKET=$work/run/daemon.sock
setsid "$launcher" daemon >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 300); do [ -S "$WALJ_DAEMON_SOCKET" ] && break; sleep 0.1; done
jvm=$(worker_pid "$daemon_pid")
fetches() {
  local r i
  for r in $(seq "$1"); do
    for i in 01 02 03 04 05 06 07 08 09 0A; do
      "$launcher" --terse wal-fetch --prefetch "$prefetch" "0000000100000000000000$i" "$work/dest/RECOVERYXLOG"
    done
  done
}
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / t }' "/proc/$jvm/stat"; }
fetches 2
sleep 1
a=$(cpu_ms); t0=$EPOCHREALTIME
fetches 5
t1=$EPOCHREALTIME
sleep 1 # the prefetch tasks the last requests started
b=$(cpu_ms)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "RESULT $launcher $prefetch $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b - a) / 50 }') $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 / 50 }')"
kill -- -"$daemon_pid" 2>/dev/null || kill "$daemon_pid" 2>/dev/null || true
