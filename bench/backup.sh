#!/usr/bin/env bash
# Benchmark, not a test: wal-j backup-push beside pgBackRest backup of the same pgbench cluster, in one run, the tools
# interleaved round by round so that the machine's load falls on each alike. Rows (medians over ROUNDS):
#   online: pgBackRest (lz4, process-max 2, start-fast) / wal-j lzo --start-fast / wal-j lzo spread checkpoint
#           (WAL-E's default) / wal-j lz4 --start-fast;
#   offline (the cluster stopped cleanly): pgBackRest --no-online / wal-j --while-offline (lzo, lz4).
# Each row: wall s, MB/s of PGDATA without pg_wal, CPU-s (user+sys of the whole process tree), peak RSS (GNU time),
# stored MB. The last wal-j backup is checked with `wal-j backup-verify` (every member's SHA-256), untimed.
# Usage: bench/backup.sh [SCALE [ROUNDS]]   (default 100 ≈ 1.6 GB, 3 rounds)
#   DROP=1       drop the page cache before every backup (cold reads; root only), default: warm, CHECKPOINT first
#   JFR=FILE     one extra wal-j --start-fast run with a JFR recording (settings=profile) into FILE and -XX:+CITime
#                (printed); summarise with `jfr print --events jdk.ExecutionSample FILE` or `jfr summary FILE`
#   BASELINE=DIR another built checkout: its wal-j lzo --start-fast and --while-offline rows too, same rounds
# Needs target/wal-j.jar, PostgreSQL server programs, GNU time, pgbackrest (apt-get install pgbackrest time).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
scale=${1:-100}
rounds=${2:-3}
need_jar
need_tools pgbackrest:pgbackrest /usr/bin/time:time
make_work backup
port=5498
data=$work/pg
init_cluster "$data" $port "$scale"
pgbackrest_conf "$data" $port 2
bytes=$(du -sb --exclude=pg_wal "$data" | cut -f1)
conn=(PGHOST="$work" PGPORT=$port PGUSER=postgres)
br=(pgbackrest --config="$work/pgbackrest.conf" --stanza=bench)
declare -A W C M   # per row: the rounds' wall, CPU-s, RSS (space-separated)
declare -A S       # per row: stored MB (last round)
rows=()
n=0

prepare() {
  if [ -n "${DROP:-}" ]; then drop_caches; fi
  if [ -f "$data/postmaster.pid" ]; then psql_at $port "CHECKPOINT" >/dev/null; fi
}
# one ROW LAUNCHER ARCHIVE_NAME ARGS…: a wal-j backup-push into a fresh archive; the launcher is $walj or a baseline's
walj_row() {
  local row=$1 launcher=$2 comp=$3; shift 3
  n=$((n + 1))
  local archive=$work/a-$n
  pg mkdir -p "$archive/wal_005"
  prepare
  timed "${as_pg[@]}" env WALE_FILE_PREFIX="file://localhost$archive" WALJ_COMPRESSION="$comp" "${conn[@]}" \
    "$launcher" backup-push "$@" "$data"
  record "$row"
  S[$row]=$(size_mb "$archive/basebackups_005")
  # the newest backup of this build is kept for backup-verify; every other one is removed once the next is made
  if [ -z "${KEEP:-}" ] && [ -n "${prev_archive:-}" ] && [ "$prev_archive" != "${last_archive:-}" ]; then
    rm -rf "$prev_archive"
  fi
  if [ "$launcher" = "$walj" ]; then
    if [ -z "${KEEP:-}" ] && [ -n "${last_archive:-}" ]; then rm -rf "$last_archive"; fi
    last_archive=$archive
  fi
  prev_archive=$archive
}
pgbr_row() {
  local row=$1; shift
  prepare
  timed "${as_pg[@]}" "${br[@]}" backup --type=full "$@"
  record "$row"
  S[$row]=$(du -sb "$work/pgbr/backup/bench/$(ls "$work/pgbr/backup/bench" | grep -E 'F$' | sort | tail -n 1)" \
    | awk '{ printf "%.0f", $1 / 1e6 }')
  pg "${br[@]}" expire --repo1-retention-full=1 >/dev/null 2>&1 || true
}
record() {
  local row=$1
  [[ " ${rows[*]} " == *" $row "* ]] || rows+=("$row")
  W[$row]="${W[$row]:-} $t_wall"; C[$row]="${C[$row]:-} $t_cpu"; M[$row]="${M[$row]:-} $t_rss"
  echo "  $row: $t_wall s, $t_cpu CPU-s, $t_rss MiB" >&2
}
med() { tr ' ' '\n' <<<"$1" | grep . | median; }

