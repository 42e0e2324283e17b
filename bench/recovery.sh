#!/usr/bin/env bash
# Benchmark, not a test: how fast and at what CPU cost does each tool's fetch, as restore_command, recover a base
# backup? (issue 14 item 5). One primary writes SEGMENTS segments of bulk md5-text inserts after a
# `pg_basebackup -X none`; the WAL is put into a wal-j archive (file backend, lzo: WAL-E's layout, so WAL-E reads
# the same one) and a pgBackRest repository (local, lz4). Then, for each round and mode (in a random order per
# round), a fresh copy of the base backup recovers all of it through restore_command and promotes; its rows are
# compared with the primary's.
#
# CPU: every restore_command call first moves itself into a cgroup of the run, so its whole process tree is counted,
# detached prefetch processes and a daemon started on demand (its JVM start-up too) included; read once recovery has
# ended and nothing of the run is left running (or after 20 s; whatever then remains is stopped). Replay CPU is the
# startup process's own, from PostgreSQL's "redo done ... system usage" line. Per call: wall time of each
# restore_command (bash's $EPOCHREALTIME around the tool, no extra process), p50/p95 over the calls that restored a
# segment.
#   RESULT <mode> <segments restored> <recovery wall s> <p50 ms> <p95 ms> <CPU-s per segment> <replay CPU-s> <calls>
#     <1-minute load average when the run ended> (the machine may be shared: the load goes beside every figure)
# Usage: bench/recovery.sh [MODES [ROUNDS [SEGMENTS]]]
#   MODES (comma-separated, default pgbackrest,walj-auto,walj,wal-e):
#     pgbackrest  pgbackrest archive-get (defaults: no async)
#     walj-auto   wal-j wal-fetch with WALJ_DAEMON_AUTOSTART=on: the first call starts a daemon, the next are served
#                 by it (through the native client when the build made it)
#     walj        wal-j wal-fetch with WALJ_DAEMON_AUTOSTART=off: a JVM per call, prefetch as detached JVMs
#     wal-e       wal-e wal-fetch (prefetch 8 by default), only where `wal-e` is on PATH
#     walj-auto-base  as walj-auto with BENCH_BASELINE_JAR (another build's wal-j.jar, its wal-j-client beside it;
#                 the launcher stays this checkout's unless BENCH_BASELINE_LAUNCHER names another build's launcher):
#                 before/after in the same run
#   BENCH_FETCH_ARGS: extra arguments for wal-j wal-fetch (e.g. "--prefetch 0").
# Needs root (cgroups), pgbackrest, PostgreSQL's server programs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
modes=${1:-pgbackrest,walj-auto,walj,wal-e}
rounds=${2:-1}
segments=${3:-64}
[ "$(id -u)" -eq 0 ] || { echo "run as root: each run's CPU is counted in a cgroup of its own" >&2; exit 1; }
need_jar
need_tools pgbackrest:pgbackrest
make_work recovery
port=5498
prefix="file://localhost$work/archive"
pgbr=(pgbackrest --config="$work/pgbackrest.conf" --stanza=bench)

# --- cgroups: v2 (cpu.stat usage_usec) or v1's cpuacct (cpuacct.usage, ns) ---------------------------------------
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  cg_root=/sys/fs/cgroup; cg_usage() { awk '/^usage_usec/ { printf "%.3f", $2 / 1e6 }' "$1/cpu.stat"; }
elif [ -d /sys/fs/cgroup/cpuacct ]; then
  cg_root=/sys/fs/cgroup/cpuacct; cg_usage() { awk '{ printf "%.3f", $1 / 1e9 }' "$1/cpuacct.usage"; }
else
  echo "no cgroup v2 and no cpuacct controller: cannot count CPU per run" >&2; exit 1
fi
cgroups=()
cg_stop_all() { # kill what is left in a run's cgroup (by pid, then the group is removed)
  local p i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    [ -s "$1/cgroup.procs" ] || break
    while read -r p; do kill -9 "$p" 2>/dev/null || true; done <"$1/cgroup.procs"
    sleep 0.2
  done
  rmdir "$1" 2>/dev/null || true
}
recovery_cleanup() {
  local c
  for c in "${cgroups[@]}"; do cg_stop_all "$c"; done
  bench_cleanup
}
trap recovery_cleanup EXIT

