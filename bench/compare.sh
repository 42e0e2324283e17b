#!/usr/bin/env bash
# Benchmark, not a test: wal-j beside pgBackRest (and WAL-E when a `wal-e` command is on PATH) on the same data,
# in one run, printing one table:
#   backup MB/s (of PGDATA without pg_wal), restore MB/s, stored size, peak RSS of each;
#   cold wal-push / wal-fetch of one real 16 MiB segment: median ms and CPU-s (file backend, and S3 through a local
#   S3Proxy when target/s3proxy.jar exists); the same resident (through `wal-j daemon`) when this build has it;
#   archive throughput of a cluster under pgbench load (bench/archive-load.sh).
# Usage: bench/compare.sh [SCALE [LOAD_SECONDS]]   (default 100 ≈ 1.6 GB of PGDATA, 60 s of load; RUNS=7 per WAL figure)
# Needs: ./mvnw -q -B -DskipTests package (and ./mvnw -B -DskipTests verify for target/s3proxy.jar),
#        apt-get install postgresql-15 lzop lz4 time pgbackrest
# Every restore is checked (files compared with the source, which is idle during the run) and ends fsynced;
# page caches are dropped before each restore when running as root.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
scale=${1:-100}
load_seconds=${2:-60}
runs=${RUNS:-7}
need_jar
need_tools lzop:lzop pgbackrest:pgbackrest /usr/bin/time:time
make_work compare
port=5496
data=$work/pg
declare -A R   # R[row|column] = figure
notes=()

init_cluster "$data" $port "$scale"
pgbackrest_conf "$data" $port 2
bytes=$(du -sb --exclude=pg_wal "$data" | cut -f1)
conn=(PGHOST="$work" PGPORT=$port PGUSER=postgres)
walj_env() { echo "WALE_FILE_PREFIX=file://localhost$work/archive-$1"; }
br=(pgbackrest --config="$work/pgbackrest.conf" --stanza=bench)
have_wale=; command -v wal-e >/dev/null 2>&1 && have_wale=1

# ---------------------------------------------------------------- base backups
checkpoint() { psql_at $port "CHECKPOINT" >/dev/null; }
same_files() { # restored dir: the relation files equal the (idle) source's; a difference is reported, not fatal
  local d
  d=$(diff <(cd "$data" && find base -type f ! -name 'pg_internal.init' -exec md5sum {} + | sort -k2) \
           <(cd "$1" && find base -type f ! -name 'pg_internal.init' -exec md5sum {} + | sort -k2) \
      | awk '/^[<>]/ { print $3 }' | sort -u | head -n 5 | tr '\n' ' ') || true
  [ -z "$d" ] || notes+=("restore $(basename "$1"): files under base/ differ from the source now (the source wrote after the backup?): $d")
}
record_backup() { R["backup MB/s|$1"]=$(mb_per_s "$bytes" "$t_wall"); R["backup peak RSS MiB|$1"]=$t_rss; R["backup CPU-s|$1"]=$t_cpu; }
record_restore() { R["restore MB/s|$1"]=$(mb_per_s "$bytes" "$t_wall"); R["restore peak RSS MiB|$1"]=$t_rss; R["restore CPU-s|$1"]=$t_cpu; }

for c in lzo lz4; do
  col="wal-j $c"
  echo "==> $col backup-push / backup-fetch" >&2
  pg mkdir -p "$work/archive-$c/wal_005"
  checkpoint
  timed "${as_pg[@]}" env "$(walj_env $c)" WALJ_COMPRESSION=$c "${conn[@]}" "$walj" backup-push "$data"
  record_backup "$col"
  R["stored MB|$col"]=$(size_mb "$work/archive-$c/basebackups_005")
  R["partitions|$col"]=$(find "$work/archive-$c/basebackups_005" -name 'part_*' | wc -l)
  drop_caches
  timed "${as_pg[@]}" env "$(walj_env $c)" "$walj" backup-fetch "$work/r-$c" LATEST
  record_restore "$col"
  same_files "$work/r-$c"; rm -rf "$work/r-$c"
