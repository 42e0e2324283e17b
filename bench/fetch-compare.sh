#!/usr/bin/env bash
# Benchmark, not a test: restore speed side by side in one run on the same data and cores. One pgbench cluster
# (default scale 100), backed up once by each tool (wal-j lzo, wal-j lz4, pgBackRest lz4 with process-max 2, WAL-E
# when `wal-e` is on PATH); then ROUNDS rounds (3) in which each restore runs once, the tools taking turns, so that
# what else runs on the machine weighs on all of them alike. The cluster is stopped before the backups (so the source
# stays as it was backed up); page cache dropped before each restore; each restore compared with the source (every
# file but pg_wal and the configuration files, which wal-j and WAL-E leave out). Prints per tool the median wall s, MB/s of PGDATA without
# pg_wal, median CPU-s (user+sys), and the highest peak RSS; ratios to pgBackRest and WAL-E.
# Usage: bench/fetch-compare.sh [SCALE [ROUNDS]]   WALJ_BENCH_BASELINE=DIR: another built checkout's wal-j is restored
# too, from each of wal-j's backups (a "before" column in the same run), and its backup-push is timed beside ours.
# KEEP=1 keeps the scratch directory (its path is printed).  WALJ_BENCH_LZ4=0 leaves out wal-j's LZ4 backup and
# restore, WALJ_BENCH_LZO=0 its LZO ones. Each backup-push (wal-j's, the baseline's) is timed once and printed too.
# Needs: ./mvnw -q -B -DskipTests package; apt-get install postgresql-15 lzop time pgbackrest
set -euo pipefail
source "$(dirname "$0")/lib.sh"
scale=${1:-100}
rounds=${2:-3}
need_jar
need_tools lzop:lzop pgbackrest:pgbackrest /usr/bin/time:time
make_work fetch
port=5497
data=$work/pg
init_cluster "$data" $port "$scale"
# backed up stopped (--while-offline, --no-online), so that every restore must equal the source exactly
pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
PGBR_STANZA_OPTS=--no-online pgbackrest_conf "$data" $port 2
bytes=$(du -sb --exclude=pg_wal "$data" | cut -f1)
br=(pgbackrest --config="$work/pgbackrest.conf" --stanza=bench)
have_wale=; command -v wal-e >/dev/null 2>&1 && have_wale=1
baseline=${WALJ_BENCH_BASELINE:-}
[ -z "$baseline" ] || [ -f "$baseline/target/wal-j.jar" ] || { echo "$baseline: build it first" >&2; exit 1; }
[ -z "${KEEP:-}" ] || echo "scratch directory kept: $work" >&2

codecs=()
[ "${WALJ_BENCH_LZO:-1}" = 0 ] || codecs+=(lzo)
[ "${WALJ_BENCH_LZ4:-1}" = 0 ] || codecs+=(lz4)
pushes=()
push_timed() { # label, wal-j launcher, codec, archive directory
  echo "==> $1 backup-push ($3)" >&2
  pg mkdir -p "$4/wal_005"
  drop_caches
  timed "${as_pg[@]}" env WALE_FILE_PREFIX="file://localhost$4" WALJ_COMPRESSION=$3 "$2" backup-push --while-offline "$data"
  pushes+=("$1 $3: ${t_wall} s, ${t_cpu} CPU-s, ${t_rss} MiB peak RSS, stored $(size_mb "$4") MB (load $(cut -d' ' -f1 /proc/loadavg))")
}
for c in "${codecs[@]}"; do
  push_timed wal-j "$walj" "$c" "$work/archive-$c"
  [ -z "$baseline" ] || push_timed baseline "$baseline/packaging/wal-j" "$c" "$work/archive-base-$c"
done
echo "==> pgbackrest backup" >&2
pg "${br[@]}" backup --type=full --no-online >/dev/null 2>&1
if [ -n "$have_wale" ]; then
  echo "==> wal-e backup-push" >&2
  pg mkdir -p "$work/archive-wale"
  pg env WALE_FILE_PREFIX="file://localhost$work/archive-wale" wal-e backup-push --while-offline "$data" >/dev/null 2>&1
fi

tools=()
for c in "${codecs[@]}"; do
  tools+=("wal-j $c")
  [ -z "$baseline" ] || tools+=("baseline $c")
