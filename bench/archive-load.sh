#!/usr/bin/env bash
# Benchmark, not a test: does archiving keep up? A PostgreSQL cluster whose archive_command is MODE runs pgbench
# as fast as this machine can (synchronous_commit=off, 4 clients) for SECONDS; pg_stat_archiver and pg_wal/archive_status are sampled every second.
# Prints WAL produced and archived (segments/s, counted in the archive), the backlog (.ready files) at the end of the load, and how long
# after the load the backlog took to drain, and the CPU-seconds archiving spent per archived segment: the CPU of every
# archive_command process (PostgreSQL's archiver waits for each, so the kernel adds it to the archiver's children
# time) plus, in resident mode, the daemon's own. The last line is machine-readable for bench/compare.sh:
# Each archive_command call runs under GNU time, so the median and maximum wall time of a call, as PostgreSQL waits
# for it, are reported too.
#   RESULT <mode> <produced seg/s> <archived seg/s> <max backlog> <backlog at end> <drain s> <CPU-s per segment>
#          <median ms per archive_command call> <max ms>
# Usage: bench/archive-load.sh MODE [SECONDS [SCALE]]
#   MODE: walj (cold: one JVM per archive_command), walj-resident (through `wal-j daemon`; needs a build that
#         has it; BENCH_DAEMON_ARGS="--push-ahead 0" passes options to the daemon), walj-auto (WALJ_DAEMON_AUTOSTART=on:
#         the first call starts a daemon itself; its CPU is counted too), walj-lz4 (cold, --compression lz4), pgbackrest (archive-push, lz4), wal-e (`wal-e` on PATH)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mode=${1:?usage: bench/archive-load.sh walj|walj-resident|walj-auto|walj-lz4|pgbackrest|wal-e [SECONDS [SCALE]]}
seconds=${2:-60}
scale=${3:-20}
need_jar
need_tools lzop:lzop /usr/bin/time:time
make_work archive-load
port=5497
data=$work/pg
pg mkdir -p "$work/archive/wal_005"   # wal-j starts no archive in an empty directory
prefix="file://localhost$work/archive"
extra_env=()
case $mode in
  walj)          command="'$walj' wal-push %p" ;;
  walj-lz4)      command="'$walj' --compression lz4 wal-push %p" ;;
  walj-resident)
    walj_has daemon || { echo "this build has no 'wal-j daemon': resident mode skipped"; echo "RESULT $mode - - - - - - - -"; exit 0; }
    # the client only trusts a socket in a directory of its own user with mode 0700 (docs/daemon.md)
    pg mkdir -m 700 "$work/run"
    extra_env=(WALJ_DAEMON_SOCKET="$work/run/walj.sock")
    command="'$walj' wal-push %p" ;;
  walj-auto)
    # a runtime directory of this run; the daemon is started by the first archive_command (docs/daemon.md)
    pg mkdir -m 700 "$work/xdg"
    extra_env=(WALJ_DAEMON_AUTOSTART=on XDG_RUNTIME_DIR="$work/xdg" WALJ_DAEMON_IDLE_EXIT=60)
    command="'$walj' wal-push %p" ;;
  pgbackrest)    need_tools pgbackrest:pgbackrest
                 command="pgbackrest --config=$work/pgbackrest.conf --stanza=bench archive-push %p" ;;
  wal-e)         command -v wal-e >/dev/null || { echo "no wal-e on PATH: skipped"; echo "RESULT $mode - - - - - - - -"; exit 0; }
                 command="wal-e wal-push %p" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

init_cluster "$data" $port "$scale"
pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
if [ "$mode" = pgbackrest ]; then
  pg "$pgbin/pg_ctl" -D "$data" -l "$work/pg.log" -w start >/dev/null
  pgbackrest_conf "$data" $port 2
  pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
fi
# WAL as fast as this machine can: commits do not wait for their flush (archiving still gets every segment)
cat >>"$data/postgresql.conf" <<CONF
synchronous_commit = off
archive_command = '$(printf '%s' "/usr/bin/time -a -o $work/calls -f %e $command" | sed "s/'/''/g")'
CONF
if [ "$mode" = walj-resident ]; then
  # shellcheck disable=SC2086 # word splitting of the options is wanted
  pg env WALE_FILE_PREFIX="$prefix" "${extra_env[@]}" "$walj" daemon ${BENCH_DAEMON_ARGS:-} >"$work/daemon.log" 2>&1 &
  daemon_pid=$!
  sleep 3
fi
pg env WALE_FILE_PREFIX="$prefix" "${extra_env[@]}" "$pgbin/pg_ctl" -D "$data" -l "$work/pg.log" -w start >/dev/null
psql_at $port "SELECT pg_switch_wal()" >/dev/null