# --- restore_command wrapper: joins the run's cgroup, runs the tool, records name, status, start and end ---------
cat >"$work/rc.sh" <<'SH'
#!/bin/bash
cg=$1 calls=$2 name=$3
shift 3
start=$EPOCHREALTIME
echo $$ >"$cg/cgroup.procs"
"$@"
rc=$?
echo "$name $rc $start $EPOCHREALTIME" >>"$calls"
exit $rc
SH
chmod 755 "$work/rc.sh"

# --- the primary, its base backup, SEGMENTS segments of bulk inserts --------------------------------------------
pg mkdir -p "$work/walsrc/archive_status"
pg "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
archiving_conf "$work/pg" $port "test ! -f $work/walsrc/%f && cp %p $work/walsrc/%f"
echo "max_wal_size = 4GB" >>"$work/pg/postgresql.conf"
pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
pgbackrest_conf "$work/pg" $port 2
psql_at $port "CREATE TABLE t (id bigint, v text)" >/dev/null
pg "$pgbin/pg_basebackup" -h "$work" -p $port -U postgres -X none -c fast -D "$work/base"
start_lsn=$(psql_at $port "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
echo "writing $segments segments of bulk inserts ..." >&2
n=0
while [ $(( $(psql_at $port "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn") - start_lsn )) -lt $((segments * 16777216)) ]; do
  psql_at $port "INSERT INTO t SELECT g, repeat(md5(g::text), 3) FROM generate_series($n + 1, $n + 200000) g" >/dev/null
  n=$((n + 200000))
done
expected=$(psql_at $port "SELECT count(*) || ' ' || sum(hashtext(v)::bigint + id) FROM t")
last=$(psql_at $port "SELECT pg_walfile_name(pg_current_wal_lsn())")
psql_at $port "SELECT pg_switch_wal()" >/dev/null
until [ -f "$work/walsrc/$last" ]; do sleep 0.2; done
pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
mapfile -t wal < <(ls "$work/walsrc" | grep -E '^[0-9A-F]{24}(\.[0-9A-F]{8}\.backup)?$' | sort)
echo "archived ${#wal[@]} WAL files ($n rows); storing them with wal-j and pgBackRest ..." >&2

# wal-j (lzo, WAL-E's layout): wal-push's parallel mode takes the other .ready files of walsrc/ along
pg mkdir -p "$work/archive/wal_005"
for f in "${wal[@]}"; do pg touch "$work/walsrc/archive_status/$f.ready"; done
for f in "${wal[@]}"; do
  [ -f "$work/walsrc/archive_status/$f.done" ] && continue
  pg env WALE_FILE_PREFIX="$prefix" WALJ_DAEMON_AUTOSTART=off "$walj" --terse wal-push --pool-size 16 "$work/walsrc/$f"
  pg mv "$work/walsrc/archive_status/$f.ready" "$work/walsrc/archive_status/$f.done" 2>/dev/null || true
done
for f in "${wal[@]}"; do pg "${pgbr[@]}" archive-push "$work/walsrc/$f"; done
# the primary and its WAL are not needed any more: a 240-segment run otherwise holds ~10 GB more on the disk
rm -rf "$work/walsrc" "$work/pg"

# --- one recovery ------------------------------------------------------------------------------------------------
# sets r_segments r_wall r_p50 r_p95 r_cpu r_replay r_calls r_extra
recover() {
  local mode=$1 run=$2 rec=$work/rec env=() cmd cg calls
  cg=$cg_root/walj-bench-$$-$run
  calls=$work/calls-$run
  rm -rf "$rec"
  cp -a "$work/base" "$rec"
  pg touch "$rec/recovery.signal" "$calls"
  mkdir "$cg"; cgroups+=("$cg")
  chown postgres "$cg/cgroup.procs"
  case $mode in
    pgbackrest) cmd="${pgbr[*]} archive-get %f \"%p\"" ;;
    walj-auto)  pg mkdir -m 700 "$work/xdg-$run"
                env=(WALJ_DAEMON_AUTOSTART=on XDG_RUNTIME_DIR="$work/xdg-$run" WALJ_DAEMON_IDLE_EXIT=20)
                cmd="$walj wal-fetch ${BENCH_FETCH_ARGS:-} %f \"%p\"" ;;
    walj-auto-base) # the same with another build's jar (its wal-j-client beside it), for before/after in one run
                pg mkdir -m 700 "$work/xdg-$run"
                env=(WALJ_DAEMON_AUTOSTART=on XDG_RUNTIME_DIR="$work/xdg-$run" WALJ_DAEMON_IDLE_EXIT=20
                     WALJ_JAR="$BENCH_BASELINE_JAR")
                cmd="${BENCH_BASELINE_LAUNCHER:-$walj} wal-fetch ${BENCH_FETCH_ARGS:-} %f \"%p\"" ;;
    walj)       env=(WALJ_DAEMON_AUTOSTART=off)
                cmd="$walj wal-fetch ${BENCH_FETCH_ARGS:-} %f \"%p\"" ;;
    wal-e)      cmd="wal-e wal-fetch %f \"%p\"" ;;
  esac
  cat >>"$rec/postgresql.conf" <<CONF
