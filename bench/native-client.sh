#!/usr/bin/env bash
# Benchmark, not a test: CPU per wal-push / wal-fetch call of the client alone, with a warm `wal-j daemon` doing
# the work (file backend), for each way the launcher can ask it: the native client (target/wal-j-client), the JVM
# client with its class-data archive, the JVM client without one. A real 16 MiB segment of md5-text rows (the kind
# issue 14's load writes). The client's CPU is the launcher's whole process tree (sh, then what it execs), from
# wait4's rusage at microsecond resolution; the daemon's from /proc/PID/stat (10 ms ticks) over all runs of a row.
# Usage: bench/native-client.sh [RUNS]   (needs target/wal-j.jar and target/wal-j-client: ./mvnw -q -B -DskipTests
#                                        package with a C compiler; PostgreSQL server programs)
set -euo pipefail
runs=${1:-20}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_jar
[ -x "$here/target/wal-j-client" ] || { echo "no target/wal-j-client: build with cc on PATH" >&2; exit 1; }
make_work native

# one full segment of md5-text rows
md5_segment 5497
mkdir -p "$work/archive/wal_005" "$work/cds"
mkdir -m 700 "$work/run"
cd "$work"
export WALJ_DAEMON_SOCKET=$work/run/daemon.sock WALJ_CDS_DIR=$work/cds WALE_FILE_PREFIX="file://localhost$work/archive"
unset WALJ_CLIENT WALJ_CDS

"$here/packaging/wal-j" daemon --push-ahead 0 >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 300); do [ -S "$WALJ_DAEMON_SOCKET" ] && break; sleep 0.1; done
[ -S "$WALJ_DAEMON_SOCKET" ] || { cat "$work/daemon.log" >&2; exit 1; }
ticks=$(getconf CLK_TCK)
daemon_ms() { awk -v t="$ticks" '{print ($14+$15)*1000/t}' "/proc/$daemon_pid/stat"; }

# runs: COUNT, then the command; prints mean and median client CPU ms and median wall ms; fails on a fallback
calls() {
  python3 - "$@" <<'EOF'
import os, statistics, subprocess, sys, time
n, cmd = int(sys.argv[1]), sys.argv[2:]
cpu, wall = [], []
for _ in range(n):
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall.append((time.monotonic() - t) * 1000)
    if p.returncode != 0 or b"working in-process" in err:
        sys.exit("the daemon did not serve (exit %d): %s" % (p.returncode, err.decode(errors="replace")[:400]))
    cpu.append((ru.ru_utime + ru.ru_stime) * 1000)
print("client CPU ms mean %7.2f median %7.2f   wall ms median %6.1f" % (statistics.mean(cpu), statistics.median(cpu), statistics.median(wall)), end="")
EOF
}

# row LABEL WALJ_CLIENT WALJ_CDS COMMAND…
row() {
  local label=$1 client=$2 cds=$3; shift 3
  WALJ_CLIENT=$client WALJ_CDS=$cds calls 3 "$@" >/dev/null # warm-up, class-data dump
  local before after
  before=$(daemon_ms)
  printf '%-44s ' "$label"
  WALJ_CLIENT=$client WALJ_CDS=$cds calls "$runs" "$@"
  after=$(daemon_ms)
  awk -v a="$after" -v b="$before" -v n="$runs" 'BEGIN {printf "   daemon CPU ms/call %6.1f\n", (a-b)/n}'
}

echo "segment $seg ($(stat -c %s "pg_wal/$seg") bytes), $runs calls per row, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# warm the daemon's JIT before any row
WALJ_CLIENT=auto calls 20 "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg" >/dev/null
for sub in push fetch; do
  if [ $sub = push ]; then args=(wal-push --pool-size 1 "pg_wal/$seg"); else args=(wal-fetch --prefetch 0 "$seg" "$work/restored"); fi
  wj=$here/packaging/wal-j
  row "wal-$sub native client" auto auto "$wj" "${args[@]}"
  row "wal-$sub JVM client, class-data archive" jvm auto "$wj" "${args[@]}"
  row "wal-$sub JVM client, no archive" jvm off "$wj" "${args[@]}"
  row "wal-$sub native client (again)" auto auto "$wj" "${args[@]}"
  # the launcher's sh left out: what the C client itself costs
  row "wal-$sub native client run directly" auto auto "$here/target/wal-j-client" "$wj" "$here/target/wal-j.jar" \
    "${args[0]}" "${args[@]}"
done
cmp -s "$work/restored" "pg_wal/$seg" || { echo "wal-fetch returned different bytes" >&2; exit 1; }