for r in $(seq 1 "$rounds"); do
  echo "==> round $r of $rounds, online ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
  pgbr_row "pgBackRest_lz4_online"
  walj_row "wal-j_lzo_--start-fast" "$walj" lzo --start-fast
  walj_row "wal-j_lzo_spread" "$walj" lzo
  walj_row "wal-j_lz4_--start-fast" "$walj" lz4 --start-fast
  if [ -n "${BASELINE:-}" ]; then walj_row "baseline_lzo_--start-fast" "$BASELINE/packaging/wal-j" lzo --start-fast; fi
done
if [ -n "${JFR:-}" ]; then
  echo "==> wal-j lzo --start-fast with JFR into $JFR" >&2
  pg mkdir -p "$work/a-jfr/wal_005"
  rm -f "$JFR"; touch "$JFR"; chown postgres: "$JFR" 2>/dev/null || true
  pg env WALE_FILE_PREFIX="file://localhost$work/a-jfr" "${conn[@]}" \
    WALJ_JAVA_OPTS="-XX:StartFlightRecording=filename=$JFR,settings=profile -XX:+UnlockDiagnosticVMOptions -XX:+CITime" \
    "$walj" backup-push --start-fast "$data" 2>&1 | grep -E 'C[12] {|Total compilation|nmethod code size|Tier[1-4] ' >&2 || true
fi
pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
for r in $(seq 1 "$rounds"); do
  echo "==> round $r of $rounds, offline ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
  pgbr_row "pgBackRest_lz4_--no-online" --no-online
  walj_row "wal-j_lzo_--while-offline" "$walj" lzo --while-offline
  walj_row "wal-j_lz4_--while-offline" "$walj" lz4 --while-offline
  if [ -n "${BASELINE:-}" ]; then walj_row "baseline_lzo_--while-offline" "$BASELINE/packaging/wal-j" lzo --while-offline; fi
done
echo "==> backup-verify of the last wal-j backup (its one WAL segment pushed first)" >&2
seg=$(ls "$last_archive/basebackups_005" | sed -n 's/^base_\([0-9A-F]\{24\}\)_.*_backup_stop_sentinel\.json$/\1/p' | tail -n 1)
pg env WALE_FILE_PREFIX="file://localhost$last_archive" "$walj" wal-push "$data/pg_wal/$seg" >/dev/null 2>&1
pg env WALE_FILE_PREFIX="file://localhost$last_archive" "$walj" backup-verify LATEST >"$work/verify.out" 2>&1 \
  || { cat "$work/verify.out" >&2; echo "backup-verify FAILED" >&2; exit 1; }

echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) vCPU; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(java -version 2>&1 | head -n 1); $(pgbackrest version); PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}')"
echo "pgbench scale $scale: PGDATA without pg_wal $((bytes / 1000000)) MB; medians of $rounds interleaved rounds;" \
  "page cache: $([ -n "${DROP:-}" ] && echo dropped before each || echo warm)"
printf '| %-30s | %7s | %6s | %6s | %12s | %9s |\n' "" "wall s" "MB/s" "CPU-s" "peak RSS MiB" "stored MB"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..32})" "---------" "--------" "--------" "--------------" "-----------"
for row in "${rows[@]}"; do
  w=$(med "${W[$row]}"); c=$(med "${C[$row]}"); m=$(tr ' ' '\n' <<<"${M[$row]}" | grep . | sort -n | tail -n 1)
  printf '| %-30s | %7.2f | %6s | %6.2f | %12s | %9s |\n' "${row//_/ }" "$w" "$(mb_per_s "$bytes" "$w")" "$c" "$m" "${S[$row]}"
done
echo "(peak RSS: the largest of the rounds; backup-verify of this build's last backup: passed)"
