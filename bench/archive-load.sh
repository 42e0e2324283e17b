#!/usr/bin/env bash
# Benchmark, not a test: does archiving keep up, and what does it cost? A PostgreSQL cluster whose archive_command is
# MODE runs a write-heavy load for SECONDS: pgbench -N -c 4 -j 2 (synchronous_commit=off) plus a loop of bulk inserts
# of md5-text rows (BENCH_BULK=0 leaves it out); pg_wal/archive_status is sampled every second.
# CPU: every archive_command process joins a cgroup of its own run (cpuacct, or cgroup v2's cpu.stat) before it does
# anything, so everything it starts is counted there as well, detached or not: pgBackRest's async worker, a wal-j
# daemon started on demand (its start-up included), the native client, the JVMs. The walj-resident mode's daemon is
# started inside that cgroup too. CPU-s per segment = the cgroup's whole CPU / segments in the archive at the end
# (counted there), after the backlog drained.
# Each call runs under GNU time: its wall time as PostgreSQL waits for it (median, p95, max).
# Prints a summary and, last, a machine-readable line (bench/compare.sh reads its first ten fields):
#   RESULT <mode> <produced seg/s> <archived seg/s> <max backlog> <backlog at end> <drain s> <CPU-s per segment>
#          <median ms per archive_command call> <max ms> <calls per segment> <p95 ms> <pgbench tps>
# Usage: bench/archive-load.sh MODE [SECONDS [SCALE]]
#   MODE: walj-default (wal-j with nothing set beyond WAL-E's: the first call starts a daemon on demand, which serves
#           the next ones; walj-auto is the same), walj (WALJ_DAEMON_AUTOSTART=off: one JVM per archive_command),
#         walj-resident (through `wal-j daemon` started by hand; BENCH_DAEMON_ARGS="--push-ahead 0" passes options
#           to it), walj-lz4 (one JVM per call, --compression lz4), pgbackrest (archive-push, lz4, synchronous),
#         pgbackrest-async (archive-push with archive-async=y, lz4, process-max 2: pgBackRest's recommended set-up),
#         wal-e (`wal-e` on PATH), walj-default-base (walj-default with another build's launcher, its jar and
#           native client beside it: BENCH_BASELINE_LAUNCHER=PATH; before/after figures in one session)
#   compare: runs BENCH_MODES (default "pgbackrest-async walj-default") one after the other, each in a cluster and a
#         cgroup of its own, and prints the issue's table (docs/performance.md, "Archiving under load").
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mode=${1:?usage: bench/archive-load.sh walj-default|walj|walj-resident|walj-lz4|pgbackrest|pgbackrest-async|wal-e|compare [SECONDS [SCALE]]}
seconds=${2:-60}
scale=${3:-20}

if [ "$mode" = compare ]; then
  echo "archive-load compare: ${BENCH_MODES:-pgbackrest-async walj-default}, ${seconds} s each, scale $scale, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
  results=()
  for m in ${BENCH_MODES:-pgbackrest-async walj-default}; do
    echo "==> $m" >&2
    line=$("$0" "$m" "$seconds" "$scale" | tee /dev/stderr | tail -n 1)
    results+=("$line")
  done
  echo
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '| %-18s | %s | %s | %s | %s | %s | %s |\n' "mode" "CPU-s per archived segment" "peak backlog" \
    "archive_command calls per segment" "call p50 / p95 ms" "pgbench TPS" "segments/s produced / archived"
  echo "|---|---|---|---|---|---|---|"
  for line in "${results[@]}"; do
    # shellcheck disable=SC2086
    set -- $line
    printf '| %-18s | %s | %s | %s | %s / %s | %s | %s / %s |\n' "$2" "$8" "$5" "${11}" "$9" "${12}" "${13}" "$3" "$4"
  done
  exit 0