port = $port
archive_mode = off
hot_standby = off
restore_command = '$work/rc.sh $cg $calls %f $cmd'
CONF
  # pgBackRest's pg1-path for the copy: archive-get checks the cluster it restores into
  sed "s|^pg1-path=.*|pg1-path=$rec|" "$work/pgbackrest.conf" >"$work/pgbackrest.conf.rec"
  chmod 644 "$work/pgbackrest.conf.rec"
  [ "$mode" = pgbackrest ] && sed -i "s|--config=$work/pgbackrest.conf |--config=$work/pgbackrest.conf.rec |" "$rec/postgresql.conf"
  local t0 t1
  t0=$EPOCHREALTIME
  pg env WALE_FILE_PREFIX="$prefix" WALJ_CDS_DIR="$work/cds" "${env[@]}" "$pgbin/pg_ctl" -D "$rec" -l "$work/rec-$run.log" -W start >/dev/null
  # the end of recovery: the server accepts connections (hot_standby off, so not before), seen in its log
  local waited=0
  until grep -q 'database system is ready to accept connections' "$work/rec-$run.log" 2>/dev/null; do
    sleep 0.1; waited=$((waited + 1))
    if [ $waited -gt 18000 ] || grep -q 'FATAL' "$work/rec-$run.log" 2>/dev/null; then
      tail -n 30 "$work/rec-$run.log" >&2; echo "$mode: recovery did not finish" >&2; exit 1
    fi
  done
  t1=$EPOCHREALTIME
  local got
  got=$(psql_at $port "SELECT count(*) || ' ' || sum(hashtext(v)::bigint + id) FROM t")
  [ "$got" = "$expected" ] || { echo "$mode: recovered rows differ: $got, expected $expected" >&2; exit 1; }
  pg "$pgbin/pg_ctl" -D "$rec" -m fast -w stop >/dev/null
  # what restore_command left running (prefetches, a daemon) finishes or goes idle: wait for the group to empty
  local i dj daemon_cpu=
  for f in "$work/xdg-$run"/wal-j/*.pid; do
    [ -f "$f" ] || continue
    # the daemon's JVM alone (start-up included), for the split between daemon and clients
    dj=$(worker_pid "$(cat "$f")" 2>/dev/null) && daemon_cpu=$(awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f (user %.2f, system %.2f)", ($14 + $15) / t, $14 / t, $15 / t }' "/proc/$dj/stat")
    kill -- -"$(cat "$f")" 2>/dev/null || true
  done
  for i in $(seq 1 100); do [ -s "$cg/cgroup.procs" ] || break; sleep 0.2; done
  r_extra=
  [[ $mode = walj-auto* ]] && r_extra="daemon starts $(cat "$work/xdg-$run"/wal-j/*.log* 2>/dev/null | grep -c 'MSG: daemon started' || true), fetches served $(cat "$work/xdg-$run"/wal-j/*.log* 2>/dev/null | grep -c 'MSG: served a request' || true), daemon JVM ${daemon_cpu:-?} CPU-s"
  [ -s "$cg/cgroup.procs" ] && r_extra="$r_extra; still running after 20 s: $(wc -l <"$cg/cgroup.procs") processes (stopped)"
  r_cpu_total=$(cg_usage "$cg")
  cg_stop_all "$cg"
  r_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  # the calls that restored a segment (mawk has no {24}: grep picks them)
  grep -E '^[0-9A-F]{24} 0 ' "$calls" | awk '{ print ($4 - $3) * 1000 }' >"$calls.ms" || true
  r_segments=$(wc -l <"$calls.ms")
  r_calls=$(wc -l <"$calls")
  r_p50=$(median <"$calls.ms")
  r_p95=$(sort -n "$calls.ms" \
    | awk '{ a[NR] = $1 } END { i = int(NR * 0.95 + 0.999); if (i < 1) i = 1; print a[i] }')
  r_cpu=$(awk -v c="$r_cpu_total" -v n="$r_segments" 'BEGIN { printf "%.3f", c / n }')
  r_replay=$(grep -o 'redo done at .*' "$work/rec-$run.log" | sed -nE 's/.*CPU: user: ([0-9.]+) s, system: ([0-9.]+) s.*/\1 \2/p' \
    | awk '{ printf "%.2f", $1 + $2 }')
}