done
tools+=("pgBackRest lz4")
[ -n "$have_wale" ] && tools+=("WAL-E")
restore_cmd() { # tool, target: sets cmd (what is timed)
  case $1 in
    "wal-j "*) cmd=("${as_pg[@]}" env WALE_FILE_PREFIX="file://localhost$work/archive-${1#wal-j }" "$walj" backup-fetch "$2" LATEST) ;;
    "baseline "*) cmd=("${as_pg[@]}" env WALE_FILE_PREFIX="file://localhost$work/archive-base-${1#baseline }" "$baseline/packaging/wal-j" backup-fetch "$2" LATEST) ;;
    "pgBackRest lz4") cmd=("${as_pg[@]}" "${br[@]}" restore --pg1-path="$2") ;;
    WAL-E) pg mkdir -m 700 "$2"; cmd=("${as_pg[@]}" env WALE_FILE_PREFIX="file://localhost$work/archive-wale" wal-e backup-fetch "$2" LATEST) ;;
  esac
}
# what every tool restores: WAL-E and wal-j leave out the configuration files (WAL-E's rule), pgBackRest pg_subtrans
# contents, all pg_wal
same_files() {
  diff <(cd "$data" && find . \( -path ./pg_wal -o -path ./pg_subtrans \) -prune -o -type f ! -name 'pg_internal.init' ! -name 'postmaster.opts' \
           ! -name postgresql.conf ! -name pg_hba.conf ! -name pg_ident.conf -exec md5sum {} + | sort -k2) \
       <(cd "$1" && find . \( -path ./pg_wal -o -path ./pg_subtrans \) -prune -o -type f ! -name 'pg_internal.init' ! -name 'postmaster.opts' \
           ! -name postgresql.conf ! -name pg_hba.conf ! -name pg_ident.conf ! -name 'backup_label*' \
           ! -name 'recovery.signal' ! -name 'backup_manifest' -exec md5sum {} + | sort -k2) >&2 \
    || { echo "RESTORE BY $2 DIFFERS FROM THE SOURCE (above)" >&2; differs+=("$2"); }
}
differs=()
declare -A W C M
for r in $(seq 1 "$rounds"); do
  for t in "${tools[@]}"; do
    drop_caches
    target=$work/r
    restore_cmd "$t" "$target"
    timed "${cmd[@]}"
    same_files "$target" "$t"; rm -rf "$target"
    echo "    round $r $t: ${t_wall} s, ${t_cpu} CPU-s, ${t_rss} MiB (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    W[$t]+="$t_wall "; C[$t]+="$t_cpu "; M[$t]+="$t_rss "
  done
done
med() { tr ' ' '\n' | grep . | median; }
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) vCPU; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "pgbench scale $scale: PGDATA without pg_wal $((bytes / 1000000)) MB; medians of $rounds rounds, tools in turn"
pgw=$(med <<<"${W[pgBackRest lz4]}")
wew=; [ -n "$have_wale" ] && wew=$(med <<<"${W[WAL-E]}")
printf '| %-16s | %8s | %7s | %8s | %8s | %14s | %8s |\n' tool "wall s" "MB/s" "CPU-s" "RSS MiB" "x pgBackRest" "x WAL-E"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' ------------------ ---------- --------- ---------- ---------- ---------------- ----------
for t in "${tools[@]}"; do
  w=$(med <<<"${W[$t]}"); c=$(med <<<"${C[$t]}"); m=$(tr ' ' '\n' <<<"${M[$t]}" | grep . | sort -n | tail -n 1)
  printf '| %-16s | %8.2f | %7s | %8.2f | %8s | %14s | %8s |\n' "$t" "$w" "$(mb_per_s "$bytes" "$w")" "$c" "$m" \
    "$(awk -v a="$pgw" -v b="$w" 'BEGIN { printf "%.2f", a / b }')" \
    "$([ -n "$wew" ] && awk -v a="$wew" -v b="$w" 'BEGIN { printf "%.2f", a / b }' || echo -)"
done
[ ${#differs[@]} -eq 0 ] && echo "every restore identical to the source" || echo "RESTORES THAT DIFFER FROM THE SOURCE: ${differs[*]}"
echo "per round (wall s / CPU-s / peak RSS MiB):"; for t in "${tools[@]}"; do echo "  $t: ${W[$t]}/ ${C[$t]}/ ${M[$t]}"; done
echo "backup-push --while-offline, once each, page cache dropped before:"; printf '  %s\n' "${pushes[@]}"