fi
need_jar
need_tools lzop:lzop /usr/bin/time:time
make_work archive-load
port=5497
data=$work/pg
pg mkdir -p "$work/archive/wal_005"   # wal-j starts no archive in an empty directory
prefix="file://localhost$work/archive"
extra_env=()
case $mode in
  walj)          extra_env=(WALJ_DAEMON_AUTOSTART=off)
                 command="'$walj' wal-push %p" ;;
  walj-lz4)      extra_env=(WALJ_DAEMON_AUTOSTART=off)
                 command="'$walj' --compression lz4 wal-push %p" ;;
  walj-resident)
    walj_has daemon || { echo "this build has no 'wal-j daemon': resident mode skipped"; echo "RESULT $mode - - - - - - - - - - -"; exit 0; }
    # the client only trusts a socket in a directory of its own user with mode 0700 (docs/daemon.md)
    pg mkdir -m 700 "$work/run"
    extra_env=(WALJ_DAEMON_SOCKET="$work/run/walj.sock")
    command="'$walj' wal-push %p" ;;
  walj-default|walj-auto|walj-default-base)
    # nothing set: the first call starts a daemon on demand (docs/daemon.md). Only its runtime directory is this
    # run's, so that no daemon of another run or of the machine answers, and all of this run's are found at the end.
    pg mkdir -m 700 "$work/xdg"
    extra_env=(XDG_RUNTIME_DIR="$work/xdg")
    launcher=$walj
    [ "$mode" = walj-default-base ] && launcher=${BENCH_BASELINE_LAUNCHER:?set BENCH_BASELINE_LAUNCHER for walj-default-base}
    command="'$launcher' wal-push %p" ;;
  pgbackrest|pgbackrest-async)
                 need_tools pgbackrest:pgbackrest
                 command="pgbackrest --config=$work/pgbackrest.conf --stanza=bench archive-push %p" ;;
  wal-e)         command -v wal-e >/dev/null || { echo "no wal-e on PATH: skipped"; echo "RESULT $mode - - - - - - - - - - -"; exit 0; }
                 command="wal-e wal-push %p" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

init_cluster "$data" $port "$scale"
pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
case $mode in
  pgbackrest*)
    pg "$pgbin/pg_ctl" -D "$data" -l "$work/pg.log" -w start >/dev/null
    pgbackrest_conf "$data" $port 2
    if [ "$mode" = pgbackrest-async ]; then
      pg mkdir -p "$work/pgbr-spool"
      printf 'archive-async=y\nspool-path=%s\n' "$work/pgbr-spool" >>"$work/pgbackrest.conf"
    fi
    pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null ;;
esac

# the run's cgroup: cgroup v1's cpuacct where mounted, else cgroup v2; the server's user may move its own processes
# into it (it writes their pid into cgroup.procs)
if [ -d /sys/fs/cgroup/cpuacct ]; then
  cg=/sys/fs/cgroup/cpuacct/walj-archive-load-$$
  cg_cpu() { awk '{ printf "%.3f", $1 / 1e9 }' "$cg/cpuacct.usage"; }
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  cg=/sys/fs/cgroup/walj-archive-load-$$
  cg_cpu() { awk '$1 == "usage_usec" { printf "%.3f", $2 / 1e6 }' "$cg/cpu.stat"; }
else
  echo "no cgroup file system at /sys/fs/cgroup: cannot count CPU per run" >&2; exit 1
fi
mkdir "$cg"
chown postgres: "$cg/cgroup.procs" 2>/dev/null || true
cg_cleanup() {
  local p
  # the run's processes (daemons, pgBackRest's worker) are stopped with it; an empty cgroup can be removed
  for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cg" 2>/dev/null && return 0; sleep 0.5; done
  echo "could not remove $cg (processes still in it)" >&2
}
trap 'bench_cleanup; cg_cleanup' EXIT
# WAL as fast as this machine can: commits do not wait for their flush (archiving still gets every segment)
cat >>"$data/postgresql.conf" <<CONF
synchronous_commit = off
archive_command = '$(printf '%s' "echo \$\$ >$cg/cgroup.procs && exec /usr/bin/time -a -o $work/calls -f %e $command" | sed "s/'/''/g")'
CONF
if [ "$mode" = walj-resident ]; then
  # shellcheck disable=SC2086 # word splitting of the options is wanted
  # BENCH_DAEMON_JAVA_OPTS: JVM options for the daemon only (its WALJ_JAVA_OPTS), e.g. to try another JIT set-up
  pg env WALE_FILE_PREFIX="$prefix" "${extra_env[@]}" ${BENCH_DAEMON_JAVA_OPTS:+WALJ_JAVA_OPTS="$BENCH_DAEMON_JAVA_OPTS"} \
    sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
    "$walj" daemon ${BENCH_DAEMON_ARGS:-} >"$work/daemon.log" 2>&1 &
  daemon_pid=$!
  sleep 3