IFS=, read -r -a mode_list <<<"$modes"
for m in "${mode_list[@]}"; do
  case $m in
    pgbackrest|walj-auto|walj) ;;
    walj-auto-base) [ -f "${BENCH_BASELINE_JAR:-}" ] || { echo "walj-auto-base needs BENCH_BASELINE_JAR=<another build's wal-j.jar>" >&2; exit 2; } ;;
    wal-e) command -v wal-e >/dev/null || echo "no wal-e on PATH: wal-e skipped" >&2 ;;
    *) echo "unknown mode $m" >&2; exit 2 ;;
  esac
done
# one cold fetch first, untimed: the launcher's class-data archive is made once per user, not in a measured run.
# The archives go to a directory of this run (WALJ_CDS_DIR): on a shared machine another checkout's jar, run as the
# same user, would otherwise make them be dumped again in the middle of a measured run.
pg mkdir -m 700 "$work/cds"
pg env WALE_FILE_PREFIX="$prefix" WALJ_CDS_DIR="$work/cds" WALJ_DAEMON_AUTOSTART=off "$walj" --terse \
  wal-fetch "${wal[1]}" "$work/warm" || true
rm -f "$work/warm"
# the same for the daemon's and the daemon client's archives: one fetch that starts a daemon, which is then stopped
# (it writes its archive as it exits)
warm_daemon() { # LAUNCHER [env...]
  local launcher=$1 f i
  shift
  rm -rf "$work/xdg-warm"; pg mkdir -m 700 "$work/xdg-warm"
  pg env WALE_FILE_PREFIX="$prefix" WALJ_CDS_DIR="$work/cds" WALJ_DAEMON_AUTOSTART=on XDG_RUNTIME_DIR="$work/xdg-warm" \
    "$@" "$launcher" --terse wal-fetch "${wal[1]}" "$work/warm" || true
  for i in $(seq 1 300); do ls "$work/xdg-warm"/wal-j/*.pid >/dev/null 2>&1 && break; sleep 0.1; done
  pg env WALE_FILE_PREFIX="$prefix" WALJ_CDS_DIR="$work/cds" XDG_RUNTIME_DIR="$work/xdg-warm" \
    "$@" "$launcher" --terse wal-fetch "${wal[2]}" "$work/warm" || true # through the daemon: the client's archive
  for f in "$work/xdg-warm"/wal-j/*.pid; do
    [ -f "$f" ] && kill -- -"$(cat "$f")" 2>/dev/null || true
  done
  for i in $(seq 1 300); do ls "$work/xdg-warm"/wal-j/*.pid >/dev/null 2>&1 || break; sleep 0.1; done
  rm -f "$work/warm"
}
[[ ",$modes," = *,walj-auto,* ]] && warm_daemon "$walj"
[[ ",$modes," = *,walj-auto-base,* ]] && warm_daemon "${BENCH_BASELINE_LAUNCHER:-$walj}" WALJ_JAR="$BENCH_BASELINE_JAR"
echo "class-data archives: $(ls "$work/cds" | grep -c '\.jsa$') ($(ls "$work/cds" | grep '\.jsa$' | tr '\n' ' '))" >&2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf '%-11s %9s %8s %8s %8s %10s %10s %6s %5s\n' mode segments wall_s p50_ms p95_ms CPU-s/seg replay_CPU calls load1
run=0
for r in $(seq 1 "$rounds"); do
  for m in $(printf '%s\n' "${mode_list[@]}" | shuf); do
    [ "$m" = wal-e ] && ! command -v wal-e >/dev/null && continue
    run=$((run + 1))
    recover "$m" $run
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf '%-11s %9s %8s %8.0f %8.0f %10s %10s %6s %5s %s\n' "$m" "$r_segments" "$r_wall" "$r_p50" "$r_p95" "$r_cpu" \
      "$r_replay" "$r_calls" "$load" "$r_extra"
    echo "RESULT $m $r_segments $r_wall $r_p50 $r_p95 $r_cpu $r_replay $r_calls $load" >>"$work/results"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cat "$work/results"
