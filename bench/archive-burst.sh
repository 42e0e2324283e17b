#!/usr/bin/env bash
# Benchmark, not a test: a burst of WAL through the resident daemon (docs/daemon.md, "Pushing ahead"). KIND rows: one
# session inserts rows and commits every 50000 rows until about SEGMENTS full segments of real data are written;
# KIND switch: SEGMENTS times 1000 rows, commit, pg_switch_wal() (mostly empty segments, far faster than one
# archive_command per segment follows). Measured from the start of the burst until no .ready file is left.
# Prints the burst's duration, the time until everything was archived, archive_command calls (pg_stat_archiver) and
# what the daemon pushed ahead. Compare BENCH_DAEMON_ARGS="--push-ahead 0" (in-request parallel mode only) with the
# default. The last line is machine-readable:
#   RESULT <kind> <daemon args or default> <segments> <burst s> <archived s> <archived seg/s> <archive_command calls> <max backlog> <pushed ahead> <median ms> <max ms of a wal-push request>
# Usage: [BENCH_DAEMON_ARGS=...] bench/archive-burst.sh [SEGMENTS [rows|switch]]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
segments=${1:-40}
kind=${2:-rows}
need_jar
walj_has daemon || { echo "this build has no 'wal-j daemon': skipped"; echo "RESULT - - - - - - - -"; exit 0; }
make_work archive-burst
port=5498
data=$work/pg
pg mkdir -p "$work/archive/wal_005"   # wal-j starts no archive in an empty directory
pg mkdir -m 700 "$work/run"
env_=(WALE_FILE_PREFIX="file://localhost$work/archive" WALJ_DAEMON_SOCKET="$work/run/walj.sock")
pg "$pgbin/initdb" -D "$data" -U postgres --auth=trust >/dev/null
archiving_conf "$data" $port "$walj wal-push %p"
printf '%s\n' "max_wal_size = 4GB" "synchronous_commit = off" >>"$data/postgresql.conf"
# shellcheck disable=SC2086 # word splitting of the options is wanted
pg env "${env_[@]}" "$walj" daemon ${BENCH_DAEMON_ARGS:-} >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 300); do grep -q 'daemon started' "$work/daemon.log" && break; sleep 0.2; done
grep -q 'daemon started' "$work/daemon.log" || { cat "$work/daemon.log" >&2; exit 1; }
pg env "${env_[@]}" "$pgbin/pg_ctl" -D "$data" -l "$work/pg.log" -w start >/dev/null
status=$data/pg_wal/archive_status
ready() { find "$status" -name '*.ready' 2>/dev/null | wc -l; }
psql_at $port "CREATE TABLE t (id bigint, payload text)" >/dev/null
psql_at $port "SELECT pg_switch_wal()" >/dev/null
until [ "$(ready)" -eq 0 ]; do sleep 0.2; done
archived() { find "$work/archive/wal_005" -type f -name '*.lzo' 2>/dev/null | grep -cE '/[0-9A-F]{24}\.lzo$' || true; }
n0=$(archived)
calls0=$(psql_at $port "SELECT archived_count FROM pg_stat_archiver")
pushed0=$(grep -c 'MSG: pushed a segment ahead' "$work/daemon.log" || true)
# how long each wal-push request kept its archive_command (and so PostgreSQL's archiver) waiting, from the daemon's log
push_ms() { grep -oE 'DETAIL: wal-push .*: exit [0-9]+ after [0-9]+ ms' "$work/daemon.log" | grep -oE '[0-9]+ ms' | grep -oE '[0-9]+' || true; }
req0=$(push_ms | wc -l)
# ~190 bytes of WAL per row: 16 MiB is ~88000 rows
rows=$((segments * 88000))
case $kind in
  rows)   sql="DO \$\$ BEGIN FOR i IN 0..$((rows / 50000)) LOOP
            INSERT INTO t SELECT g, repeat(md5(g::text), 3) FROM generate_series(i * 50000, i * 50000 + 49999) g;
            COMMIT; END LOOP; END \$\$" ;;
  switch) sql="DO \$\$ BEGIN FOR i IN 1..$segments LOOP
            INSERT INTO t SELECT g, md5(g::text) FROM generate_series(i * 1000, i * 1000 + 999) g;
            COMMIT; PERFORM pg_switch_wal(); END LOOP; END \$\$" ;;
  *) echo "unknown kind $kind" >&2; exit 2 ;;
esac
echo "burst ($kind): about $segments segments; daemon options: ${BENCH_DAEMON_ARGS:-default}" >&2
t0=$(date +%s.%N)
psql_at $port "$sql" >/dev/null &
burst=$!
max_backlog=0
while kill -0 $burst 2>/dev/null; do
  b=$(ready); [ "$b" -gt "$max_backlog" ] && max_backlog=$b
  sleep 0.5
done
wait $burst
t_burst=$(date +%s.%N)
last=$(psql_at $port "SELECT pg_walfile_name(pg_switch_wal())")
while [ "$(ready)" -ne 0 ] || [ ! -e "$status/$last.done" ]; do
  b=$(ready); [ "$b" -gt "$max_backlog" ] && max_backlog=$b
  sleep 0.2
done
t1=$(date +%s.%N)
calls=$(( $(psql_at $port "SELECT archived_count FROM pg_stat_archiver") - calls0 ))
failed=$(psql_at $port "SELECT failed_count FROM pg_stat_archiver")
pushed=$(( $(grep -c 'MSG: pushed a segment ahead' "$work/daemon.log" || true) - pushed0 ))
warnings=$(grep -c 'could not rename file' "$work/pg.log" || true)
ms=$(push_ms | tail -n +$((req0 + 1)))
req_median=$(median <<<"$ms"); req_max=$(sort -n <<<"$ms" | tail -n 1)
burst_s=$(awk -v a="$t0" -v b="$t_burst" 'BEGIN { printf "%.1f", b - a }')
all_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
segs=$(( $(archived) - n0 ))
rate=$(awk -v n="$segs" -v s="$all_s" 'BEGIN { printf "%.2f", n / s }')
echo "$segs segments written in ${burst_s}s, all archived ${all_s}s after the start ($rate seg/s); backlog max $max_backlog; archive_command calls $calls (failures $failed); pushed ahead by the daemon $pushed; rename WARNINGs $warnings; wal-push requests took median ${req_median} ms, max ${req_max} ms"
echo "RESULT $kind ${BENCH_DAEMON_ARGS:-default} $segs $burst_s $all_s $rate $calls $max_backlog $pushed $req_median $req_max" | tr -s ' '