done

col="pgBackRest lz4"
echo "==> $col backup / restore (process-max 2)" >&2
checkpoint
timed "${as_pg[@]}" "${br[@]}" backup --type=full
record_backup "$col"
R["stored MB|$col"]=$(size_mb "$work/pgbr/backup")
drop_caches
timed "${as_pg[@]}" "${br[@]}" restore --pg1-path="$work/r-pgbr"
record_restore "$col"
same_files "$work/r-pgbr"; rm -rf "$work/r-pgbr"

if [ -n "$have_wale" ]; then
  col="WAL-E"
  echo "==> WAL-E backup-push / backup-fetch" >&2
  pg mkdir -p "$work/archive-wale"
  checkpoint
  # WAL-E 1.1.1 starts an online backup with pg_start_backup(), which PostgreSQL 15 no longer has: it backs up the
  # stopped cluster (--while-offline), as an operator of WAL-E on 15 must
  pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  timed "${as_pg[@]}" env "$(walj_env wale)" wal-e backup-push --while-offline "$data"
  record_backup "$col"
  R["stored MB|$col"]=$(size_mb "$work/archive-wale/basebackups_005")
  drop_caches
  pg mkdir -m 700 "$work/r-wale"
  timed "${as_pg[@]}" env "$(walj_env wale)" wal-e backup-fetch "$work/r-wale" LATEST
  record_restore "$col"
  same_files "$work/r-wale"; rm -rf "$work/r-wale"
  pg "$pgbin/pg_ctl" -D "$data" -l "$work/$(basename "$data").log" -w start >/dev/null
fi

