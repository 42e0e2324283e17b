#!/usr/bin/env bash
# Benchmark, not a test: wal-push / wal-fetch of one real 16 MiB WAL segment through the resident daemon
# (docs/daemon.md), on the file backend and on a local S3Proxy (filesystem backend, separate process); then cold
# runs without a daemon, with and without the launcher's class-data archive, on every JDK under /usr/lib/jvm.
# Per row: median wall ms and CPU ms of the client process (GNU time), the daemon's CPU ms per request (from
# /proc/PID/stat around the runs), and the client's peak RSS.
# Before/after: WALJ_BENCH_BASELINE=DIR (another checkout with its own target/wal-j.jar) adds resident file-backend
# rows for it: both builds' daemons run side by side and the clients alternate between them in blocks of RUNS/3.
# Usage: bench/daemon.sh [RUNS]   (needs target/wal-j.jar, target/s3proxy.jar: ./mvnw -B -DskipTests verify,
#                                  PostgreSQL server programs, GNU time)
set -euo pipefail
runs=${1:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/target/wal-j.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -q -B -DskipTests package" >&2; exit 1; }
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
[ -x /usr/bin/time ] || { echo "install GNU time (package: time)" >&2; exit 1; }

work=$(mktemp -d /tmp/wal-j-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi

# A real, full segment, as bench/wal-path.sh takes it.
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -o "-c listen_addresses='' -c unix_socket_directories=$work -c port=5498" \
  -l "$work/pg.log" -w start >/dev/null
"${as_pg[@]}" "$pgbin/pgbench" -h "$work" -p 5498 -U postgres -i -s 3 -q postgres >/dev/null 2>&1
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
seg=$(ls "$work/pg/pg_wal" | grep -E '^[0-9A-F]{24}$' | sort | sed -n 2p)
mkdir -p "$work/pg_wal/archive_status" "$work/archive/wal_005" "$work/cds"
cp "$work/pg/pg_wal/$seg" "$work/pg_wal/$seg"
rm -rf "$work/pg"
mkdir -m 700 "$work/run"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ticks=$(getconf CLK_TCK)
cpu_ms_of() { awk -v t="$ticks" '{print ($14+$15)*1000/t}' "/proc/$1/stat"; }

# measure LABEL DAEMON_PID|- COMMAND…
measure() {
  local label=$1 daemon=$2; shift 2
  : >"$work/times"
  local before=0 after=0
  [ "$daemon" != - ] && before=$(cpu_ms_of "$daemon")
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -o "$work/t" -f "%e %U %S %M" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    if grep -q 'working in-process' "$work/err"; then echo "$label: the daemon did not serve: $(head -n 1 "$work/err")" >&2; exit 1; fi
    cat "$work/t" >>"$work/times"
  done
  [ "$daemon" != - ] && after=$(cpu_ms_of "$daemon")
  local wall cpu rss
  wall=$(awk '{print $1*1000}' "$work/times" | median)
  cpu=$(awk '{print ($2+$3)*1000}' "$work/times" | median)
  rss=$(awk '{print $4/1024}' "$work/times" | sort -n | tail -n 1)
  local daemon_cpu=-
  [ "$daemon" != - ] && daemon_cpu=$(awk -v a="$after" -v b="$before" -v n="$runs" 'BEGIN {printf "%.0f", (a-b)/n}')
  printf '%-52s %6.0f ms wall %6.0f ms CPU client %6s ms CPU daemon %6.1f MiB RSS client\n' "$label" "$wall" "$cpu" \
    "$daemon_cpu" "$rss"
}

start_daemon() { # LABEL [CHECKOUT]: starts wal-j daemon with the current environment, sets $daemon_pid
  "${2:-$here}/packaging/wal-j" daemon >"$work/daemon-$1.log" 2>&1 &
  daemon_pid=$!
  pids+=("$daemon_pid")
  for _ in $(seq 1 300); do [ -S "$WALJ_DAEMON_SOCKET" ] && return 0; sleep 0.1; done
  cat "$work/daemon-$1.log" >&2; exit 1
}

# ab LABEL ARGS…: wal-j ARGS through the baseline's daemon ($base_pid, socket $base_sock) and this build's
# ($new_pid, $new_sock), alternating blocks of runs; per build the median wall and client CPU, daemon CPU per request
ab() {
  local label=$1; shift
  local block=$(( runs / 3 > 0 ? runs / 3 : 1 )) done=0 b
  : >"$work/ab.base"; : >"$work/ab.new"
  local cpu_base=0 cpu_new=0 before
  while [ "$done" -lt "$runs" ]; do
    for which in base new; do
      if [ "$which" = base ]; then pid=$base_pid sock=$base_sock dir=$WALJ_BENCH_BASELINE; else pid=$new_pid sock=$new_sock dir=$here; fi
      before=$(cpu_ms_of "$pid")
      for _ in $(seq 1 "$block"); do
        WALJ_DAEMON_SOCKET=$sock /usr/bin/time -o "$work/t" -f "%e %U %S %M" "$dir/packaging/wal-j" "$@" >/dev/null 2>"$work/err" \
          || { cat "$work/err" >&2; exit 1; }
        if grep -q 'working in-process' "$work/err"; then echo "$label: the daemon did not serve: $(head -n 1 "$work/err")" >&2; exit 1; fi
        cat "$work/t" >>"$work/ab.$which"
      done
      b=$(awk -v a="$(cpu_ms_of "$pid")" -v b="$before" 'BEGIN {print a-b}')
      if [ "$which" = base ]; then cpu_base=$(awk -v x="$cpu_base" -v y="$b" 'BEGIN {print x+y}'); else cpu_new=$(awk -v x="$cpu_new" -v y="$b" 'BEGIN {print x+y}'); fi
    done
    done=$(( done + block ))
  done
  for which in base new; do
    local d=$cpu_new; [ "$which" = base ] && d=$cpu_base
    # the daemon's own time per request, from its "served a request" records (the last $runs of this subcommand)
    local served
    served=$(grep -o "DETAIL: $1 .*: exit 0 after [0-9]* ms" "$work/daemon-$which.log" | tail -n "$runs" \
      | sed 's/.* after \([0-9]*\) ms/\1/' | median)
    printf '%-8s %-43s %6.0f ms wall %6.0f ms CPU client %6.0f ms CPU daemon %6s ms served in daemon\n' "$which" \
      "$label" "$(awk '{print $1*1000}' "$work/ab.$which" | median)" \
      "$(awk '{print ($2+$3)*1000}' "$work/ab.$which" | median)" \
      "$(awk -v d="$d" -v n="$(wc -l <"$work/ab.$which")" 'BEGIN {print d/n}')" "$served"
  done
}
stop_daemon() {
  echo "  daemon peak RSS: $(awk '/^VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$daemon_pid/status")"
  kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true
}

echo "segment $seg ($(stat -c %s "$work/pg_wal/$seg") bytes), $runs runs each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$work"
export WALJ_DAEMON_SOCKET=$work/run/daemon.sock WALJ_CDS_DIR=$work/cds
unset WALJ_JAVA

# --- resident, file backend (default java)
export WALE_FILE_PREFIX="file://localhost$work/archive"
start_daemon file
measure "resident wal-push  file" "$daemon_pid" "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg"
measure "resident wal-fetch file" "$daemon_pid" "$here/packaging/wal-j" wal-fetch --prefetch 0 "$seg" "$work/restored"
cmp -s "$work/restored" "$work/pg_wal/$seg" || { echo "wal-fetch returned different bytes" >&2; exit 1; }
stop_daemon

# --- before/after, resident, file backend: the baseline's daemon and this build's side by side
if [ -n "${WALJ_BENCH_BASELINE:-}" ]; then
  [ -f "$WALJ_BENCH_BASELINE/target/wal-j.jar" ] || { echo "no $WALJ_BENCH_BASELINE/target/wal-j.jar" >&2; exit 1; }
  base_sock=$work/run/base.sock new_sock=$work/run/new.sock
  WALJ_DAEMON_SOCKET=$base_sock start_daemon base "$WALJ_BENCH_BASELINE"; base_pid=$daemon_pid
  WALJ_DAEMON_SOCKET=$new_sock start_daemon new; new_pid=$daemon_pid
  for w in 1 2 3; do  # warm both daemons' JIT the same way
    WALJ_DAEMON_SOCKET=$base_sock "$WALJ_BENCH_BASELINE/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg" 2>/dev/null
    WALJ_DAEMON_SOCKET=$new_sock "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg" 2>/dev/null
  done
  ab "resident wal-push  file" wal-push --pool-size 1 "pg_wal/$seg"
  ab "resident wal-fetch file" wal-fetch --prefetch 0 "$seg" "$work/restored"
  cmp -s "$work/restored" "$work/pg_wal/$seg" || { echo "wal-fetch returned different bytes" >&2; exit 1; }
  kill "$base_pid" "$new_pid"; wait "$base_pid" "$new_pid" 2>/dev/null || true
  [ -n "${WALJ_BENCH_AB_ONLY:-}" ] && exit 0
fi
unset WALE_FILE_PREFIX

# --- resident, S3Proxy
if [ -f "$here/target/s3proxy.jar" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$work/s3data/walj-bench"
  cat >"$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-access-key
s3proxy.credential=bench-secret-key
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/s3data
jclouds.identity=unused
jclouds.credential=unused
PROPS
  java -Xmx512m -jar "$here/target/s3proxy.jar" --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  export WALE_S3_PREFIX=s3://walj-bench/wal WALE_S3_ENDPOINT="http+path://127.0.0.1:$port" \
    AWS_ACCESS_KEY_ID=bench-access-key AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_REGION=us-east-1 WALJ_S3_SSE=none
  start_daemon s3
  measure "resident wal-push  S3Proxy" "$daemon_pid" "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg"
  measure "resident wal-fetch S3Proxy" "$daemon_pid" "$here/packaging/wal-j" wal-fetch --prefetch 0 "$seg" "$work/restored"
  cmp -s "$work/restored" "$work/pg_wal/$seg" || { echo "wal-fetch returned different bytes" >&2; exit 1; }
  stop_daemon
  unset WALE_S3_PREFIX WALE_S3_ENDPOINT AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION WALJ_S3_SSE
else
  echo "(no target/s3proxy.jar: S3 rows skipped; ./mvnw -B -DskipTests verify puts it there)"
fi

# --- cold: no daemon; the launcher's class-data archive off, then on (after one run that creates it)
export WALE_FILE_PREFIX="file://localhost$work/archive" WALJ_DAEMON_SOCKET=$work/run/none.sock
javas=${WALJ_BENCH_JAVAS:-$(ls /usr/lib/jvm/*/bin/java 2>/dev/null | xargs -n1 readlink -f | sort -u)}
for java in $javas; do
  v=$("$java" -version 2>&1 | head -n 1 | cut -c1-30)
  export WALJ_JAVA=$java
  WALJ_CDS=off measure "cold wal-push  no CDS [$v]" - "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg"
  "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg" 2>/dev/null   # creates the archive
  "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg" 2>/dev/null
  measure "cold wal-push  CDS    [$v]" - "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg"
  WALJ_CDS=off measure "cold wal-fetch no CDS [$v]" - "$here/packaging/wal-j" wal-fetch --prefetch 0 "$seg" "$work/restored"
  "$here/packaging/wal-j" wal-fetch --prefetch 0 "$seg" "$work/restored" 2>/dev/null
  measure "cold wal-fetch CDS    [$v]" - "$here/packaging/wal-j" wal-fetch --prefetch 0 "$seg" "$work/restored"
done
