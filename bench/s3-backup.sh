#!/usr/bin/env bash
# Benchmark, not a test: backup-push --while-offline and backup-fetch of a whole cluster through S3 (a local S3Proxy,
# filesystem backend, a separate process), beside the same push to file:// for scale: wall, CPU-s, peak RSS of wal-j
# (the launcher, its -Xmx256m), with 1 and N parallel parts per partition upload. The restore is compared with the
# source (every file under base/ and global/ by md5).
# Usage: bench/s3-backup.sh [SCALE [N]]   (default 100 ≈ 1.6 GB; 10 GB is scale ~650, N = 4 parallel parts)
#   DATA=DIR  a cleanly stopped cluster to back up instead of a new pgbench one (it is only read)
# Needs target/wal-j.jar and target/s3proxy.jar (./mvnw -B -DskipTests verify), GNU time, curl.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
scale=${1:-100}
parts=${2:-4}
need_jar
need_tools /usr/bin/time:time curl:curl
[ -f "$here/target/s3proxy.jar" ] || { echo "no target/s3proxy.jar: ./mvnw -B -DskipTests verify" >&2; exit 1; }
make_work s3-backup
if [ -n "${DATA:-}" ]; then
  data=$DATA
else
  data=$work/pg
  init_cluster "$data" 5495 "$scale"
  pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
fi
bytes=$(du -sb --exclude=pg_wal "$data" | cut -f1)
start_s3proxy
row() { printf '| %-44s | %7.1f | %6s | %6.2f | %12s |\n' "$1" "$t_wall" "$(mb_per_s "$bytes" "$t_wall")" "$t_cpu" "$t_rss"; }
rows=()
pg mkdir -p "$work/file/wal_005"
timed "${as_pg[@]}" env WALE_FILE_PREFIX="file://localhost$work/file" "$walj" backup-push --while-offline "$data"
rows+=("$(row "backup-push to file://")"); pg rm -rf "$work/file"
for n in 1 "$parts"; do
  echo "==> backup-push to S3, $n parallel part(s) ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
  timed "${as_pg[@]}" env "${s3_env[@]}" WALE_S3_PREFIX="s3://bench/p$n" WALJ_S3_PARALLEL_PARTS="$n" \
    "$walj" backup-push --while-offline "$data"
  rows+=("$(row "backup-push to S3, $n parallel part(s)")")
done
echo "==> backup-fetch from S3 ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
drop_caches
timed "${as_pg[@]}" env "${s3_env[@]}" WALE_S3_PREFIX="s3://bench/p$parts" WALJ_S3_PARALLEL_PARTS="$parts" \
  "$walj" backup-fetch "$work/restored" LATEST
rows+=("$(row "backup-fetch from S3")")
sums() { (cd "$1" && find base global -type f ! -name pg_internal.init -exec md5sum {} + | LC_ALL=C sort -k2); }
if cmp -s <(sums "$data") <(sums "$work/restored"); then same="identical to the source"; else same="DIFFERENT FROM THE SOURCE"; fi
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) vCPU; load average $(cut -d' ' -f1-3 /proc/loadavg); PGDATA without pg_wal $((bytes / 1000000)) MB"
echo "stored in S3 (one backup): $(du -sb "$work/s3/data/bench/p$parts" | awk '{printf "%.0f MB", $1/1e6}'); restore $same"
printf '| %-44s | %7s | %6s | %6s | %12s |\n|---|---|---|---|---|\n' "" "wall s" "MB/s" "CPU-s" "peak RSS MiB"
printf '%s\n' "${rows[@]}"
[ "$same" = "identical to the source" ]