# ---------------------------------------------------------------- one WAL segment, cold (and resident)
seg=$(ls "$data/pg_wal" | grep -E '^[0-9A-F]{24}$' | sort | head -n 1)
pg mkdir -p "$work/wal/pg_wal/archive_status"
cp "$data/pg_wal/$seg" "$work/wal/pg_wal/$seg"; chown -R --reference="$work" "$work/wal"
wal=$work/wal/pg_wal/$seg
out=$work/wal/restored
echo "==> wal-push / wal-fetch of $seg, median of $runs runs each" >&2
record_wal() { R["$1 ms|$2"]=$m_ms; R["$1 CPU-s|$2"]=$m_cpu_s; R["$1 peak RSS MiB|$2"]=$m_rss; }
walj_wal() { # column, env…
  local col=$1; shift
  # the first call after an install may write the class-data archive (JDK 17/18, docs/daemon.md): once, not timed
  "${as_pg[@]}" env "$@" "$walj" wal-push --pool-size 1 "$wal" 2>/dev/null
  timed_median "$runs" "touch '$wal'" "${as_pg[@]}" env "$@" "$walj" wal-push --pool-size 1 "$wal"; record_wal "wal-push" "$col"
  timed_median "$runs" "rm -f '$out'" "${as_pg[@]}" env "$@" "$walj" wal-fetch --prefetch 0 "$seg" "$out"; record_wal "wal-fetch" "$col"
  cmp -s "$out" "$wal" || { echo "wal-fetch returned different bytes" >&2; exit 1; }
}
# cold means a JVM per call: without this the first call starts a daemon on demand and it serves the timed ones
walj_wal "wal-j lzo" "$(walj_env lzo)" WALJ_DAEMON_AUTOSTART=off
walj_wal "wal-j lz4" "$(walj_env lz4)" WALJ_DAEMON_AUTOSTART=off WALJ_COMPRESSION=lz4
# resident_wal COLUMN ENV…: the same two calls through a `wal-j daemon` started with ENV
resident_wal() {
  local col=$1 sock=$work/run/walj.sock; shift
  # the client only trusts a socket in a directory of its own user with mode 0700 (docs/daemon.md)
  pg mkdir -p -m 700 "$work/run"
  pg env "$@" WALJ_DAEMON_SOCKET="$sock" "$walj" daemon >"$work/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
  "${as_pg[@]}" env "$@" WALJ_DAEMON_SOCKET="$sock" "$walj" wal-push --pool-size 1 "$wal" 2>/dev/null
  # CPU per call is the client's plus the daemon's: the daemon's is read from /proc around each median's runs
  local java_pid c0 c1 c2 served
  java_pid=$(worker_pid "$daemon_pid")
  daemon_cpu_s() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$java_pid/stat"; }
  c0=$(daemon_cpu_s)
  # a new mtime each run: the daemon answers an unchanged file it stored moments ago without uploading it again
  timed_median "$runs" "touch '$wal'" "${as_pg[@]}" env "$@" WALJ_DAEMON_SOCKET="$sock" "$walj" wal-push --pool-size 1 "$wal"
  record_wal "wal-push" "$col"; c1=$(daemon_cpu_s)
  timed_median "$runs" "rm -f '$out'" "${as_pg[@]}" env "$@" WALJ_DAEMON_SOCKET="$sock" "$walj" wal-fetch --prefetch 0 "$seg" "$out"
  record_wal "wal-fetch" "$col"; c2=$(daemon_cpu_s)
  cmp -s "$out" "$wal" || { echo "wal-fetch returned different bytes" >&2; exit 1; }
  R["wal-push daemon CPU-s|$col"]=$(awk -v a="$c0" -v b="$c1" -v n="$runs" 'BEGIN { printf "%.3f", (b - a) / n }')
  R["wal-fetch daemon CPU-s|$col"]=$(awk -v a="$c1" -v b="$c2" -v n="$runs" 'BEGIN { printf "%.3f", (b - a) / n }')
  R["daemon peak RSS MiB|$col"]=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$java_pid/status")
  kill "$java_pid" 2>/dev/null || true
  while kill -0 "$java_pid" 2>/dev/null; do sleep 0.1; done # it removes its socket as it stops
  daemon_pid=
  served=$(grep -c 'served a request' "$work/daemon.log" || true)
  [ "$served" -ge $((2 * runs)) ] || { echo "$col: the daemon served $served of $((2 * runs)) requests: not resident figures" >&2; exit 1; }
}
has_daemon=; walj_has daemon && has_daemon=1
[ -n "$has_daemon" ] && resident_wal "wal-j lzo resident" "$(walj_env lzo)"
[ -n "$has_daemon" ] || notes+=("resident: this build has no 'wal-j daemon': no resident columns")
if [ -f "$here/target/s3proxy.jar" ]; then
  start_s3proxy
  # a deployment archives to one backend, so its class-data archive (docs/daemon.md) holds that backend's classes
  pg mkdir -m 700 "$work/cds-s3"
  s3_env=(WALE_S3_PREFIX=s3://bench/archive "${s3_env[@]}")
  walj_wal "wal-j lzo S3" WALJ_DAEMON_AUTOSTART=off WALJ_CDS_DIR="$work/cds-s3" "${s3_env[@]}"
  [ -n "$has_daemon" ] && resident_wal "wal-j lzo S3 resident" "${s3_env[@]}"
  kill "$s3proxy_pid" 2>/dev/null || true; s3proxy_pid=
else
  notes+=("S3: no target/s3proxy.jar (./mvnw -B -DskipTests verify makes it): no S3 column")
fi
repo_seg() { echo "rm -f $work/pgbr/archive/bench/*/*/$seg-*"; }
timed_median "$runs" "$(repo_seg)" "${as_pg[@]}" "${br[@]}" archive-push "$wal"; record_wal "wal-push" "pgBackRest lz4"
timed_median "$runs" "rm -f '$out'" "${as_pg[@]}" "${br[@]}" archive-get "$seg" "$out"; record_wal "wal-fetch" "pgBackRest lz4"
cmp -s "$out" "$wal" || { echo "archive-get returned different bytes" >&2; exit 1; }
if [ -n "$have_wale" ]; then
  timed_median "$runs" "" "${as_pg[@]}" env "$(walj_env wale)" wal-e wal-push "$wal"; record_wal "wal-push" "WAL-E"
  timed_median "$runs" "rm -f '$out'" "${as_pg[@]}" env "$(walj_env wale)" wal-e wal-fetch "$seg" "$out"; record_wal "wal-fetch" "WAL-E"
fi
pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null

# ---------------------------------------------------------------- archiving under load
for m in walj-default walj-resident pgbackrest ${have_wale:+wal-e}; do
  case $m in walj-default) col="wal-j lzo" ;; walj-resident) col="wal-j lzo resident" ;; pgbackrest) col="pgBackRest lz4" ;; wal-e) col="WAL-E" ;; esac
  echo "==> archiving under load: $m, $load_seconds s" >&2
  line=$("$here/bench/archive-load.sh" "$m" "$load_seconds" 2>"$work/load-$m.err" | tail -n 1) \
    || { cat "$work/load-$m.err" >&2; exit 1; }
  read -r _ _ produced rate maxb endb drain cpu call_ms call_max _ <<<"$line"
  [ "$produced" = "-" ] && continue
  R["under load: WAL produced seg/s|$col"]=$produced
  R["under load: archived seg/s|$col"]=$rate
  R["under load: max backlog (segments)|$col"]=$maxb
  R["under load: backlog at end|$col"]=$endb
  R["under load: drain after load s|$col"]=$drain
  R["under load: archiving CPU-s per segment|$col"]=$cpu
  R["under load: archive_command median / max ms|$col"]="$call_ms / $call_max"
