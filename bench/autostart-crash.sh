#!/usr/bin/env bash
# Crash trials, not a unit test (minutes long): archiving with a daemon started on demand (the default,
# docs/daemon.md) while SIGKILL hits, at seeded random moments, one of: the archive_command client (every wal-push
# process of this run: launcher, native client or JVM), the daemon's JVM, or PostgreSQL's postmaster (then started
# again: crash recovery). After every trial: each segment PostgreSQL marked .done is in the archive, and every object
# in the archive is whole (lzop -t). At the end: a base backup taken before the trials is recovered through wal-fetch
# (the same configuration: through a daemon too) and its table compared row by row with the source's.
# Usage: bench/autostart-crash.sh [SEED [TRIALS]]   (root; PostgreSQL server programs; lzop)
set -euo pipefail
seed=${1:-1}
trials=${2:-30}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_jar
need_tools lzop:lzop
make_work crash
load=
stop_all() {
  local f
  set +e # best effort: everything below runs whatever fails
  [ -n "$load" ] && kill "$load" 2>/dev/null
  for f in "$work"/xdg/wal-j/*.pid; do [ -f "$f" ] && kill -- -"$(cat "$f")" 2>/dev/null; done
  [ -f "$work/restored/postmaster.pid" ] && pg "$pgbin/pg_ctl" -D "$work/restored" -m immediate -w stop >/dev/null 2>&1
  bench_cleanup
}
trap stop_all EXIT
RANDOM=$seed
port=5499
data=$work/pg
pg mkdir -p "$work/archive/wal_005" "$work/cds"
pg mkdir -m 700 "$work/xdg"
envs="XDG_RUNTIME_DIR=$work/xdg WALJ_DAEMON_IDLE_EXIT=120 WALJ_CDS_DIR=$work/cds"
envs="$envs WALE_FILE_PREFIX=file://localhost$work/archive"
pg "$pgbin/initdb" -D "$data" -U postgres --auth=trust >/dev/null
archiving_conf "$data" $port "env $envs $walj wal-push %p"
printf '%s\n' "wal_keep_size = 1GB" "max_wal_size = 1GB" >>"$data/postgresql.conf"
start_pg() {
  local i
  for i in $(seq 1 120); do
    pg "$pgbin/pg_ctl" -D "$data" -l "$work/pg.log" -w -t 120 start >/dev/null 2>&1 && return 0
    sleep 1 # children of a killed postmaster may still hold its shared memory
  done
  echo "PostgreSQL did not start again" >&2; tail -n 30 "$work/pg.log" >&2; return 1
}
start_pg
psql_at $port "CREATE TABLE t (id bigserial PRIMARY KEY, payload text NOT NULL)"
pg "$pgbin/pg_basebackup" -h "$work" -p $port -U postgres -D "$work/base" -X none -c fast >/dev/null

# the load: rows and segment switches; it retries while PostgreSQL is down
(
  while [ ! -f "$work/stop-load" ]; do
    psql_at $port "INSERT INTO t (payload) SELECT repeat(md5(g::text), 4) FROM generate_series(1, 5000) g;
                   SELECT pg_switch_wal()" >/dev/null 2>&1 || sleep 0.3
    sleep 0.3 # a few segments a second: enough archive_command calls to hit, a bounded pg_wal and archive
  done
) &
load=$!

# processes of this run's archive_command: wal-push from this checkout, working in the data directory
clients() {
  local p
  ps -eo pid=,args= | awk -v h="$here" 'index($0, h) && / wal-push / { print $1 }' | while read -r p; do
    [ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$data" ] && echo "$p"
  done
  return 0
}
daemon_jvm() {
  local f
  for f in "$work"/xdg/wal-j/*.pid; do
    [ -f "$f" ] || continue
    worker_pid "$(cat "$f")" 2>/dev/null && return 0
  done
  return 1
}
checked=$work/checked
: >"$checked"
check() {
  local f name
  for f in "$data"/pg_wal/archive_status/*.done; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .done)
    [[ $name =~ ^[0-9A-F]{24}$ ]] || continue
    [ -f "$work/archive/wal_005/$name.lzo" ] || { echo "FAIL: $name is .done but not in the archive" >&2; exit 1; }
  done
  for f in "$work"/archive/wal_005/*.lzo; do
    [ -f "$f" ] || continue
    grep -qxF "$f" "$checked" && continue
    lzop -t "$f" 2>/dev/null || { echo "FAIL: $f is not a whole object" >&2; exit 1; }
    echo "$f" >>"$checked"
  done
}

declare -A hit=([client]=0 [daemon]=0 [daemon-session]=0 [postgres]=0 [client-none]=0)
sleep 5
for i in $(seq 1 "$trials"); do
  sleep "$((RANDOM % 2)).$((RANDOM % 10))"
  case $((RANDOM % 3)) in
    0)
      victims=
      for _ in $(seq 1 40); do victims=$(clients); [ -n "$victims" ] && break; sleep 0.05; done
      if [ -n "$victims" ]; then
        # shellcheck disable=SC2086
        kill -9 $victims 2>/dev/null || true; hit[client]=$((hit[client] + 1)); what="client $(echo $victims)"
      else
        hit[client-none]=$((hit[client-none] + 1)); what="client (none running)"
      fi ;;
    1)
      if jvm=$(daemon_jvm); then
        kill -9 "$jvm"; hit[daemon]=$((hit[daemon] + 1)); what="daemon $jvm"
      else
        # no daemon JVM: its session waits out the minute after a failure; end it so that the next call starts one
        for f in "$work"/xdg/wal-j/*.pid; do [ -f "$f" ] && kill -9 -- -"$(cat "$f")" 2>/dev/null; done
        hit[daemon-session]=$((hit[daemon-session] + 1)); what="daemon session (no JVM)"
      fi ;;
    2)
      kill -9 "$(head -n 1 "$data/postmaster.pid")"; hit[postgres]=$((hit[postgres] + 1)); what=postgres
      sleep 1
      start_pg ;;
  esac
  sleep 1
  check
  echo "trial $i: SIGKILL $what; $(wc -l <"$checked") objects whole, every .done archived" >&2
done
touch "$work/stop-load"
wait $load || true
start_pg 2>/dev/null || true
last=$(psql_at $port "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 600); do
  done_=$(psql_at $port "SELECT last_archived_wal >= '$last' FROM pg_stat_archiver")
  [ "$done_" = t ] && break
  sleep 0.5
done
[ "$done_" = t ] || { echo "FAIL: $last was not archived" >&2; exit 1; }
rows=$(psql_at $port "SELECT count(*) FROM t")
psql_at $port "COPY (SELECT * FROM t ORDER BY id) TO STDOUT" >"$work/source.rows"
pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
check

# recovery of the base backup from the archive, through wal-fetch with the same configuration
cp -a "$work/base" "$work/restored"
cat >>"$work/restored/postgresql.conf" <<CONF
port = $((port + 1))
archive_mode = off
restore_command = 'env $envs $walj wal-fetch "%f" "%p"'
CONF
touch "$work/restored/recovery.signal"
chown -R postgres: "$work/restored"
pg "$pgbin/pg_ctl" -D "$work/restored" -l "$work/restored.log" -w -t 600 start >/dev/null
for _ in $(seq 1 600); do
  [ "$(psql_at $((port + 1)) "SELECT pg_is_in_recovery()")" = f ] && break
  sleep 0.5
done
psql_at $((port + 1)) "COPY (SELECT * FROM t ORDER BY id) TO STDOUT" >"$work/restored.rows"
pg "$pgbin/pg_ctl" -D "$work/restored" -m fast -w stop >/dev/null
cmp -s "$work/source.rows" "$work/restored.rows" || { echo "FAIL: the recovered table differs" >&2; exit 1; }
served_push=$(cat "$work"/xdg/wal-j/*.log* 2>/dev/null | grep -A1 'MSG: served a request' | grep -c 'DETAIL: wal-push' || true)
served_fetch=$(cat "$work"/xdg/wal-j/*.log* 2>/dev/null | grep -A1 'MSG: served a request' | grep -c 'DETAIL: wal-fetch' || true)
for f in "$work"/xdg/wal-j/*.pid; do [ -f "$f" ] && kill -- -"$(cat "$f")" 2>/dev/null || true; done
echo "seed $seed: $trials trials, SIGKILL of client ${hit[client]} (none running ${hit[client-none]}), daemon ${hit[daemon]} (session without a JVM ${hit[daemon-session]}), postgres ${hit[postgres]}"
echo "archive: $(wc -l <"$checked") objects, all whole; every .done segment archived after every trial; $rows rows recovered through wal-fetch, identical"
echo "requests served by the daemons (logs of the last two starts only): wal-push $served_push, wal-fetch $served_fetch"
echo "RESULT PASS"