fi
pg env WALE_FILE_PREFIX="$prefix" "${extra_env[@]}" "$pgbin/pg_ctl" -D "$data" -l "$work/pg.log" -w start >/dev/null
# pg_stat_archiver survives the restart: the set-up's calls (archive_command /bin/true) are not this run's
calls0=$(psql_at $port "SELECT archived_count FROM pg_stat_archiver")
psql_at $port "SELECT pg_switch_wal()" >/dev/null

status=$data/pg_wal/archive_status
ready() { find "$status" -name '*.ready' 2>/dev/null | wc -l; }
lsn_bytes() { psql_at $port "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"; }
# Segments in the archive, counted there: pg_stat_archiver's archived_count only counts archive_command calls, and
# one wal-push also archives other .ready segments (--pool-size), which PostgreSQL then finds done.
archived() {
  case $mode in
    pgbackrest*) find "$work/pgbr/archive" -type f -name '0*-*' | grep -cE '/[0-9A-F]{24}-' || true ;;
    *) find "$work/archive/wal_005" -type f 2>/dev/null | grep -cE '/[0-9A-F]{24}\.' || true ;;
  esac
}

echo "mode $mode: archive_command = $command" >&2
echo "pgbench -N -c 4 -j 2 -T $seconds (scale $scale)${BENCH_BULK:+, BENCH_BULK=$BENCH_BULK} with bulk inserts beside it unless BENCH_BULK=0, sampling every second ..." >&2
# BENCH_JFR=FILE (walj-default): a flight recording (settings=profile) of the daemon the first call started, from
# here to the end of the drain, for the profile in docs/performance.md (jcmd, as the server's user)
jfr_pid=
if [ -n "${BENCH_JFR:-}" ] && [ "$mode" = walj-default ]; then
  for _ in $(seq 1 300); do
    f=$(ls "$work"/xdg/wal-j/*.pid 2>/dev/null | head -n 1 || true)
    if [ -n "$f" ] && ls "$work"/xdg/wal-j/*.sock >/dev/null 2>&1; then
      jfr_pid=$(pgrep -s "$(cat "$f")" java | head -n 1 || true)
      [ -n "$jfr_pid" ] && break
    fi
    sleep 0.2
  done
  [ -n "$jfr_pid" ] || { echo "BENCH_JFR: no daemon to record" >&2; exit 1; }
  pg jcmd "$jfr_pid" JFR.start name=bench settings=profile >/dev/null
fi
ticks=$(getconf CLK_TCK)
lsn0=$(lsn_bytes); arch0=$(archived)
bulk=
if [ "${BENCH_BULK:-1}" = 1 ]; then
  # bulk inserts of md5-text rows beside pgbench: WAL of the kind that compresses ~3:1, as in issue 14's load
  psql_at $port "CREATE TABLE IF NOT EXISTS bulk (id bigint, payload text)" >/dev/null
  (
    end=$(($(date +%s) + seconds))
    while [ "$(date +%s)" -lt "$end" ]; do
      psql_at $port "INSERT INTO bulk SELECT g, md5(g::text) || md5((g + 1)::text) FROM generate_series(1, 100000) g" >/dev/null
    done
  ) &
  bulk=$!
fi
pg "$pgbin/pgbench" -h "$work" -p $port -U postgres -N -c 4 -j 2 -T "$seconds" postgres >"$work/pgbench.out" 2>&1 &
load=$!
max_backlog=0
printf '%6s %10s %10s %8s\n' "s" "produced" "archived" "backlog" >&2
t=0
while kill -0 $load 2>/dev/null; do
  sleep 1; t=$((t + 1))
  b=$(ready); [ "$b" -gt "$max_backlog" ] && max_backlog=$b
  if [ $((t % 5)) -eq 0 ]; then
    printf '%6d %10d %10d %8d\n' $t $((($(lsn_bytes) - lsn0) / 16777216)) $(($(archived) - arch0)) "$b" >&2
  fi
done
wait $load || { cat "$work/pgbench.out" >&2; exit 1; }
[ -n "$bulk" ] && wait "$bulk"
lsn1=$(lsn_bytes); arch1=$(archived); end_backlog=$(ready)
produced=$(awk -v a="$lsn0" -v b="$lsn1" -v s="$seconds" 'BEGIN { printf "%.2f", (b - a) / 16777216 / s }')
archived_rate=$(awk -v a="$arch0" -v b="$arch1" -v s="$seconds" 'BEGIN { printf "%.2f", (b - a) / s }')
drain_start=$(date +%s.%N)
until [ "$(ready)" -eq 0 ]; do
  sleep 0.2
  if awk -v s="$drain_start" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s > 600) }'; then echo "backlog not drained in 600 s" >&2; break; fi
done
drain=$(awk -v s="$drain_start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')
sleep 1 # the last archive_command returns before its .ready is renamed: let the archiver reap it
sleep 2 # a daemon's or pgBackRest's worker's last writes; the archive is complete once the backlog drained
if [ -n "$jfr_pid" ]; then
  echo "the daemon's threads, CPU-s over its whole life (/proc), by name:"
  for t in /proc/"$jfr_pid"/task/*; do
    # stat's fields after "pid (comm) ": a thread's name may hold blanks
    printf '%s\t%s\n' "$(cat "$t/comm")" "$(sed 's/.*) //' "$t/stat" | awk -v k="$ticks" '{ print ($12 + $13) / k }')"
  done | sed 's/[-#0-9]*\t/\t/' | awk -F'\t' '{ s[$1] += $2 } END { for (n in s) if (s[n] >= 0.01) printf "  %7.2f  %s\n", s[n], n }' \
    | sort -rn || true
  pg jcmd "$jfr_pid" JFR.dump name=bench filename="$work/daemon.jfr" >/dev/null
  cp "$work/daemon.jfr" "$BENCH_JFR"
fi
total=$(archived)
cpu_total=$(cg_cpu)
cpu_per_segment=$(awk -v c="$cpu_total" -v n="$total" 'BEGIN { if (n > 0) printf "%.3f", c / n; else print "-" }')
failed=$(psql_at $port "SELECT failed_count FROM pg_stat_archiver")
calls=$(($(psql_at $port "SELECT archived_count FROM pg_stat_archiver") - calls0))
tps=$(awk '/^tps/ { printf "%.0f", $3 }' "$work/pgbench.out")
per_call=$(awk -v c="$calls" -v n="$total" 'BEGIN { if (n > 0) printf "%.2f", c / n; else print "-" }')
echo "WAL produced $produced seg/s, archived $archived_rate seg/s during the load (pgbench $tps tps); backlog max $max_backlog, $end_backlog at the end, drained ${drain}s after; archive_command calls: $calls for $total segments in the archive ($per_call per segment), failures: $failed; archiving CPU (the run's cgroup) ${cpu_total} s, ${cpu_per_segment} s per segment"
if [ "$mode" = walj-resident ]; then
  echo "daemon: $(grep -c 'MSG: pushed a segment ahead' "$work/daemon.log" || true) segments pushed ahead, $(grep -c 'state=done' "$work/daemon.log" || true) of them marked .done by it, $(grep -c 'could not rename file' "$work/pg.log" || true) rename WARNINGs in PostgreSQL's log"
fi
# the daemon's records: blocks it compressed while PostgreSQL was still writing the segment (docs/daemon.md), per
# push with a memo, and how long wal-push requests took inside it
daemon_records() {
  local early served
  early=$(cat "$@" 2>/dev/null | grep -o 'early_blocks=[0-9]*' | cut -d= -f2 | sort -n || true)
  if [ -n "$early" ]; then
    echo "pushes with blocks compressed before the .ready: $(echo "$early" | wc -l), blocks from the memo median $(echo "$early" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'), min $(echo "$early" | head -n 1), max $(echo "$early" | tail -n 1)"
  fi
  served=$(cat "$@" 2>/dev/null | grep -A1 'MSG: served a request' | grep -o 'after [0-9]* ms' | awk '{print $2}' | sort -n || true)
  if [ -n "$served" ]; then
    echo "wal-push requests inside the daemon (request read to reply): median $(echo "$served" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms, p95 $(echo "$served" | awk '{a[NR]=$1} END {i=int(NR*0.95+0.999); print a[i < 1 ? 1 : i]}') ms"
  fi
}
# the daemons' own CPU (clock ticks of every thread, by thread name), before they are stopped; pids on stdin
daemon_threads() {
  local p t
  while read -r p; do
    printf '%s %s\n' "=process" "$(cut -d' ' -f14,15 /proc/"$p"/stat 2>/dev/null)"
    for t in /proc/"$p"/task/*; do
      printf '%s %s\n' "$(tr ' ' '_' <"$t"/comm 2>/dev/null)" "$(cut -d' ' -f14,15 "$t"/stat 2>/dev/null)"
    done
  done | awk -v hz="$(getconf CLK_TCK)" -v n="$total" '
    NF == 3 && $1 == "=process" { all += $2 + $3; next }
    NF == 3 { name = $1; sub(/-?[0-9]+$/, "", name); cpu[name] += $2 + $3; live += $2 + $3 }
    END { if (all == 0) exit; printf "daemon CPU %.2f s (%.1f ms per segment):", all / hz, all / hz * 1000 / n
          for (k in cpu) if (cpu[k] / all >= 0.02) printf " %s %.2f", k, cpu[k] / hz
          printf " threads-since-ended %.2f\n", (all - live) / hz }'
}
if [ "$mode" = walj-resident ]; then
  daemon_records "$work/daemon.log"
  # the archive_commands have ended: what is left in the run's cgroup is the daemon
  daemon_threads <"$cg/cgroup.procs"
fi
case $mode in
  walj-default|walj-auto|walj-default-base)
    echo "daemons started on demand: $(cat "$work"/xdg/wal-j/*.log* 2>/dev/null | grep -c 'MSG: daemon started' || true), requests served: $(cat "$work"/xdg/wal-j/*.log* 2>/dev/null | grep -c 'MSG: served a request' || true), segments pushed ahead: $(cat "$work"/xdg/wal-j/*.log* 2>/dev/null | grep -c 'MSG: pushed a segment ahead' || true)"
    daemon_records "$work"/xdg/wal-j/*.log*
    for f in "$work"/xdg/wal-j/*.pid; do [ -f "$f" ] && pgrep -g "$(cat "$f")" 2>/dev/null; done | daemon_threads
    for f in "$work"/xdg/wal-j/*.pid; do [ -f "$f" ] && kill -- -"$(cat "$f")" 2>/dev/null; done ;;
esac
if [ "$mode" = walj-resident ] && ! grep -q 'served a request' "$work/daemon.log"; then
  echo "the daemon served no request: these figures are not resident" >&2; exit 1
fi
call_ms=$(grep -E '^[0-9.]+$' "$work/calls" | awk '{ print $1 * 1000 }' | median)
call_max_ms=$(grep -E '^[0-9.]+$' "$work/calls" | awk '{ print $1 * 1000 }' | sort -n | tail -n 1)
call_p95_ms=$(grep -E '^[0-9.]+$' "$work/calls" | awk '{ print $1 * 1000 }' | sort -n |
  awk '{ v[NR] = $1 } END { i = int(NR * 0.95 + 0.999); if (i < 1) i = 1; if (i > NR) i = NR; print v[i] }')
echo "archive_command calls took median $call_ms ms, p95 $call_p95_ms ms, max $call_max_ms ms (wall, GNU time, under the load)"
echo "RESULT $mode $produced $archived_rate $max_backlog $end_backlog $drain $cpu_per_segment $call_ms $call_max_ms $per_call $call_p95_ms $tps"