done

# ---------------------------------------------------------------- the table
cols=("wal-j lzo" "wal-j lz4" "wal-j lzo resident" "wal-j lzo S3" "wal-j lzo S3 resident" "pgBackRest lz4")
notes+=("wal-j lzo: cold wal-push/wal-fetch with WALJ_DAEMON_AUTOSTART=off (a JVM per call); under load the default configuration (a daemon started on demand, its CPU counted)")
if [ -n "$have_wale" ]; then
  cols+=("WAL-E"); notes+=("WAL-E: backup-push --while-offline, the cluster stopped (1.1.1 cannot start an online backup on PostgreSQL 15); the others back up online")
else
  notes+=("WAL-E: no wal-e on PATH: no WAL-E column")
fi
rows=("backup MB/s" "backup CPU-s" "backup peak RSS MiB" "restore MB/s" "restore CPU-s" "restore peak RSS MiB"
      "stored MB" "partitions" "wal-push ms" "wal-push CPU-s" "wal-push daemon CPU-s" "wal-push peak RSS MiB"
      "wal-fetch ms" "wal-fetch CPU-s" "wal-fetch daemon CPU-s" "wal-fetch peak RSS MiB" "daemon peak RSS MiB" "under load: WAL produced seg/s" "under load: archived seg/s"
      "under load: max backlog (segments)" "under load: backlog at end" "under load: drain after load s"
      "under load: archiving CPU-s per segment" "under load: archive_command median / max ms")
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) vCPU; load average before the table: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(java -version 2>&1 | head -n 1); $(pgbackrest version); PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}')"
echo "pgbench scale $scale: PGDATA without pg_wal $((bytes / 1000000)) MB; WAL figures: median of $runs cold runs"
printf '| %-36s |' ""; for c in "${cols[@]}"; do printf ' %-18s |' "$c"; done; echo
printf '|%s|' "$(printf -- '-%.0s' $(seq 1 38))"; for c in "${cols[@]}"; do printf -- '%s|' "$(printf -- '-%.0s' $(seq 1 20))"; done; echo
for r in "${rows[@]}"; do
  printf '| %-36s |' "$r"
  for c in "${cols[@]}"; do printf ' %-18s |' "${R["$r|$c"]:-}"; done
  echo
done
for n in "${notes[@]}"; do echo "note: $n"; done