status=$data/pg_wal/archive_status
ready() { find "$status" -name '*.ready' 2>/dev/null | wc -l; }
lsn_bytes() { psql_at $port "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"; }
# Segments in the archive, counted there: pg_stat_archiver's archived_count only counts archive_command calls, and
# one wal-push also archives other .ready segments (--pool-size), which PostgreSQL then finds done.
archived() {
  if [ "$mode" = pgbackrest ]; then find "$work/pgbr/archive" -type f -name '0*-*' | grep -cE '/[0-9A-F]{24}-' || true
  else find "$work/archive/wal_005" -type f 2>/dev/null | grep -cE '/[0-9A-F]{24}\.' || true; fi
}

# CPU-seconds so far of the archiver's waited-for children (fields 16-17 of /proc/PID/stat), plus the daemon's own
ticks=$(getconf CLK_TCK)
archiver_pid=$(ps -o pid=,args= --ppid "$(head -n 1 "$data/postmaster.pid")" | awk '/archiver/ { print $1; exit }')
[ -n "$archiver_pid" ] || { echo "no archiver process found" >&2; exit 1; }
# walj-auto: the daemon the first call started (its session leader, flock, is in <key>.pid; the JVM below it), which
# is not a child of the archiver; a daemon that ended is not counted (the run prints how many started)
auto_daemon_ticks() {
  local f p t=0
  for f in "$work"/xdg/wal-j/*.pid; do
    [ -f "$f" ] || continue
    p=$(worker_pid "$(cat "$f")" 2>/dev/null) || continue
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  echo $t
}
archiving_cpu() {
  local d=0
  [ -n "${daemon_pid:-}" ] && d=$(awk '{ print $14 + $15 }' "/proc/$(worker_pid "$daemon_pid")/stat")
  [ "$mode" = walj-auto ] && d=$(auto_daemon_ticks)
  awk -v t="$ticks" -v d="$d" '{ printf "%.2f", ($16 + $17 + d) / t }' "/proc/$archiver_pid/stat"
}

echo "mode $mode: archive_command = $command" >&2
echo "pgbench -c 4 -j 2 -T $seconds (scale $scale) while sampling every second ..." >&2
lsn0=$(lsn_bytes); arch0=$(archived); cpu0=$(archiving_cpu)
pg "$pgbin/pgbench" -h "$work" -p $port -U postgres -c 4 -j 2 -T "$seconds" postgres >"$work/pgbench.out" 2>&1 &
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
cpu_per_segment=$(awk -v a="$cpu0" -v b="$(archiving_cpu)" -v n0="$arch0" -v n1="$(archived)" \
  'BEGIN { if (n1 > n0) printf "%.3f", (b - a) / (n1 - n0); else print "-" }')
failed=$(psql_at $port "SELECT failed_count FROM pg_stat_archiver")
calls=$(psql_at $port "SELECT archived_count FROM pg_stat_archiver")
tps=$(awk '/^tps/ { printf "%.0f", $3 }' "$work/pgbench.out")
echo "WAL produced $produced seg/s, archived $archived_rate seg/s during the load (pgbench $tps tps); backlog max $max_backlog, $end_backlog at the end, drained ${drain}s after; archive_command calls: $calls, failures: $failed; archiving CPU ${cpu_per_segment} s per segment"
if [ "$mode" = walj-resident ]; then
  echo "daemon: $(grep -c 'MSG: pushed a segment ahead' "$work/daemon.log" || true) segments pushed ahead, $(grep -c 'state=done' "$work/daemon.log" || true) of them marked .done by it, $(grep -c 'could not rename file' "$work/pg.log" || true) rename WARNINGs in PostgreSQL's log"
fi
if [ "$mode" = walj-auto ]; then
  echo "auto-started daemons: $(cat "$work"/xdg/wal-j/*.log* 2>/dev/null | grep -c 'MSG: daemon started' || true), requests served: $(cat "$work"/xdg/wal-j/*.log* 2>/dev/null | grep -c 'MSG: served a request' || true)"
  for f in "$work"/xdg/wal-j/*.pid; do [ -f "$f" ] && kill -- -"$(cat "$f")" 2>/dev/null; done
fi
if [ "$mode" = walj-resident ] && ! grep -q 'served a request' "$work/daemon.log"; then
  echo "the daemon served no request: these figures are not resident" >&2; exit 1
fi
call_ms=$(grep -E '^[0-9.]+$' "$work/calls" | awk '{ print $1 * 1000 }' | median)
call_max_ms=$(grep -E '^[0-9.]+$' "$work/calls" | awk '{ print $1 * 1000 }' | sort -n | tail -n 1)
echo "archive_command calls took median $call_ms ms, max $call_max_ms ms (wall, GNU time, under the load)"
echo "RESULT $mode $produced $archived_rate $max_backlog $end_backlog $drain $cpu_per_segment $call_ms $call_max_ms"
